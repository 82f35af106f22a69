using System.Globalization;
using Hub.SampleData.Population;

namespace Hub.SampleData.Feeds;

/// <summary>
/// What <see cref="SyntheticFeedGenerator"/> produces. Every value has a default that gives a small, realistic mix, so the
/// CLI only maps <c>--seed --ems --ed --cad --overdose-rate</c> onto it.
/// </summary>
public sealed record SyntheticFeedOptions
{
    /// <summary>Seed of every random choice; equal options give byte-identical files (CLI <c>--seed</c>).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Number of NEMSIS PatientCareReports (CLI <c>--ems</c>).</summary>
    public int EmsCount { get; init; } = 50;

    /// <summary>Number of ED encounters, linked follow-ups included (CLI <c>--ed</c>).</summary>
    public int EdCount { get; init; } = 30;

    /// <summary>Number of CAD calls, linked co-responses included (CLI <c>--cad</c>).</summary>
    public int CadCount { get; init; } = 40;

    /// <summary>Fraction of EMS runs, and of independent ED visits and CAD calls, that are opioid overdoses (CLI <c>--overdose-rate</c>).</summary>
    public double OverdoseRate { get; init; } = 0.3;

    /// <summary>Fraction of EMS overdose runs whose patient arrives at an ED about an hour later (capped by <see cref="EdCount"/>).</summary>
    public double EdFollowUpRate { get; init; } = 0.6;

    /// <summary>Fraction of EMS overdose runs with a police call at the same block within minutes (capped by <see cref="CadCount"/>).</summary>
    public double CadCoResponseRate { get; init; } = 0.4;

    /// <summary>Fraction of overdose EMS runs where naloxone is given.</summary>
    public double NaloxoneRate { get; init; } = 0.75;

    /// <summary>Local (wall-clock) time of the first call, in <see cref="TimeZone"/>.</summary>
    public DateTime Start { get; init; } = new(2026, 1, 5, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>Mean minutes between consecutive calls of one feed.</summary>
    public double MeanMinutesBetweenCalls { get; init; } = 37;

    /// <summary>IANA time zone of all local times (NEMSIS/FHIR offsets and CAD wall-clock times).</summary>
    public string TimeZone { get; init; } = "America/New_York";

    /// <summary>Counties where people live and incidents happen; default Montgomery PA (42091) and San Diego CA (06073).</summary>
    public IReadOnlyList<CountyProfile> Counties { get; init; } = CountyProfile.Defaults;

    /// <summary>Number of distinct people records are drawn from; null means EMS + ED + CAD counts (so some people repeat).</summary>
    public int? PopulationSize { get; init; }

    /// <summary>Fraction of NEMSIS ICD-10-CM codes written without the dot (T401X1A), as some exports do. Such codes fail the NEMSIS XSD pattern.</summary>
    public double UndottedIcdRate { get; init; } = 0.1;

    /// <summary>Fraction of ED patients with a FHIR Consent that denies disclosure.</summary>
    public double ConsentDenyRate { get; init; } = 0.03;

    /// <summary>Fraction of ED encounters whose resources carry the 42CFRPart2 security label.</summary>
    public double Part2LabelRate { get; init; } = 0.05;

    /// <summary>Noise applied to identities, per record, recorded in truth.csv.</summary>
    public NoiseOptions Noise { get; init; } = new();

    /// <summary>Also write one FHIR transaction Bundle per ED visit (fhir/bundles/*.json) besides the NDJSON.</summary>
    public bool WriteFhirBundles { get; init; } = true;

    /// <summary>Effective population size.</summary>
    public int EffectivePopulationSize => PopulationSize ?? Math.Max(1, EmsCount + EdCount + CadCount);

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid option.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        Count(nameof(EmsCount), EmsCount);
        Count(nameof(EdCount), EdCount);
        Count(nameof(CadCount), CadCount);
        Rate(nameof(OverdoseRate), OverdoseRate);
        Rate(nameof(EdFollowUpRate), EdFollowUpRate);
        Rate(nameof(CadCoResponseRate), CadCoResponseRate);
        Rate(nameof(NaloxoneRate), NaloxoneRate);
        Rate(nameof(UndottedIcdRate), UndottedIcdRate);
        Rate(nameof(ConsentDenyRate), ConsentDenyRate);
        Rate(nameof(Part2LabelRate), Part2LabelRate);
        Rate("Noise." + nameof(NoiseOptions.NameTypoRate), Noise.NameTypoRate);
        Rate("Noise." + nameof(NoiseOptions.SwappedNameRate), Noise.SwappedNameRate);
        Rate("Noise." + nameof(NoiseOptions.MissingBirthDateRate), Noise.MissingBirthDateRate);
        Rate("Noise." + nameof(NoiseOptions.DifferentAddressRate), Noise.DifferentAddressRate);
        if (!(MeanMinutesBetweenCalls > 0 && MeanMinutesBetweenCalls <= 24 * 60))
        {
            errors.Add($"{nameof(MeanMinutesBetweenCalls)} must be in (0, 1440].");
        }

        if (PopulationSize is <= 0)
        {
            errors.Add($"{nameof(PopulationSize)} must be positive when set.");
        }

        if (Counties is null || Counties.Count == 0)
        {
            errors.Add($"{nameof(Counties)} must name at least one county.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? "", out _))
        {
            errors.Add($"{nameof(TimeZone)} '{TimeZone}' is not a known time zone.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid synthetic feed options: " + string.Join(" ", errors));
        }

        void Count(string name, int value)
        {
            if (value < 0)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be zero or more (was {value})."));
            }
        }

        void Rate(string name, double value)
        {
            if (!(value >= 0 && value <= 1))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be between 0 and 1 (was {value})."));
            }
        }
    }
}

/// <summary>Identity noise rates, each applied independently per record; what was applied is written to truth.csv.</summary>
public sealed record NoiseOptions
{
    /// <summary>One-letter typo in the family name.</summary>
    public double NameTypoRate { get; init; } = 0.05;

    /// <summary>Given and family name swapped.</summary>
    public double SwappedNameRate { get; init; } = 0.02;

    /// <summary>Date of birth left out (NEMSIS: xsi:nil NV 7701003; FHIR: no birthDate).</summary>
    public double MissingBirthDateRate { get; init; } = 0.05;

    /// <summary>A different home address (the person moved, or gave another one).</summary>
    public double DifferentAddressRate { get; init; } = 0.05;

    /// <summary>No noise at all.</summary>
    public static NoiseOptions None { get; } = new() { NameTypoRate = 0, SwappedNameRate = 0, MissingBirthDateRate = 0, DifferentAddressRate = 0 };
}
