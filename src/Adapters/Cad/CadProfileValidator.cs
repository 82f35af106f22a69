using System.Globalization;
using System.Text.RegularExpressions;
using Hub.Adapters.Feeds;
using Hub.Contracts.Model;

namespace Hub.Adapters.Cad;

/// <summary>
/// Checks a CAD profile before any file is read and lists every problem at once (unknown time zone, missing required
/// column, bad regular expression...), so an agency fixes its profile in one round instead of one error per start.
/// </summary>
public static class CadProfileValidator
{
    /// <summary>How long one profile regular expression may run on one value before the value counts as not matching.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(250);

    private static readonly string[] IsoLocalFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm",
    ];

    private static readonly string[] IsoOffsetFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    private static readonly HashSet<string> TimeFields =
        [nameof(CadField.Received), nameof(CadField.Dispatched), nameof(CadField.OnScene), nameof(CadField.Closed)];

    /// <summary>Every problem of <paramref name="profile"/>; empty when it can be used.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="feedTimeZone">The feed's time zone, used when the profile names none.</param>
    public static IReadOnlyList<string> Validate(CadFeedProfile profile, string? feedTimeZone)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var problems = new List<string>();
        _ = Build(profile, feedTimeZone, problems);
        return problems;
    }

    /// <summary>Throws <see cref="FeedConfigurationException"/> listing every problem, when there is any.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="feedTimeZone">The feed's time zone, used when the profile names none.</param>
    public static void ThrowIfInvalid(CadFeedProfile profile, string? feedTimeZone) => _ = Compile(profile, feedTimeZone);

    internal static CompiledCadProfile Compile(CadFeedProfile profile, string? feedTimeZone)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var problems = new List<string>();
        var compiled = Build(profile, feedTimeZone, problems);
        if (problems.Count > 0 || compiled is null)
        {
            var name = string.IsNullOrWhiteSpace(profile.Name) ? "(unnamed)" : profile.Name;
            throw new FeedConfigurationException(
                $"CAD profile '{name}' has {problems.Count} problem(s):" + Environment.NewLine + "- " +
                string.Join(Environment.NewLine + "- ", problems));
        }

        return compiled;
    }

    private static CompiledCadProfile? Build(CadFeedProfile profile, string? feedTimeZone, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(profile.Name))
        {
            problems.Add("Name is empty: a profile needs a name (it is recorded as the detection version).");
        }

        if (string.IsNullOrWhiteSpace(profile.Version))
        {
            problems.Add("Version is empty.");
        }

        if (string.IsNullOrEmpty(profile.Delimiter))
        {
            problems.Add("Delimiter is empty.");
        }
        else if (profile.Delimiter.Contains(profile.Quote, StringComparison.Ordinal) || profile.Delimiter.Contains('\n', StringComparison.Ordinal) || profile.Delimiter.Contains('\r', StringComparison.Ordinal))
        {
            problems.Add("Delimiter must not contain the quote character or a line break.");
        }

        if (profile.Quote is '\0' or '\r' or '\n')
        {
            problems.Add("Quote must be a visible character such as '\"'.");
        }

        var encoding = CadEncodings.Resolve(profile.Encoding);
        if (encoding is null)
        {
            problems.Add($"Encoding '{profile.Encoding}' is not supported: use utf-8, windows-1252 or iso-8859-1.");
        }

        var zoneId = string.IsNullOrWhiteSpace(profile.TimeZone) ? feedTimeZone : profile.TimeZone;
        TimeZoneInfo? zone = null;
        if (string.IsNullOrWhiteSpace(zoneId))
        {
            problems.Add("No time zone: set TimeZone on the profile or on the feed (an IANA id such as America/Los_Angeles).");
        }
        else if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out zone))
        {
            problems.Add($"TimeZone '{zoneId}' is not a known IANA time zone (e.g. America/New_York).");
        }

        var columns = new Dictionary<CadField, CadColumnSpec>();
        foreach (var (key, column) in profile.Columns ?? [])
        {
            if (!Enum.TryParse<CadField>(key, ignoreCase: true, out var field) || int.TryParse(key, CultureInfo.InvariantCulture, out _))
            {
                problems.Add($"Columns: unknown field '{key}'. Known fields: {string.Join(", ", Enum.GetNames<CadField>())}.");
                continue;
            }

            if (column is null)
            {
                problems.Add($"Columns.{field}: is null.");
                continue;
            }

            var spec = BuildColumn(field, column, $"Columns.{field}", profile.HasHeaderRow, TimeFields.Contains(field.ToString()), problems, allowParts: true);
            if (spec is not null)
            {
                columns[field] = spec;
            }
        }

        var rule = profile.Overdose ?? new CadOverdoseRule();
        if (profile.CountyFips is { } countyFips && (countyFips.Length != 5 || !countyFips.All(char.IsAsciiDigit)))
        {
            problems.Add($"CountyFips: '{countyFips}' is not a 5-digit county FIPS code (state + county, e.g. 42091).");
        }

        Require(CadField.IncidentId);
        Require(CadField.Received);
        switch (rule.MatchOn)
        {
            case CadCallTypeMatch.Original:
                Require(CadField.CallTypeOriginal);
                break;
            case CadCallTypeMatch.Final:
                Require(CadField.CallTypeFinal);
                break;
            default:
                if (!profile.Columns!.ContainsKey(nameof(CadField.CallTypeOriginal)) && !profile.Columns.ContainsKey(nameof(CadField.CallTypeFinal)))
                {
                    problems.Add("Columns: CallTypeOriginal or CallTypeFinal is required (the call type decides what is an overdose).");
                }

                break;
        }

        if (profile.Columns!.ContainsKey(nameof(CadField.Latitude)) != profile.Columns.ContainsKey(nameof(CadField.Longitude)))
        {
            problems.Add("Columns: Latitude and Longitude must be mapped together.");
        }

        var callTypes = rule.CallTypes ?? [];
        var patternTexts = rule.Patterns ?? [];
        if (callTypes.Count == 0 && patternTexts.Count == 0)
        {
            problems.Add("Overdose: list at least one call type in CallTypes or one regular expression in Patterns.");
        }

        for (var i = 0; i < callTypes.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(callTypes[i]))
            {
                problems.Add($"Overdose.CallTypes[{i}] is empty.");
            }
        }

        var patterns = new List<Regex>();
        for (var i = 0; i < patternTexts.Count; i++)
        {
            if (CompileRegex(patternTexts[i], $"Overdose.Patterns[{i}]", problems, needsGroup: false) is { } regex)
            {
                patterns.Add(regex);
            }
        }

        if (!Enum.IsDefined(rule.MatchOn))
        {
            problems.Add("Overdose.MatchOn must be Either, Original or Final.");
        }

        var dispositions = new Dictionary<string, DispositionKind>(StringComparer.OrdinalIgnoreCase);
        foreach (var (value, kindText) in profile.Dispositions ?? [])
        {
            if (Enum.TryParse<DispositionKind>(kindText, ignoreCase: true, out var kind) && !int.TryParse(kindText, CultureInfo.InvariantCulture, out _))
            {
                dispositions[value.Trim()] = kind;
            }
            else
            {
                problems.Add($"Dispositions['{value}']: '{kindText}' is not one of {string.Join(", ", Enum.GetNames<DispositionKind>())}.");
            }
        }

        if (!string.IsNullOrEmpty(profile.State) && (profile.State.Length != 2 || !profile.State.All(char.IsAsciiLetterOrDigit)))
        {
            problems.Add($"State '{profile.State}' must be a two-letter USPS code or a two-digit FIPS code.");
        }

        if (problems.Count > 0 || encoding is null || zone is null)
        {
            return null;
        }

        return new CompiledCadProfile
        {
            Source = profile,
            DefinitionVersion = profile.Name.Trim() + "/" + profile.Version.Trim(),
            Encoding = encoding,
            Zone = zone,
            Columns = columns,
            CallTypes = new FrozenCallTypes(callTypes),
            Patterns = patterns,
            MatchOn = rule.MatchOn,
            Dispositions = dispositions,
            SensitiveValues = new HashSet<string>((profile.SensitiveValues ?? []).Select(v => v.Trim()), StringComparer.OrdinalIgnoreCase),
        };

        void Require(CadField field)
        {
            if (!profile.Columns!.ContainsKey(field.ToString()))
            {
                problems.Add($"Columns: {field} is required.");
            }
        }
    }

    private static CadColumnSpec? BuildColumn(CadField field, CadColumn column, string path, bool hasHeader, bool isTime, List<string> problems, bool allowParts)
    {
        var before = problems.Count;
        var names = new List<string>();
        if (!string.IsNullOrWhiteSpace(column.Name))
        {
            names.Add(column.Name.Trim());
        }

        foreach (var alias in column.Aliases ?? [])
        {
            if (string.IsNullOrWhiteSpace(alias))
            {
                problems.Add($"{path}.Aliases has an empty name.");
            }
            else
            {
                names.Add(alias.Trim());
            }
        }

        List<CadColumnSpec>? parts = null;
        if (column.Parts is { Count: > 0 })
        {
            if (!allowParts)
            {
                problems.Add($"{path}.Parts: parts cannot be nested.");
            }
            else if (isTime)
            {
                problems.Add($"{path}.Parts: a time is read from one column (use Extract to pull it out of a longer one).");
            }
            else
            {
                parts = [];
                for (var i = 0; i < column.Parts.Count; i++)
                {
                    if (column.Parts[i] is null)
                    {
                        problems.Add($"{path}.Parts[{i}] is null.");
                    }
                    else if (BuildColumn(field, column.Parts[i], $"{path}.Parts[{i}]", hasHeader, isTime: false, problems, allowParts: false) is { } part)
                    {
                        parts.Add(part);
                    }
                }
            }
        }
        else if (column.Index is { } index)
        {
            if (index < 0)
            {
                problems.Add($"{path}.Index must be 0 or more.");
            }
        }
        else if (!hasHeader)
        {
            problems.Add($"{path}: the file has no header row, so the column needs an Index.");
        }
        else if (names.Count == 0)
        {
            problems.Add($"{path}: give the column a Name (or an Index, or Parts).");
        }

        var localFormats = new List<string>();
        var offsetFormats = new List<string>();
        if (column.Formats is { Count: > 0 } formats)
        {
            if (!isTime)
            {
                problems.Add($"{path}.Formats: only time fields (Received, Dispatched, OnScene, Closed) have formats.");
            }

            foreach (var format in formats)
            {
                if (string.IsNullOrWhiteSpace(format))
                {
                    problems.Add($"{path}.Formats has an empty format.");
                }
                else if (!IsUsableFormat(format))
                {
                    problems.Add($"{path}.Formats: '{format}' is not a valid .NET custom date-time format.");
                }
                else if (HasOffsetSpecifier(format))
                {
                    offsetFormats.Add(format);
                }
                else
                {
                    localFormats.Add(format);
                }
            }
        }
        else if (isTime)
        {
            localFormats.AddRange(IsoLocalFormats);
            offsetFormats.AddRange(IsoOffsetFormats);
        }

        if (column.Hash && field != CadField.IncidentId)
        {
            problems.Add($"{path}.Hash: only IncidentId can be hashed.");
        }

        var extract = column.Extract is null ? null : CompileRegex(column.Extract, path + ".Extract", problems, needsGroup: true);
        if (problems.Count > before)
        {
            return null;
        }

        return new CadColumnSpec
        {
            Field = field,
            Names = names,
            Index = column.Index,
            LocalFormats = [.. localFormats],
            FastIsoLocal = localFormats.Any(f => f is "yyyy-MM-dd HH:mm:ss" or "yyyy-MM-dd'T'HH:mm:ss" or "yyyy-MM-dd HH:mm:ss.FFFFFFF" or "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"),
            OffsetFormats = [.. offsetFormats],
            FormatText = column.Formats is { Count: > 0 } ? string.Join(" | ", column.Formats) : "ISO 8601",
            Extract = extract,
            Hash = column.Hash && allowParts,
            Parts = parts,
        };
    }

    private static Regex? CompileRegex(string? pattern, string path, List<string> problems, bool needsGroup)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            problems.Add($"{path} is empty.");
            return null;
        }

        try
        {
            var regex = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, RegexTimeout);
            if (needsGroup && regex.GetGroupNumbers().Length < 2)
            {
                problems.Add($"{path}: '{pattern}' needs a capture group ( ... ) around the value.");
                return null;
            }

            return regex;
        }
        catch (ArgumentException ex)
        {
            problems.Add($"{path}: '{pattern}' is not a valid regular expression ({ex.Message}).");
            return null;
        }
    }

    private static bool IsUsableFormat(string format)
    {
        try
        {
            _ = new DateTimeOffset(2024, 3, 10, 2, 30, 0, TimeSpan.Zero).ToString(format, CultureInfo.InvariantCulture);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool HasOffsetSpecifier(string format)
    {
        var quoted = '\0';
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (quoted != '\0')
            {
                if (c == quoted)
                {
                    quoted = '\0';
                }
            }
            else if (c is '\'' or '"')
            {
                quoted = c;
            }
            else if (c == '\\')
            {
                i++;
            }
            else if (c is 'z' or 'K')
            {
                return true;
            }
        }

        return false;
    }
}
