namespace Hub.Deidentification.Profiles;

/// <summary>How identifying a profile's output is; agreements cap recipients by it.</summary>
public enum ProfileLevel
{
    /// <summary>De-identified under Safe Harbor, 45 CFR 164.514(b)(2).</summary>
    Deidentified = 0,

    /// <summary>Limited data set, 45 CFR 164.514(e): dates, city, state, ZIP; no direct identifiers.</summary>
    Limited = 1,

    /// <summary>Identified: the minimum an outreach worker needs to reach the person.</summary>
    Identified = 2,
}

/// <summary>The method a profile applies to one notification field.</summary>
public sealed record FieldRule
{
    /// <summary>The field path, e.g. <c>subject.birthDate</c>.</summary>
    public required string Field { get; init; }

    /// <summary>The method, one of <see cref="ProfileFields.Methods"/>.</summary>
    public required string Method { get; init; }

    /// <summary>The target of <c>generalize</c>, one of <see cref="ProfileFields.Generalizations"/>.</summary>
    public string? To { get; init; }

    /// <summary>Band width in years for <c>age-band</c>.</summary>
    public int? BandYears { get; init; }

    /// <summary>Grid cell size in degrees for <c>grid</c>.</summary>
    public double? CellDegrees { get; init; }

    /// <summary>The method as written into <see cref="Hub.Contracts.Messages.AppliedMethod.Method"/>.</summary>
    public string Describe() => To is null ? Method : $"{Method}:{To}";
}

/// <summary>One density class of point perturbation: up to <see cref="MaxPeoplePerSqKm"/> people/km², displace up to <see cref="Meters"/>.</summary>
public sealed record PerturbationBand
{
    /// <summary>Upper bound of the class (null: no bound, the densest class).</summary>
    public double? MaxPeoplePerSqKm { get; init; }

    /// <summary>Largest displacement in metres (the smallest is half of it).</summary>
    public required double Meters { get; init; }
}

/// <summary>Profile-wide parameters.</summary>
public sealed record ProfileParameters
{
    /// <summary>Smallest recipient key, in bytes, the profile accepts for keyed methods (pseudonymize, shift, perturb).</summary>
    public int? MinKeyBytes { get; init; }

    /// <summary>Largest date shift in days (both directions).</summary>
    public int? DateShiftMaxDays { get; init; }

    /// <summary>The restricted-ZIP3 list version the profile pins; null uses the hub's configured version.</summary>
    public string? Zip3List { get; init; }

    /// <summary>Perturbation classes, sparsest first; the last has no upper bound.</summary>
    public IReadOnlyList<PerturbationBand> Perturbation { get; init; } = [];
}

/// <summary>A validated, versioned disclosure profile: one method per notification field.</summary>
public sealed record DisclosureProfile
{
    /// <summary>Profile name, e.g. <c>safe-harbor</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Rule-set version, carried in every notification.</summary>
    public required string Version { get; init; }

    /// <summary>How identifying the output is.</summary>
    public required ProfileLevel Level { get; init; }

    /// <summary>The legal basis the profile is written for.</summary>
    public string? LegalBasis { get; init; }

    /// <summary>Profile-wide parameters.</summary>
    public required ProfileParameters Parameters { get; init; }

    /// <summary>The rule of each field (every field of <see cref="ProfileFields.All"/> has one).</summary>
    public required IReadOnlyDictionary<string, FieldRule> Rules { get; init; }

    /// <summary>The rule of a field; fields a file did not name (free text) are redacted.</summary>
    public FieldRule RuleFor(string field) =>
        Rules.TryGetValue(field, out var rule) ? rule : new FieldRule { Field = field, Method = ProfileFields.Methods.Redact };
}
