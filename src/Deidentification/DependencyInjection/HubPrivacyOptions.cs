namespace Hub.Deidentification.DependencyInjection;

/// <summary>Privacy settings of the hub (section <c>Hub:Privacy</c>). The token key comes from the environment, never a file in git.</summary>
public sealed class HubPrivacyOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Hub:Privacy";

    /// <summary>The hub's own secret for person tokens, base64, at least 32 bytes. Never leaves the hub.</summary>
    public string? TokenKeyBase64 { get; set; }

    /// <summary>Where the rule files come from: <c>embedded</c> (the shipped ones) or <c>folder</c>.</summary>
    public string ProfileSource { get; set; } = "embedded";

    /// <summary>The folder of rule files (<c>*.json</c>) when <see cref="ProfileSource"/> is <c>folder</c>.</summary>
    public string? ProfileFolder { get; set; }

    /// <summary>The restricted-ZIP3 list version used when a profile pins none: <c>2000</c>, <c>2010</c> or <c>2020</c> (computed from the 2020 Census: see docs/privacy.md).</summary>
    public string RestrictedZip3ListVersion { get; set; } = "2020";
}
