using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using Hub.Adapters.Feeds;
using Hub.Contracts.Model;

namespace Hub.Adapters.Cad;

/// <summary>The feed facts a CAD event carries besides the row.</summary>
internal sealed record CadFeedContext(string FeedId, string AgencyId, bool KeepNarrative);

/// <summary>
/// Turns one CSV record into exactly one outcome: a reject (ragged, bad quoting, no incident id, unparsable time),
/// a counted non-overdose, or an <see cref="OverdoseEvent"/>. Values are kept as read.
/// </summary>
internal sealed class CadRowMapper
{
    private static readonly CadField[] TimeFields = [CadField.Received, CadField.Dispatched, CadField.OnScene, CadField.Closed];

    private readonly CompiledCadProfile profile;
    private readonly CadFeedContext feed;
    private readonly CadColumnMap map;
    private readonly string definition;
    private readonly (string Reason, string Column)? headerProblem;
    private readonly ResolvedColumn incidentId;
    private readonly ResolvedColumn received;
    private readonly ResolvedColumn? original;
    private readonly ResolvedColumn? final;
    private readonly ResolvedColumn[] otherTimes;

    public CadRowMapper(CompiledCadProfile profile, CadFeedContext feed, CadColumnMap map)
    {
        this.profile = profile;
        this.feed = feed;
        this.map = map;
        definition = profile.Definition;
        original = map[CadField.CallTypeOriginal];
        final = map[CadField.CallTypeFinal];
        otherTimes = [.. TimeFields.Skip(1).Select(f => map[f]).OfType<ResolvedColumn>()];

        foreach (var required in RequiredFields(profile))
        {
            if (map.Missing.TryGetValue(required, out var lookedFor))
            {
                headerProblem = ($"the header has no column for {required} (looked for {lookedFor})", required.ToString());
                break;
            }
        }

        if (headerProblem is null && original is null && final is null)
        {
            headerProblem = ("the header has no call-type column", nameof(CadField.CallTypeOriginal));
        }

        incidentId = map[CadField.IncidentId]!;
        received = map[CadField.Received]!;
    }

    public string Definition => definition;

    /// <summary>Fields without which no record can be read.</summary>
    public static IEnumerable<CadField> RequiredFields(CompiledCadProfile profile)
    {
        yield return CadField.IncidentId;
        yield return CadField.Received;
        if (profile.MatchOn == CadCallTypeMatch.Original)
        {
            yield return CadField.CallTypeOriginal;
        }
        else if (profile.MatchOn == CadCallTypeMatch.Final)
        {
            yield return CadField.CallTypeFinal;
        }
    }

