using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Hub.Contracts.Model;

namespace Hub.Adapters.Fhir;

/// <summary>
/// One versioned ED case definition as data: which ICD-10-CM codes, SNOMED CT concepts and chief-complaint terms make
/// an Encounter an overdose. Changing any list is a new <see cref="Version"/>, so every event says which rules matched it.
/// </summary>
public sealed record FhirCaseDefinition
{
    /// <summary>Definition id, e.g. <c>cdc-dose-ed-opioid</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Version of the lists below.</summary>
    public required string Version { get; init; }

    /// <summary>The drug class attributed when it matches.</summary>
    public required SubstanceClass Substance { get; init; }

    /// <summary>
    /// Pattern over an ICD-10-CM code written without its dot, upper case. Named groups: <c>intent</c> (6th character)
    /// and <c>encounter</c> (7th character, may be empty).
    /// </summary>
    public required string IcdPattern { get; init; }

    /// <summary>6th characters that count (1 accidental, 2 intentional self-harm, 3 assault, 4 undetermined).</summary>
    public string Intents { get; init; } = "1234";

    /// <summary>7th characters that count; an empty 7th character (not written) always counts.</summary>
    public string EncounterCharacters { get; init; } = "A";

    /// <summary>SNOMED CT concepts that count when no ICD-10-CM code is on the encounter.</summary>
    public required IReadOnlySet<string> SnomedCodes { get; init; }

    /// <summary>Chief-complaint overdose terms (lower case; phrases allowed).</summary>
    public required IReadOnlyList<string> OverdoseTerms { get; init; }

    /// <summary>Chief-complaint drug terms (lower case; phrases allowed).</summary>
    public required IReadOnlyList<string> DrugTerms { get; init; }

    /// <summary><c>id@version</c>.</summary>
    public string Key => Id + "@" + Version;
}

/// <summary>The shipped ED definitions and the naloxone code list. See docs/feeds/fhir.md for the sources.</summary>
public static class FhirCaseDefinitions
{
    /// <summary>Version of the shipped lists.</summary>
    public const string Version = "2026.11.1";

    /// <summary>RxNorm code system URI.</summary>
    public const string RxNormSystem = "http://www.nlm.nih.gov/research/umls/rxnorm";

    /// <summary>SNOMED CT code system URI.</summary>
    public const string SnomedSystem = "http://snomed.info/sct";

    /// <summary>ICD-10-CM code system URI.</summary>
    public const string Icd10CmSystem = "http://hl7.org/fhir/sid/icd-10-cm";

