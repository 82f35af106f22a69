using Hub.Contracts.Messages;
using Hub.Contracts.Model;
using Hub.Contracts.Sharing;

namespace Hub.Deidentification;

/// <summary>What the privacy stage knows of a recipient.</summary>
public sealed record RecipientPrivacyContext
{
    /// <summary>Recipient id.</summary>
    public required string RecipientId { get; init; }

    /// <summary>The profile the recipient asks for (capped by the agreement's <see cref="DataSharingAgreement.MaxProfile"/>).</summary>
    public required string RequestedProfile { get; init; }

    /// <summary>The recipient's pseudonym key (HMAC-SHA256), so two recipients cannot join their data.</summary>
    public required IReadOnlyList<byte> PseudonymKey { get; init; }

    /// <summary>Actor role of the recipient for Consent provisions (e.g. <c>PUBHLTH</c> agency, outreach team).</summary>
    public string? ActorRole { get; init; }
}

/// <summary>One question for the privacy stage: may this recipient learn about this episode, and in which form.</summary>
public sealed record DisclosureRequest
{
    /// <summary>The episode.</summary>
    public required Guid EpisodeId { get; init; }

    /// <summary>The episode's version (1 for the first notification).</summary>
    public required int EpisodeVersion { get; init; }

    /// <summary>The notification this one supersedes, if any.</summary>
    public Guid? Supersedes { get; init; }

    /// <summary>The episode's events, oldest first. PHI.</summary>
    public required IReadOnlyList<OverdoseEvent> Events { get; init; }

    /// <summary>The recipient.</summary>
    public required RecipientPrivacyContext Recipient { get; init; }

    /// <summary>The agreements between the events' source agencies and the recipient (one per source agency at most).</summary>
    public required IReadOnlyList<DataSharingAgreement> Agreements { get; init; }

    /// <summary>True when the person's token is on the opt-out registry.</summary>
    public bool OptedOut { get; init; }

    /// <summary>Now, from the host's TimeProvider.</summary>
    public required DateTimeOffset Now { get; init; }
}

/// <summary>A machine-readable reason of a decision, e.g. <c>agreement-expired</c>.</summary>
/// <param name="Code">Stable code.</param>
/// <param name="Detail">Human-readable detail (no PHI).</param>
public sealed record DecisionReason(string Code, string Detail);

/// <summary>The answer: deny, or permit with a notification made under a profile. Always with reasons.</summary>
public sealed record DisclosureDecision
{
    /// <summary>True when something may be disclosed.</summary>
    public required bool Permitted { get; init; }

    /// <summary>The profile applied, when permitted.</summary>
    public string? Profile { get; init; }

    /// <summary>The agreement used, when permitted.</summary>
    public string? AgreementId { get; init; }

    /// <summary>Why.</summary>
    public required IReadOnlyList<DecisionReason> Reasons { get; init; }

    /// <summary>Obligations the recipient must honour (e.g. <c>carry-label:42CFRPart2</c>, <c>no-redisclosure</c>).</summary>
    public IReadOnlyList<string> Obligations { get; init; } = [];

    /// <summary>The notification, when permitted.</summary>
    public OverdoseNotification? Notification { get; init; }

    /// <summary>The notification fields that carry a value, for the ledger.</summary>
    public IReadOnlyList<string> DisclosedFields { get; init; } = [];

    /// <summary>The recipient-specific pseudonym of the person, for the ledger (null for police-only episodes).</summary>
    public string? PersonPseudonym { get; init; }
}

/// <summary>The privacy stage: consent decision, then the recipient's profile. Fails closed: an unexpected condition denies.</summary>
public interface IDisclosureService
{
    /// <summary>Decides and, when permitted, produces the notification.</summary>
    DisclosureDecision Decide(DisclosureRequest request);
}
