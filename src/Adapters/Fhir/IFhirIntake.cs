using Hub.Adapters.Feeds;

namespace Hub.Adapters.Fhir;

/// <summary>
/// Where <c>POST /fhir</c> hands what it read: the host implements it to store rejects and publish events.
/// It must be idempotent: a repeated Bundle (same feed and Bundle id, or same body SHA-256) publishes nothing again
/// and answers <see cref="FhirIntakeResult.DuplicateBundle"/>; a repeated Encounter (same <c>EventId</c>, which is
/// derived from feed id and <c>Encounter/&lt;id&gt;</c>) is <see cref="FhirIntakeStatus.AlreadyAccepted"/>.
/// </summary>
public interface IFhirIntake
{
    /// <summary>Accepts the outcomes of one request body.</summary>
    /// <param name="feedId">The feed the API key belongs to.</param>
    /// <param name="source">Name <c>http</c>, body SHA-256, receive time.</param>
    /// <param name="bundleId">The Bundle's id, when it has one (idempotency key).</param>
    /// <param name="outcomes">One outcome per emergency Encounter, plus Bundle-level rejects.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>One status per outcome, in order.</returns>
    Task<FhirIntakeResult> AcceptAsync(string feedId, SourceDocument source, string? bundleId, IReadOnlyList<RecordOutcome> outcomes, CancellationToken cancellationToken);
}

/// <summary>What the intake did with one request.</summary>
public sealed record FhirIntakeResult
{
    /// <summary>True when this Bundle was already accepted before: nothing was published again.</summary>
    public bool DuplicateBundle { get; init; }

    /// <summary>One status per outcome passed in, same order.</summary>
    public required IReadOnlyList<FhirIntakeStatus> Statuses { get; init; }
}

/// <summary>What became of one outcome at intake.</summary>
public enum FhirIntakeStatus
{
    /// <summary>An overdose event, newly accepted (published).</summary>
    Accepted,

    /// <summary>An overdose event already accepted earlier (same EventId): not published again.</summary>
    AlreadyAccepted,

    /// <summary>Not an overdose: counted only.</summary>
    Counted,

    /// <summary>Rejected: stored with its reason and location.</summary>
    Rejected,
}