    /// <summary>
    /// Rescue naloxone: RxNorm ingredient 7242 and naloxone-only products. Combination products such as
    /// buprenorphine/naloxone (351267, 1010603) are deliberately absent: they are treatment, not rescue.
    /// </summary>
    public static IReadOnlySet<string> NaloxoneRxNorm { get; } = new[]
    {
        "7242", "203192", "197117", "1659929",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly string[] OverdoseTermList =
    [
        "overdose", "overdosed", "overdosing", "over dose", "od", "ods", "poisoning", "poisoned", "intoxication",
        "intoxicated", "ingestion", "unresponsive", "too much", "nodding off",
    ];

    private static readonly string[] OpioidTermList =
    [
        "opioid", "opioids", "opiate", "opiates", "opium", "heroin", "herion", "heroine", "dope", "speedball", "fentanyl",
        "fentanil", "fent", "carfentanil", "oxycodone", "oxy", "oxycontin", "percocet", "hydrocodone", "vicodin", "norco",
        "morphine", "methadone", "codeine", "tramadol", "dilaudid", "hydromorphone", "buprenorphine", "suboxone", "opana",
        "narcan", "naloxone",
    ];

    private static readonly string[] OtherDrugTermList =
    [
        "drug", "drugs", "pill", "pills", "medication", "medications", "polysubstance", "poly drug", "cocaine", "crack",
        "meth", "methamphetamine", "amphetamine", "stimulant", "benzo", "benzos", "benzodiazepine", "xanax", "klonopin",
        "valium", "pcp", "lsd", "marijuana", "cannabis", "thc", "k2", "spice", "bath salts", "mdma", "ecstasy", "ketamine",
    ];

    /// <summary>
    /// CDC DOSE ED opioid overdose: T40.0X–T40.4X (incl. T40.41/.42/.49), T40.60, T40.69; 6th character 1–4;
    /// 7th A or absent. SNOMED CT: 295184007 Morphine overdose. Chief complaint: overdose term AND opioid term.
    /// </summary>
    public static FhirCaseDefinition Opioid { get; } = new()
    {
        Id = "cdc-dose-ed-opioid",
        Version = Version,
        Substance = SubstanceClass.Opioid,
        IcdPattern = "^T40(?:[0-3]X|4[X129]|6[09])(?<intent>[0-9])(?<encounter>[A-Z]?)$",
        SnomedCodes = new[] { "295184007" }.ToFrozenSet(StringComparer.Ordinal),
        OverdoseTerms = OverdoseTermList,
        DrugTerms = OpioidTermList,
    };

    /// <summary>
    /// CDC DOSE ED all-drug overdose: T36–T50 poisoning with 6th character 1–4, 7th A or absent; SNOMED CT
    /// 55680006 Drug overdose, 1149222004 Overdose, and the opioid concepts; chief complaint: overdose term AND any drug term.
    /// </summary>
    public static FhirCaseDefinition AllDrug { get; } = new()
    {
        Id = "cdc-dose-ed-all-drug",
        Version = Version,
        Substance = SubstanceClass.OtherDrug,
        IcdPattern = "^T(?:3[6-9]|4[0-9]|50)[0-9A-Z][0-9X](?<intent>[0-9])(?<encounter>[A-Z]?)$",
        SnomedCodes = new[] { "55680006", "1149222004", "295184007" }.ToFrozenSet(StringComparer.Ordinal),
        OverdoseTerms = OverdoseTermList,
        DrugTerms = [.. OpioidTermList, .. OtherDrugTermList],
    };
}

/// <summary>A code found on the encounter, with where it was read.</summary>
internal readonly record struct FoundCode(string System, string Code, string? Display, string Element);

/// <summary>What the classifier decided, with its evidence.</summary>
internal sealed record Classification(FhirCaseDefinition Definition, bool IsOverdose, SubstanceClass Substance, IReadOnlyList<DetectionEvidence> Evidence);

/// <summary>
/// Applies the definitions in order (opioid first, then all-drug when the feed's scope includes it). ICD-10-CM decides
/// when any ICD-10-CM code is present; SNOMED CT only when none is; the chief complaint only when no code of either
/// system is present. Naloxone administered is supporting evidence, never enough alone.
/// </summary>
internal sealed class FhirClassifier
{
    /// <summary>Codes remembered per definition; ED feeds repeat a few hundred codes, so the regex runs once per code.</summary>
    private const int MaxCachedCodes = 8192;

    private readonly (FhirCaseDefinition Definition, Regex Icd, ConcurrentDictionary<string, bool> Seen)[] definitions;
    private readonly IReadOnlySet<string> naloxone;

    public FhirClassifier(IReadOnlyList<FhirCaseDefinition> definitions, IReadOnlySet<string> naloxone)
    {
        this.definitions = [.. definitions.Select(d => (d, new Regex(d.IcdPattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1)), new ConcurrentDictionary<string, bool>(StringComparer.Ordinal)))];
        this.naloxone = naloxone;
    }

    public bool IsNaloxone(string? system, string? code) =>
        code is not null && string.Equals(system, FhirCaseDefinitions.RxNormSystem, StringComparison.Ordinal) && naloxone.Contains(code);

