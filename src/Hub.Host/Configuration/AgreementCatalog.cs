using Hub.Contracts.Sharing;

namespace Hub.Host.Configuration;

/// <summary>The data-sharing agreements (section <c>Hub:Agreements</c>, an array of <see cref="DataSharingAgreement"/>).</summary>
internal sealed class AgreementCatalog(IOptions<AgreementCatalogOptions> options)
{
    public const string Section = "Hub:Agreements";

    public IReadOnlyList<DataSharingAgreement> All { get; } = options.Value.Agreements;

    /// <summary>The agreements with a recipient that cover any of the source agencies.</summary>
    public IReadOnlyList<DataSharingAgreement> For(string recipientId, IEnumerable<string> sourceAgencies)
    {
        var agencies = sourceAgencies.ToHashSet(StringComparer.Ordinal);
        return All.Where(a => a.RecipientId == recipientId && a.SourceAgencyIds.Any(agencies.Contains)).ToList();
    }
}

/// <summary>The bound agreements.</summary>
internal sealed class AgreementCatalogOptions
{
    public List<DataSharingAgreement> Agreements { get; } = [];
}

/// <summary>Lists every problem with the agreements at start.</summary>
internal sealed class AgreementCatalogValidator : IValidateOptions<AgreementCatalogOptions>
{
    private static readonly string[] Profiles = ["identified-outreach", "limited-data-set", "safe-harbor"];

    public ValidateOptionsResult Validate(string? name, AgreementCatalogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var duplicate in options.Agreements.GroupBy(a => a.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{AgreementCatalog.Section}: agreement id '{duplicate.Key}' is used {duplicate.Count()} times.");
        }

        for (var i = 0; i < options.Agreements.Count; i++)
        {
            var a = options.Agreements[i];
            var where = $"{AgreementCatalog.Section}:{i} ({a.Id})";
            if (string.IsNullOrWhiteSpace(a.Id))
            {
                failures.Add($"{where}: Id is required.");
            }

            if (string.IsNullOrWhiteSpace(a.RecipientId))
            {
                failures.Add($"{where}: RecipientId is required.");
            }

            if (a.SourceAgencyIds is null || a.SourceAgencyIds.Count == 0)
            {
                failures.Add($"{where}: SourceAgencyIds must name at least one source agency.");
            }

            if (!Profiles.Contains(a.MaxProfile, StringComparer.Ordinal))
            {
                failures.Add($"{where}: MaxProfile must be one of {string.Join(", ", Profiles)}, not '{a.MaxProfile}'.");
            }

            if (a.EffectiveFrom is { } from && a.ExpiresOn is { } to && to < from)
            {
                failures.Add($"{where}: ExpiresOn {to:yyyy-MM-dd} is before EffectiveFrom {from:yyyy-MM-dd}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
