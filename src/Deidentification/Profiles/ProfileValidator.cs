using System.Text.Json;
using System.Text.RegularExpressions;

namespace Hub.Deidentification.Profiles;

/// <summary>The text of one rule file, as the host read it (or as embedded).</summary>
/// <param name="Source">Where it came from (file name), for problem messages.</param>
/// <param name="Json">The JSON text.</param>
public sealed record RuleFileText(string Source, string Json);

/// <summary>
/// Validates disclosure rule files, collecting every problem: unknown field, unknown method, a method the field does not
/// accept, missing key sizes, bad version, and rules that contradict the profile's declared level (a Safe Harbor file that
/// keeps a name). A bad file stops the hub, it is never half-applied.
/// </summary>
public static partial class ProfileValidator
{
    /// <summary>The schema identifier every rule file declares.</summary>
    public const string Schema = "hub-disclosure-profile/1";

    /// <summary>The smallest key any keyed method may use (HMAC-SHA256: 32 bytes).</summary>
    public const int MinimumKeyBytes = 32;

    private static readonly string[] DirectIdentifierFields =
    [
        "subject.familyName", "subject.givenName", "subject.phone", "subject.homeAddress.street",
        "event.location.street", "event.location.block", "event.location.intersection",
    ];

    private static readonly string[] BelowStateGeographyFields =
    [
        "subject.homeAddress.city", "subject.homeAddress.countyFips", "event.location.city", "event.location.countyFips",
        "event.location.censusTract", "event.location.beat", "event.location.point",

        // A town's EMS or police department names a place below state.
        ProfileFields.SourceAgencies,
    ];