    public Classification Classify(List<FoundCode> codes, List<string> complaints, List<FoundCode> naloxoneGiven)
    {
        var hasIcd = false;
        var hasSnomed = false;
        foreach (var code in codes)
        {
            hasIcd |= code.System == "ICD-10-CM";
            hasSnomed |= code.System == "SNOMED-CT";
        }

        foreach (var (definition, icd, seen) in definitions)
        {
            var evidence = new List<DetectionEvidence>();
            foreach (var code in codes)
            {
                if (hasIcd && code.System == "ICD-10-CM" && IcdMatchesCached(definition, icd, seen, code.Code))
                {
                    evidence.Add(new DetectionEvidence { Rule = "icd-10-cm", Element = code.Element, Value = code.Code });
                }
                else if (!hasIcd && code.System == "SNOMED-CT" && definition.SnomedCodes.Contains(code.Code))
                {
                    evidence.Add(new DetectionEvidence { Rule = "snomed-ct", Element = code.Element, Value = code.Code });
                }
            }

            if (!hasIcd && !hasSnomed && evidence.Count == 0)
            {
                foreach (var text in complaints)
                {
                    var overdose = FirstTerm(text, definition.OverdoseTerms);
                    var drug = overdose is null ? null : FirstTerm(text, definition.DrugTerms);
                    if (overdose is not null && drug is not null)
                    {
                        evidence.Add(new DetectionEvidence { Rule = "chief-complaint", Element = "Encounter.reasonCode.text", Value = overdose + "+" + drug });
                        break;
                    }
                }
            }

            if (evidence.Count > 0)
            {
                foreach (var given in naloxoneGiven)
                {
                    evidence.Add(new DetectionEvidence { Rule = "naloxone-administered", Element = given.Element, Value = given.Code });
                }

                var substance = definition.Substance;
                if (substance == SubstanceClass.OtherDrug && evidence.Exists(e => e.Value.StartsWith("T40.5", StringComparison.Ordinal) || e.Value.StartsWith("T43.6", StringComparison.Ordinal)))
                {
                    substance = SubstanceClass.Stimulant;
                }

                return new Classification(definition, true, substance, evidence);
            }
        }

        return new Classification(definitions[^1].Definition, false, SubstanceClass.Unknown, []);
    }

    /// <summary>Upper-cases an ICD-10-CM code and writes it with its dot (T401X1A → T40.1X1A).</summary>
    public static string NormalizeIcd(string code)
    {
        if (IsNormalIcd(code))
        {
            return code;
        }

        var compact = code.Trim().Replace(".", "", StringComparison.Ordinal).ToUpperInvariant();
        return compact.Length > 3 ? string.Concat(compact.AsSpan(0, 3), ".", compact.AsSpan(3)) : compact;
    }

    /// <summary>True when <paramref name="code"/> already reads like <c>T40.1X1A</c>: upper case, dot after 3 characters, nothing else.</summary>
    private static bool IsNormalIcd(string code)
    {
        if (code.Length < 3 || code.Length == 4 || (code.Length > 3 && code[3] != '.'))
        {
            return false;
        }

        for (var i = 0; i < code.Length; i++)
        {
            if (i != 3 && !char.IsAsciiDigit(code[i]) && !char.IsAsciiLetterUpper(code[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IcdMatchesCached(FhirCaseDefinition definition, Regex icd, ConcurrentDictionary<string, bool> seen, string normalized)
    {
        if (seen.TryGetValue(normalized, out var known))
        {
            return known;
        }

        var matches = IcdMatches(definition, icd, normalized);
        if (seen.Count < MaxCachedCodes)
        {
            seen.TryAdd(normalized, matches);
        }

        return matches;
    }

    private static bool IcdMatches(FhirCaseDefinition definition, Regex icd, string normalized)
    {
        var match = icd.Match(normalized.Replace(".", "", StringComparison.Ordinal));
        if (!match.Success)
        {
            return false;
        }

        var intent = match.Groups["intent"].Value;
        var encounter = match.Groups["encounter"].Value;
        return intent.Length == 1 && definition.Intents.Contains(intent[0], StringComparison.Ordinal)
            && (encounter.Length == 0 || definition.EncounterCharacters.Contains(encounter[0], StringComparison.Ordinal));
    }

    private static string? FirstTerm(string text, IReadOnlyList<string> terms)
    {
        // Words are compared whole: "od" matches "pt OD on heroin" but not "food".
        var normalized = " " + Normalize(text) + " ";
        foreach (var term in terms)
        {
            if (normalized.Contains(" " + term + " ", StringComparison.Ordinal))
            {
                return term;
            }
        }

        return null;
    }

    private static string Normalize(string text)
    {
        var lower = text.ToLowerInvariant().Replace("o.d.", "od", StringComparison.Ordinal);
        var chars = new char[lower.Length];
        for (var i = 0; i < lower.Length; i++)
        {
            chars[i] = char.IsLetterOrDigit(lower[i]) ? lower[i] : ' ';
        }

        return string.Join(' ', new string(chars).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
