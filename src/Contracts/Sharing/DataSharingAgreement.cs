namespace Hub.Contracts.Sharing;

/// <summary>
/// A data-sharing agreement (DSA) between source agencies and one recipient: what may be disclosed, for which
/// purpose, under which legal basis, and until when. Configuration, reviewed like code. No PHI.
/// </summary>
public sealed record DataSharingAgreement
{
    /// <summary>The agreement's id, e.g. <c>dsa-2026-017</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Human-readable name, for the accounting of disclosures.</summary>
    public string? Name { get; init; }

    /// <summary>The source agencies whose data it covers.</summary>
    public required IReadOnlyList<string> SourceAgencyIds { get; init; }

    /// <summary>The recipient it covers.</summary>
    public required string RecipientId { get; init; }

    /// <summary>Purpose of use (v3 ActReason): <c>PUBHLTH</c>, <c>TREAT</c>, <c>ETREAT</c>.</summary>
    public string Purpose { get; init; } = "PUBHLTH";

    /// <summary>Legal basis, e.g. <c>45 CFR 164.512(b)</c> or <c>45 CFR 164.514(e)</c>.</summary>
    public string LegalBasis { get; init; } = "45 CFR 164.512(b)";

    /// <summary>The most identifying disclosure profile allowed (<c>identified-outreach</c>, <c>limited-data-set</c>, <c>safe-harbor</c>).</summary>
    public required string MaxProfile { get; init; }

    /// <summary>First day the agreement is in force (inclusive).</summary>
    public DateOnly? EffectiveFrom { get; init; }

    /// <summary>Last day the agreement is in force (inclusive); null means open-ended.</summary>
    public DateOnly? ExpiresOn { get; init; }

    /// <summary>Whether it allows disclosures about minors (under 18).</summary>
    public bool AllowsMinors { get; init; }

    /// <summary>Version of the agreement text, for the ledger.</summary>
    public string Version { get; init; } = "1";
}
