using System.ComponentModel.DataAnnotations;

namespace Hub.Audit;

/// <summary>Audit settings (section <c>Hub:Audit</c>). Keys come from the environment or a secret store, never appsettings.json.</summary>
public sealed class AuditOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Hub:Audit";

    /// <summary>Where signed checkpoints are written: a folder outside the database (ideally another volume or a WORM share).</summary>
    [Required]
    public string CheckpointFolder { get; set; } = "data/checkpoints";

    /// <summary>ECDSA P-256 private key signing checkpoints: PEM (<c>-----BEGIN PRIVATE KEY-----</c>) or base64 PKCS#8.</summary>
    [Required]
    public string CheckpointSigningKey { get; set; } = "";

    /// <summary>Optional public key (PEM or base64 SubjectPublicKeyInfo) that verifies checkpoints; defaults to the signing key's.</summary>
    public string? CheckpointVerificationKey { get; set; }

    /// <summary>AES-256-GCM key for outbox payloads at rest: base64 of 32 bytes.</summary>
    [Required]
    public string PayloadEncryptionKey { get; set; } = "";

    /// <summary>Days a delivered message's payload is kept before retention purges it (the ledger entry stays).</summary>
    [Range(1, 2190)]
    public int PayloadRetentionDays { get; set; } = 90;

    /// <summary>Whether limited-data-set disclosures are left out of the accounting (45 CFR 164.528(a)(1)(viii)).</summary>
    public bool ExcludeLimitedDataSetFromAccounting { get; set; } = true;

    /// <summary>Profile names that are limited data sets (matched with or without an <c>@version</c> suffix).</summary>
    public IList<string> LimitedDataSetProfiles { get; } = ["limited-data-set"];

    /// <summary>Most entries one group commit carries.</summary>
    [Range(1, 100_000)]
    public int GroupCommitMaxBatch { get; set; } = 1000;
}
