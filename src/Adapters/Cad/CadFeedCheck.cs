using Hub.Adapters.Feeds;
using Hub.Contracts.Model;

namespace Hub.Adapters.Cad;

/// <summary>
/// Profile check for <c>hub feeds check FILE --feed ID</c>: reads a whole file by the feed's profile and reports, per
/// mapped column, how many values parsed, how many were empty, how many failed and why (value shapes, not values),
/// so an agency can fix its profile in minutes. Reports hold header names, counts, line numbers, call-type codes and
/// value shapes only: nothing that identifies a person.
/// </summary>
public static class CadFeedCheck
{
    /// <summary>How many failure reasons are kept per column (most frequent first).</summary>
    public const int TopReasons = 5;

    /// <summary>Checks <paramref name="content"/> against the profile of <paramref name="feed"/>; throws <see cref="FeedConfigurationException"/> for a bad profile.</summary>
    public static async Task<CadFeedCheckResult> RunAsync(FeedOptions feed, Stream content, string sourceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(content);
        var profile = CadProfileLoader.Compile(feed);
        var context = new CadFeedContext(feed.Id, feed.AgencyId, KeepNarrative: false);
        var source = new SourceDocument(sourceName ?? "input", "", DateTimeOffset.UnixEpoch);
        using var session = CadCsvSession.Open(content, profile);

        CadColumnMap? map = null;
        CadRowMapper? mapper = null;
        var stats = new Dictionary<CadField, ColumnStats>();
        var rejects = new Tally();
        var callTypes = new Tally();
        long records = 0, overdose = 0, notOverdose = 0, rejected = 0;
        var incidentIds = new HashSet<string>(StringComparer.Ordinal);
        long duplicateIds = 0;

        if (profile.Source.HasHeaderRow && await session.ReadAsync().ConfigureAwait(false))
        {
            map = CadColumnMap.Resolve(profile, session.Parser);
            mapper = new CadRowMapper(profile, context, map);
        }

        while ((map is not null || !profile.Source.HasHeaderRow) && await session.ReadAsync().ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (map is null)
            {
                map = CadColumnMap.Resolve(profile, session.Parser);
                mapper = new CadRowMapper(profile, context, map);
            }

            records++;
            var outcome = mapper!.Map(session.Parser, session.Line, session.BadQuoting, source);
            switch (outcome.Kind)
            {
                case RecordOutcomeKind.Overdose:
                    overdose++;
                    callTypes.Add(outcome.Event!.Detection.Evidence[0].Element + " = " + outcome.Event.Detection.Evidence[0].Value, session.Line);
                    break;
                case RecordOutcomeKind.NotOverdose:
                    notOverdose++;
                    break;
                default:
                    rejected++;
                    rejects.Add(outcome.Reject!.Reason, session.Line);
                    break;
            }

            if (session.Parser.Count != map.ExpectedFieldCount)
            {
                continue;
            }

            foreach (var (field, column) in map.Found)
            {
                var s = stats.TryGetValue(field, out var existing) ? existing : stats[field] = new ColumnStats();
                CheckValue(profile, field, column, session, s);
                if (field == CadField.IncidentId && column.Raw(session.Parser) is { Length: > 0 } id && !incidentIds.Add(id))
                {
                    duplicateIds++;
                }
            }
        }

        if (session.FatalProblem is { } fatal)
        {
            records++;
            rejected++;
            rejects.Add(fatal, session.Line);
        }

        var required = map is null ? [] : CadRowMapper.RequiredFields(profile).ToHashSet();
        var columns = profile.Columns.Keys.Order().Select(field =>
        {
            var found = map?[field];
            var s = stats.GetValueOrDefault(field) ?? new ColumnStats();
            return new CadColumnCheck
            {
                Field = field,
                Column = found?.Label,
                Required = required.Contains(field),
                Problem = found is null && map is not null ? $"not in the header (looked for {map.Missing[field]})" : null,
                Parsed = s.Parsed,
                Empty = s.Empty,
                Failed = s.Failures.Total,
                TopFailures = s.Failures.Top(TopReasons),
            };
        }).ToList();

        var mappedHeaders = map?.Found.Values.SelectMany(c => c.Label.Split('+')).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        return new CadFeedCheckResult
        {
            Profile = profile.DefinitionVersion,
            TimeZone = profile.Zone.Id,
            Encoding = session.Encoding.WebName,
            Records = records,
            Overdose = overdose,
            NotOverdose = notOverdose,
            Rejected = rejected,
            DuplicateIncidentIds = duplicateIds,
            Header = map?.Header ?? [],
            UnmappedHeaders = [.. (map?.Header ?? []).Where(h => h.Length > 0 && !mappedHeaders.Contains(h))],
            Columns = columns,
            RejectReasons = rejects.Top(10),
            OverdoseCallTypes = callTypes.Top(20),
        };
    }