    public RecordOutcome Map(IParser row, long line, bool badQuoting, SourceDocument source)
    {
        if (headerProblem is { } problem)
        {
            return RecordOutcome.Rejected(null, problem.Reason, $"line {line}, column {problem.Column}");
        }

        if (row.Count != map.ExpectedFieldCount)
        {
            return RecordOutcome.Rejected(
                null,
                $"ragged row: {row.Count} fields where the header has {map.ExpectedFieldCount}",
                $"line {line}, column {RaggedColumn(row.Count)}");
        }

        var id = incidentId.Raw(row);
        if (incidentId.Spec.Hash && id.Length > 0)
        {
            id = "h-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)).AsSpan(0, 10));
        }
        if (badQuoting)
        {
            return RecordOutcome.Rejected(id.Length == 0 ? null : id, "malformed quoting: a quote inside an unquoted field", $"line {line}, column (record)");
        }

        if (id.Length == 0)
        {
            return RecordOutcome.Rejected(null, "missing incident id", $"line {line}, column {incidentId.Label}");
        }

        var receivedText = received.Value(row);
        if (string.IsNullOrEmpty(receivedText))
        {
            return RecordOutcome.Rejected(id, receivedText is null ? $"received time not found in the value (shape '{CadTime.Shape(received.Raw(row))}')" : "missing received time", $"line {line}, column {received.Label}");
        }

        if (!CadTime.TryParse(receivedText, received.Spec, out var receivedClock, out var receivedOffset))
        {
            return TimeReject(id, received, receivedText, line);
        }

        foreach (var column in otherTimes)
        {
            var text = column.Value(row);
            if (text is null)
            {
                return RecordOutcome.Rejected(id, $"time not found in the value (shape '{CadTime.Shape(column.Raw(row))}')", $"line {line}, column {column.Label}");
            }

            if (text.Length > 0 && !CadTime.TryParse(text, column.Spec, out _, out _))
            {
                return TimeReject(id, column, text, line);
            }
        }

        string? rule = null;
        string? callType = null;
        ResolvedColumn? matchedColumn = null;
        var originalType = original?.Value(row) ?? "";
        var finalType = final?.Value(row) ?? "";
        if (profile.MatchOn != CadCallTypeMatch.Final && original is not null)
        {
            rule = CadDetection.Match(profile, originalType);
            (callType, matchedColumn) = (originalType, original);
        }

        if (rule is null && profile.MatchOn != CadCallTypeMatch.Original && final is not null)
        {
            rule = CadDetection.Match(profile, finalType);
            (callType, matchedColumn) = (finalType, final);
        }

        if (rule is null)
        {
            return new RecordOutcome { Kind = RecordOutcomeKind.NotOverdose, SourceRecordId = id, Definition = definition };
        }

        var occurredAt = receivedOffset is { } offset
            ? new DateTimeOffset(receivedClock, offset)
            : CadTime.InZone(receivedClock, profile.Zone);
        var warnings = new List<string>();
        var location = Location(row, line, warnings);
        var dispositionText = map[CadField.Disposition]?.Value(row) ?? "";
        var description = map[CadField.Description]?.Value(row);

        var overdose = new OverdoseEvent
        {
            EventId = EventIdFor(feed.FeedId, id),
            SourceKind = SourceKind.Police,
            FeedId = feed.FeedId,
            SourceAgencyId = feed.AgencyId,
            SourceRecordId = id,
            OccurredAt = occurredAt,
            Timeline = new EventTimeline
            {
                CallReceivedAt = occurredAt,
                DispatchedAt = TimeOf(CadField.Dispatched, row),
                ArrivedOnSceneAt = TimeOf(CadField.OnScene, row),
                ClosedAt = TimeOf(CadField.Closed, row),
            },
            RecordIdentifiers = [new RecordIdentifier { Kind = "incident-number", Value = id }],
            Location = location,
            Clinical = new ClinicalFacts
            {
                Substance = SubstanceClass.Unknown,
                DispatchReason = callType,
                Disposition = CadDetection.Disposition(profile, dispositionText),
                DispositionCodes = dispositionText.Length == 0 ? [] : [dispositionText],
                DispositionText = dispositionText.Length == 0 ? null : dispositionText,
            },
            Detection = new DetectionResult
            {
                DefinitionId = CadDetection.DefinitionId,
                DefinitionVersion = profile.DefinitionVersion,
                Evidence = [new DetectionEvidence { Rule = rule, Element = matchedColumn!.Label, Value = callType! }],
            },
            Provenance = new Provenance
            {
                Source = source.Name,
                Sha256 = source.Sha256,
                Line = line > int.MaxValue ? null : (int)line,
                ReceivedAtUtc = source.ReceivedAtUtc,
            },
            Narrative = feed.KeepNarrative && !string.IsNullOrEmpty(description) ? description : null,
            Warnings = warnings,
        };

        return new RecordOutcome
        {
            Kind = RecordOutcomeKind.Overdose,
            SourceRecordId = id,
            Definition = definition,
            Event = overdose,
            Warnings = warnings,
        };
    }