    /// <summary>Validates one rule file; returns the profile, or null with the problems.</summary>
    /// <param name="file">The file.</param>
    /// <param name="knownZip3Lists">The restricted-ZIP3 list versions the hub ships.</param>
    /// <param name="problems">Receives every problem, prefixed with the file's source.</param>
    public static DisclosureProfile? Validate(RuleFileText file, IReadOnlyCollection<string> knownZip3Lists, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(knownZip3Lists);
        ArgumentNullException.ThrowIfNull(problems);
        var found = new List<string>();
        DisclosureProfile? profile = null;
        try
        {
            using var document = JsonDocument.Parse(file.Json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            profile = Read(document.RootElement, knownZip3Lists, found);
        }
        catch (JsonException ex)
        {
            found.Add($"not valid JSON at line {ex.LineNumber + 1}, position {ex.BytePositionInLine}");
        }

        foreach (var problem in found)
        {
            problems.Add($"{file.Source}: {problem}");
        }

        return found.Count == 0 ? profile : null;
    }

    /// <summary>Validates every file and the set (unique names); throws with every problem when any is found.</summary>
    /// <param name="files">The rule files.</param>
    /// <param name="knownZip3Lists">The restricted-ZIP3 list versions the hub ships.</param>
    /// <exception cref="ProfileValidationException">Any problem.</exception>
    public static IReadOnlyList<DisclosureProfile> ValidateAll(IEnumerable<RuleFileText> files, IReadOnlyCollection<string> knownZip3Lists)
    {
        ArgumentNullException.ThrowIfNull(files);
        var problems = new List<string>();
        var profiles = new List<DisclosureProfile>();
        foreach (var file in files)
        {
            var profile = Validate(file, knownZip3Lists, problems);
            if (profile is null)
            {
                continue;
            }

            if (profiles.Exists(p => string.Equals(p.Name, profile.Name, StringComparison.Ordinal)))
            {
                problems.Add($"{file.Source}: profile name '{profile.Name}' is defined twice");
                continue;
            }

            profiles.Add(profile);
        }

        if (profiles.Count == 0 && problems.Count == 0)
        {
            problems.Add("no disclosure rule files found");
        }

        return problems.Count > 0 ? throw new ProfileValidationException(problems) : profiles;
    }

    private static DisclosureProfile? Read(JsonElement root, IReadOnlyCollection<string> knownZip3Lists, List<string> problems)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("the root must be a JSON object");
            return null;
        }

        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is not ("schema" or "name" or "version" or "level" or "legalBasis" or "description" or "parameters" or "fields"))
            {
                problems.Add($"unknown property '{property.Name}'");
            }
        }

        var schema = String(root, "schema");
        if (!string.Equals(schema, Schema, StringComparison.Ordinal))
        {
            problems.Add($"'schema' must be '{Schema}' (found '{schema ?? "(missing)"}')");
        }

        var name = String(root, "name");
        if (name is null || !NamePattern().IsMatch(name))
        {
            problems.Add("'name' is missing or not lower-case letters, digits and hyphens");
        }

        var version = String(root, "version");
        if (version is null || !VersionPattern().IsMatch(version))
        {
            problems.Add($"bad version '{version ?? "(missing)"}': expected numbers separated by dots, e.g. 2026.11.1");
        }

        var levelText = String(root, "level");
        ProfileLevel? level = levelText switch
        {
            "identified" => ProfileLevel.Identified,
            "limited" => ProfileLevel.Limited,
            "deidentified" => ProfileLevel.Deidentified,
            _ => null,
        };
        if (level is null)
        {
            problems.Add($"'level' must be identified, limited or deidentified (found '{levelText ?? "(missing)"}')");
        }

        var parameters = ReadParameters(root, problems);
        var rules = ReadFields(root, problems);

        CheckParametersAgainstRules(rules, parameters, knownZip3Lists, problems);
        if (level is { } lvl)
        {
            CheckLevel(lvl, rules, problems);
        }

        if (problems.Count > 0 || name is null || version is null || level is null)
        {
            return null;
        }

        return new DisclosureProfile
        {
            Name = name,
            Version = version,
            Level = level.Value,
            LegalBasis = String(root, "legalBasis"),
            Parameters = parameters,
            Rules = rules,
        };
    }

    private static ProfileParameters ReadParameters(JsonElement root, List<string> problems)
    {
        if (!root.TryGetProperty("parameters", out var p))
        {
            return new ProfileParameters();
        }

        if (p.ValueKind != JsonValueKind.Object)
        {
            problems.Add("'parameters' must be an object");
            return new ProfileParameters();
        }

        foreach (var property in p.EnumerateObject())
        {
            if (property.Name is not ("minKeyBytes" or "dateShiftMaxDays" or "zip3List" or "perturbation"))
            {
                problems.Add($"unknown parameter '{property.Name}'");
            }
        }

        var bands = new List<PerturbationBand>();
        if (p.TryGetProperty("perturbation", out var perturbation))
        {
            if (perturbation.ValueKind != JsonValueKind.Array)
            {
                problems.Add("'parameters.perturbation' must be an array");
            }
            else
            {
                var index = 0;
                foreach (var band in perturbation.EnumerateArray())
                {
                    var meters = Number(band, "meters");
                    var max = Number(band, "maxPeoplePerSqKm");
                    if (meters is null or <= 0)
                    {
                        problems.Add($"'parameters.perturbation[{index}].meters' must be a positive number");
                    }

                    bands.Add(new PerturbationBand { Meters = meters ?? 0, MaxPeoplePerSqKm = max });
                    index++;
                }

                if (bands.Count > 0 && bands[^1].MaxPeoplePerSqKm is not null)
                {
                    problems.Add("the last 'parameters.perturbation' class must have no 'maxPeoplePerSqKm' (it takes every denser place)");
                }
            }
        }

        return new ProfileParameters
        {
            MinKeyBytes = Integer(p, "minKeyBytes", problems),
            DateShiftMaxDays = Integer(p, "dateShiftMaxDays", problems),
            Zip3List = String(p, "zip3List"),
            Perturbation = bands,
        };
    }

    private static Dictionary<string, FieldRule> ReadFields(JsonElement root, List<string> problems)
    {
        var rules = new Dictionary<string, FieldRule>(StringComparer.Ordinal);
        if (!root.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object)
        {
            problems.Add("'fields' is missing or not an object");
            return rules;
        }

        foreach (var property in fields.EnumerateObject())
        {
            var field = property.Name;
            if (!ProfileFields.All.TryGetValue(field, out var kind))
            {
                problems.Add($"unknown field '{field}'");
                continue;
            }

            if (rules.ContainsKey(field))
            {
                problems.Add($"field '{field}' is given twice");
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"field '{field}': the rule must be an object with a 'method'");
                continue;
            }

            var method = String(property.Value, "method");
            if (method is null || !ProfileFields.MethodsFor(kind).Contains(method))
            {
                problems.Add($"field '{field}': unknown method '{method ?? "(missing)"}' (allowed: {string.Join(", ", ProfileFields.MethodsFor(kind))})");
                continue;
            }

            var rule = new FieldRule
            {
                Field = field,
                Method = method,
                To = String(property.Value, "to"),
                BandYears = Integer(property.Value, "bandYears", problems),
                CellDegrees = Number(property.Value, "cellDegrees"),
            };
            CheckRule(kind, rule, problems);
            rules[field] = rule;
        }

        foreach (var (field, kind) in ProfileFields.All)
        {
            if (kind != FieldKind.FreeText && !rules.ContainsKey(field))
            {
                problems.Add($"field '{field}' has no rule (every field needs one; only free text defaults to redact)");
            }
        }

        return rules;
    }

    private static void CheckRule(FieldKind kind, FieldRule rule, List<string> problems)
    {
        var targets = ProfileFields.GeneralizationsFor(kind);
        if (string.Equals(rule.Method, ProfileFields.Methods.Generalize, StringComparison.Ordinal))
        {
            if (rule.To is null || !targets.Contains(rule.To))
            {
                problems.Add($"field '{rule.Field}': generalize needs 'to' one of {string.Join(", ", targets)} (found '{rule.To ?? "(missing)"}')");
            }
            else if (rule.To == ProfileFields.Generalizations.AgeBand && rule.BandYears is not (>= 1 and <= 30))
            {
                problems.Add($"field '{rule.Field}': age-band needs 'bandYears' between 1 and 30");
            }
            else if (rule.To == ProfileFields.Generalizations.Grid && rule.CellDegrees is not (> 0 and <= 1))
            {
                problems.Add($"field '{rule.Field}': grid needs 'cellDegrees' above 0 and at most 1");
            }
        }
        else if (rule.To is not null)
        {
            problems.Add($"field '{rule.Field}': 'to' is only for generalize");
        }
    }

    private static void CheckParametersAgainstRules(
        Dictionary<string, FieldRule> rules, ProfileParameters parameters, IReadOnlyCollection<string> knownZip3Lists, List<string> problems)
    {
        var keyed = rules.Values.Any(r => r.Method is ProfileFields.Methods.Pseudonymize or ProfileFields.Methods.Shift or ProfileFields.Methods.Perturb);
        if (keyed && parameters.MinKeyBytes is null)
        {
            problems.Add("missing key size: 'parameters.minKeyBytes' is required when a field is pseudonymized, shifted or perturbed");
        }
        else if (parameters.MinKeyBytes is { } bytes && bytes < MinimumKeyBytes)
        {
            problems.Add($"'parameters.minKeyBytes' is {bytes}: HMAC-SHA256 keys must be at least {MinimumKeyBytes} bytes");
        }

        if (rules.Values.Any(r => r.Method == ProfileFields.Methods.Shift) && parameters.DateShiftMaxDays is not (>= 1 and <= 365))
        {
            problems.Add("'parameters.dateShiftMaxDays' must be between 1 and 365 when a date is shifted");
        }

        if (parameters.Zip3List is { } list && !knownZip3Lists.Contains(list))
        {
            problems.Add($"unknown restricted-ZIP3 list '{list}' (known: {string.Join(", ", knownZip3Lists)})");
        }

        if (rules.Values.Any(r => r.Method == ProfileFields.Methods.Perturb) && parameters.Perturbation.Count == 0)
        {
            problems.Add("'parameters.perturbation' must list density classes when a point is perturbed");
        }
    }

    private static void CheckLevel(ProfileLevel level, Dictionary<string, FieldRule> rules, List<string> problems)
    {
        if (level == ProfileLevel.Identified)
        {
            return;
        }

        foreach (var field in DirectIdentifierFields)
        {
            if (rules.TryGetValue(field, out var rule) && rule.Method != ProfileFields.Methods.Redact)
            {
                problems.Add($"field '{field}': a {Level(level)} profile must redact direct identifiers (found {rule.Describe()})");
            }
        }

        if (rules.TryGetValue("event.location.point", out var point) && point.Method == ProfileFields.Methods.Keep)
        {
            problems.Add($"field 'event.location.point': a {Level(level)} profile must not keep the exact point (perturb, generalize to a grid, or redact)");
        }

        if (rules.TryGetValue("event.narrative", out var narrative) && narrative.Method != ProfileFields.Methods.Redact)
        {
            problems.Add($"field 'event.narrative': a {Level(level)} profile must drop free text");
        }

        if (level != ProfileLevel.Deidentified)
        {
            return;
        }

        foreach (var field in BelowStateGeographyFields)
        {
            if (rules.TryGetValue(field, out var rule) && rule.Method != ProfileFields.Methods.Redact)
            {
                problems.Add($"field '{field}': Safe Harbor removes geography below state (found {rule.Describe()})");
            }
        }

        foreach (var field in new[] { "subject.homeAddress.zip", "event.location.zip" })
        {
            if (rules.TryGetValue(field, out var rule) && rule.Method != ProfileFields.Methods.Redact && rule.To != ProfileFields.Generalizations.Zip3)
            {
                problems.Add($"field '{field}': Safe Harbor allows only ZIP3 with the restricted list (found {rule.Describe()})");
            }
        }

        foreach (var field in new[] { "subject.birthDate", "event.occurredAt", ProfileFields.HeaderTime })
        {
            if (rules.TryGetValue(field, out var rule) && rule.Method is not (ProfileFields.Methods.Redact or ProfileFields.Methods.TruncateYear))
            {
                problems.Add($"field '{field}': Safe Harbor keeps only the year of dates (found {rule.Describe()})");
            }
        }

        if (rules.TryGetValue("subject.age", out var age) && age.Method == ProfileFields.Methods.Keep)
        {
            problems.Add("field 'subject.age': Safe Harbor needs ages over 89 as 90+ (use generalize)");
        }

        if (rules.TryGetValue("subject.pseudonym", out var pseudonym) && pseudonym.Method != ProfileFields.Methods.Redact)
        {
            problems.Add("field 'subject.pseudonym': Safe Harbor forbids a code derived from the person's information (164.514(c))");
        }
    }

    private static string Level(ProfileLevel level) => level == ProfileLevel.Limited ? "limited-data-set" : "de-identified";

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : null;

    private static int? Integer(JsonElement element, string name, List<string> problems)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result))
        {
            return result;
        }

        problems.Add($"'{name}' must be an integer (found {value.GetRawText()})");
        return null;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\d+(\.\d+){0,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