    private static void CheckValue(CompiledCadProfile profile, CadField field, ResolvedColumn column, CadCsvSession session, ColumnStats s)
    {
        var row = session.Parser;
        var value = column.Value(row);
        if (value is null)
        {
            s.Failures.Add($"Extract expression did not match (shape '{CadTime.Shape(column.Raw(row))}')", session.Line);
            return;
        }

        if (value.Length == 0)
        {
            s.Empty++;
            return;
        }

        string? failure = field switch
        {
            CadField.Received or CadField.Dispatched or CadField.OnScene or CadField.Closed =>
                CadTime.TryParse(value, column.Spec, out _, out _) ? null : $"unparsable time: shape '{CadTime.Shape(value)}', expected {column.Spec.FormatText}",
            CadField.Latitude => CadRowMapper.TryCoordinate(value, 90, out _) ? null : $"not a latitude in decimal degrees: shape '{CadTime.Shape(value)}'",
            CadField.Longitude => CadRowMapper.TryCoordinate(value, 180, out _) ? null : $"not a longitude in decimal degrees: shape '{CadTime.Shape(value)}'",
            CadField.Zip => IsZip(value) ? null : $"not a 5-digit ZIP or ZIP+4: shape '{CadTime.Shape(value)}'",
            CadField.Disposition => CadDetection.Disposition(profile, value) == DispositionKind.Other && !profile.Dispositions.ContainsKey(value)
                ? $"not recognized, kept as Other: '{Code(value)}' (add it to Dispositions)"
                : null,
            CadField.Sensitive => profile.SensitiveValues.Contains(value) || IsFalse(value) ? null : $"neither a sensitive value nor a no: '{Code(value)}'",
            _ => null,
        };

        if (failure is null)
        {
            s.Parsed++;
        }
        else
        {
            s.Failures.Add(failure, session.Line);
        }
    }

    private static bool IsZip(string value) =>
        (value.Length == 5 && value.All(char.IsAsciiDigit)) ||
        (value.Length == 10 && value[5] == '-' && value.Remove(5, 1).All(char.IsAsciiDigit));

    private static bool IsFalse(string value) =>
        value.Equals("N", StringComparison.OrdinalIgnoreCase) || value.Equals("NO", StringComparison.OrdinalIgnoreCase) ||
        value.Equals("FALSE", StringComparison.OrdinalIgnoreCase) || value.Equals("F", StringComparison.OrdinalIgnoreCase) || value == "0";

    /// <summary>Codes (dispositions, flags) are shown when short and code-like; anything longer is shown as its shape.</summary>
    private static string Code(string value) => value.Length <= 12 ? value : "shape " + CadTime.Shape(value);

    private sealed class ColumnStats
    {
        public long Parsed { get; set; }

        public long Empty { get; set; }

        public Tally Failures { get; } = new();
    }

    private sealed class Tally
    {
        private const int MaxDistinct = 1000;
        private readonly Dictionary<string, (long Count, long FirstLine)> counts = new(StringComparer.Ordinal);

        public long Total { get; private set; }

        public void Add(string reason, long line)
        {
            Total++;
            if (counts.TryGetValue(reason, out var entry))
            {
                counts[reason] = (entry.Count + 1, entry.FirstLine);
            }
            else if (counts.Count < MaxDistinct)
            {
                counts[reason] = (1, line);
            }
        }

        public IReadOnlyList<CadReasonCount> Top(int n) =>
            [.. counts.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Value.FirstLine).Take(n)
                .Select(kv => new CadReasonCount(kv.Key, kv.Value.Count, kv.Value.FirstLine))];
    }
}

/// <summary>What <see cref="CadFeedCheck"/> found in one file. No values that identify people.</summary>
public sealed record CadFeedCheckResult
{
    /// <summary>The profile as <c>name/version</c>.</summary>
    public required string Profile { get; init; }

    /// <summary>The time zone floating times were read in.</summary>
    public required string TimeZone { get; init; }

    /// <summary>The encoding used (a BOM wins over the profile).</summary>
    public required string Encoding { get; init; }

    /// <summary>Data records read (excluding the header).</summary>
    public required long Records { get; init; }

    /// <summary>Records classified as overdose calls.</summary>
    public required long Overdose { get; init; }

    /// <summary>Records read but not overdose calls.</summary>
    public required long NotOverdose { get; init; }

    /// <summary>Records rejected.</summary>
    public required long Rejected { get; init; }

    /// <summary>Records whose incident id was seen before in the file.</summary>
    public required long DuplicateIncidentIds { get; init; }

    /// <summary>The header names of the file.</summary>
    public required IReadOnlyList<string> Header { get; init; }

    /// <summary>Header names the profile does not read.</summary>
    public required IReadOnlyList<string> UnmappedHeaders { get; init; }

    /// <summary>One entry per field the profile maps.</summary>
    public required IReadOnlyList<CadColumnCheck> Columns { get; init; }

    /// <summary>Why records were rejected, most frequent first.</summary>
    public required IReadOnlyList<CadReasonCount> RejectReasons { get; init; }

    /// <summary>The call types that matched as overdose (<c>column = code</c>), with counts.</summary>
    public required IReadOnlyList<CadReasonCount> OverdoseCallTypes { get; init; }
}

/// <summary>How one mapped field fared.</summary>
public sealed record CadColumnCheck
{
    /// <summary>The hub field.</summary>
    public required CadField Field { get; init; }

    /// <summary>The header name(s) it was read from, or null when not found.</summary>
    public string? Column { get; init; }

    /// <summary>True when records cannot be read without it.</summary>
    public bool Required { get; init; }

    /// <summary>A problem with the column itself (not in the header), or null.</summary>
    public string? Problem { get; init; }

    /// <summary>Non-empty values that parsed.</summary>
    public long Parsed { get; init; }

    /// <summary>Empty values.</summary>
    public long Empty { get; init; }

    /// <summary>Values that did not parse.</summary>
    public long Failed { get; init; }

    /// <summary>The most frequent failure reasons.</summary>
    public IReadOnlyList<CadReasonCount> TopFailures { get; init; } = [];
}

/// <summary>A reason (or call type) with how often it occurred and the first line where it did.</summary>
/// <param name="Reason">The reason, with value shapes or codes only.</param>
/// <param name="Count">How many times.</param>
/// <param name="FirstLine">First line (1-based) where it occurred.</param>
public sealed record CadReasonCount(string Reason, long Count, long FirstLine);