    /// <summary>A stable, PHI-free event id: the first 128 bits of SHA-256 over feed id and incident id.</summary>
    public static string EventIdFor(string feedId, string incidentId)
    {
        var bytes = Encoding.UTF8.GetBytes(feedId + "\u001f" + incidentId);
        return "cad-" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16));
    }

    /// <summary>The first missing column's header name (or 1-based position), or the first extra field's position.</summary>
    private string RaggedColumn(int count) => count < map.ExpectedFieldCount
        ? (map.Header.Count > count && map.Header[count].Length > 0 ? map.Header[count] : "#" + (count + 1))
        : $"#{map.ExpectedFieldCount + 1} (beyond the header)";

    private static RecordOutcome TimeReject(string id, ResolvedColumn column, string text, long line) =>
        RecordOutcome.Rejected(
            id,
            $"unparsable time (shape '{CadTime.Shape(text)}', expected {column.Spec.FormatText})",
            $"line {line}, column {column.Label}");

    private EventLocation Location(IParser row, long line, List<string> warnings)
    {
        var city = Text(CadField.City, row);
        var state = Text(CadField.State, row) ?? profile.Source.State;
        var county = Text(CadField.CountyFips, row) ?? profile.Source.CountyFips;
        var sensitiveText = Text(CadField.Sensitive, row);
        if (sensitiveText is not null && profile.SensitiveValues.Contains(sensitiveText) && profile.Source.SuppressSensitiveLocations)
        {
            return new EventLocation
            {
                Precision = city is null ? LocationPrecision.Unknown : LocationPrecision.Municipality,
                City = city,
                State = state,
                CountyFips = county,
                Suppressed = true,
            };
        }

        var address = Text(CadField.Address, row);
        var block = Text(CadField.Block, row);
        var intersection = Text(CadField.Intersection, row);
        var street = Text(CadField.Street, row);
        var cross = Text(CadField.CrossStreet, row);
        var blockNumber = Text(CadField.BlockNumber, row);
        if (intersection is null && street is not null && cross is not null)
        {
            intersection = street + " & " + cross;
        }
        else if (block is null && street is not null && cross is null)
        {
            block = blockNumber is null ? street : blockNumber + " " + street;
        }

        // A published "address" that names two streets is an intersection (MAIN ST & 5TH AVE, MAIN ST / 5TH AVE).
        if (intersection is null && address is not null && IsIntersection(address))
        {
            (intersection, address) = (address, null);
        }

        if (intersection is null && block is not null && IsIntersection(block))
        {
            (intersection, block) = (block, null);
        }

        double? latitude = null;
        double? longitude = null;
        if (map[CadField.Latitude] is { } latColumn && map[CadField.Longitude] is { } lonColumn)
        {
            var latText = latColumn.Value(row) ?? "";
            var lonText = lonColumn.Value(row) ?? "";
            if (latText.Length > 0 || lonText.Length > 0)
            {
                if (TryCoordinate(latText, 90, out var lat) && TryCoordinate(lonText, 180, out var lon))
                {
                    if (lat != 0 || lon != 0)
                    {
                        (latitude, longitude) = (lat, lon);
                    }
                }
                else
                {
                    warnings.Add($"unparsable coordinates at line {line}, columns {latColumn.Label}/{lonColumn.Label}");
                }
            }
        }

        var zip = Text(CadField.Zip, row);
        var precision = latitude is not null ? LocationPrecision.Point
            : address is not null ? LocationPrecision.Address
            : intersection is not null ? LocationPrecision.Intersection
            : block is not null ? LocationPrecision.Block
            : city is not null ? LocationPrecision.Municipality
            : zip is not null ? LocationPrecision.Zip
            : LocationPrecision.Unknown;
        return new EventLocation
        {
            Precision = precision,
            StreetAddress = address,
            Block = block,
            Intersection = intersection,
            City = city,
            State = state,
            Zip = zip,
            CountyFips = county,
            Latitude = latitude,
            Longitude = longitude,
            Beat = Text(CadField.Beat, row),
        };
    }

    /// <summary>A further time of the call; its text was already checked when the row was read, so a failure here is empty.</summary>
    private DateTimeOffset? TimeOf(CadField field, IParser row)
    {
        if (map[field] is not { } column || column.Value(row) is not { Length: > 0 } text
            || !CadTime.TryParse(text, column.Spec, out var clock, out var offset))
        {
            return null;
        }

        return offset is { } o ? new DateTimeOffset(clock, o) : CadTime.InZone(clock, profile.Zone);
    }

    private string? Text(CadField field, IParser row)
    {
        var value = map[field]?.Value(row);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    internal static bool IsIntersection(string text) =>
        text.Contains(" & ", StringComparison.Ordinal) || text.Contains(" / ", StringComparison.Ordinal);

    internal static bool TryCoordinate(string text, double limit, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && Math.Abs(value) <= limit;
}
