namespace Hub.Deidentification.Profiles;

/// <summary>The validated disclosure profiles and restricted-ZIP3 lists the hub runs with. Built once at start.</summary>
public sealed class ProfileCatalog
{
    private const string ResourcePrefix = "Hub.Deidentification.Profiles.";
    private readonly Dictionary<string, DisclosureProfile> _profiles;
    private readonly Dictionary<string, RestrictedZip3List> _zip3Lists;

    private ProfileCatalog(IEnumerable<DisclosureProfile> profiles, IEnumerable<RestrictedZip3List> zip3Lists, string defaultZip3List)
    {
        _profiles = profiles.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _zip3Lists = zip3Lists.ToDictionary(l => l.Version, StringComparer.Ordinal);
        DefaultZip3List = _zip3Lists[defaultZip3List];
    }

    /// <summary>The restricted-ZIP3 list used when a profile does not pin one.</summary>
    public RestrictedZip3List DefaultZip3List { get; }

    /// <summary>Every profile.</summary>
    public IReadOnlyCollection<DisclosureProfile> Profiles => _profiles.Values;

    /// <summary>The shipped restricted-ZIP3 lists (2000 and 2010 as published, 2020 computed from the census table).</summary>
    public static IReadOnlyList<RestrictedZip3List> EmbeddedZip3Lists() =>
        [.. EmbeddedTexts("zip3-restricted-").Select(t => RestrictedZip3List.Parse(t.Json, t.Source))];

    /// <summary>The shipped rule files (identified-outreach, limited-data-set, safe-harbor), as text.</summary>
    public static IReadOnlyList<RuleFileText> EmbeddedRuleFiles() =>
        [.. EmbeddedTexts(string.Empty).Where(t => !t.Source.StartsWith("zip3-restricted-", StringComparison.Ordinal))];

    /// <summary>Validates the rule files and builds the catalog; throws with every problem.</summary>
    /// <param name="ruleFiles">The rule files (embedded or read by the host from its profile folder).</param>
    /// <param name="defaultZip3List">The restricted-ZIP3 list version configured for the hub.</param>
    /// <exception cref="ProfileValidationException">Any problem in any file, or an unknown list version.</exception>
    public static ProfileCatalog Create(IEnumerable<RuleFileText> ruleFiles, string defaultZip3List)
    {
        ArgumentNullException.ThrowIfNull(ruleFiles);
        var lists = EmbeddedZip3Lists();
        var versions = lists.Select(l => l.Version).ToArray();
        var problems = new List<string>();
        if (!versions.Contains(defaultZip3List, StringComparer.Ordinal))
        {
            problems.Add($"configuration: unknown restricted-ZIP3 list version '{defaultZip3List}' (known: {string.Join(", ", versions)})");
        }

        try
        {
            var profiles = ProfileValidator.ValidateAll(ruleFiles, versions);
            return problems.Count > 0 ? throw new ProfileValidationException(problems) : new ProfileCatalog(profiles, lists, defaultZip3List);
        }
        catch (ProfileValidationException ex) when (problems.Count > 0 && ex.Problems != problems)
        {
            throw new ProfileValidationException([.. problems, .. ex.Problems]);
        }
    }

    /// <summary>The catalog of the shipped, embedded rule files.</summary>
    /// <param name="defaultZip3List">The restricted-ZIP3 list version.</param>
    public static ProfileCatalog CreateEmbedded(string defaultZip3List = "2020") => Create(EmbeddedRuleFiles(), defaultZip3List);

    /// <summary>Finds a profile by name.</summary>
    public bool TryGet(string name, out DisclosureProfile profile) => _profiles.TryGetValue(name, out profile!);

    /// <summary>The restricted-ZIP3 list of a profile (its pinned one, or the hub's default).</summary>
    public RestrictedZip3List Zip3ListFor(DisclosureProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.Parameters.Zip3List is { } version ? _zip3Lists[version] : DefaultZip3List;
    }

    private static IEnumerable<RuleFileText> EmbeddedTexts(string prefix)
    {
        var assembly = typeof(ProfileCatalog).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            if (!name.StartsWith(ResourcePrefix + prefix, StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new ProfileValidationException($"embedded resource {name} cannot be read");
            using var reader = new StreamReader(stream);
            yield return new RuleFileText(name[ResourcePrefix.Length..], reader.ReadToEnd());
        }
    }
}
