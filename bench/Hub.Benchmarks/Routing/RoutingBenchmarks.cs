using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Hub.Contracts.Model;
using Hub.Routing.Linkage;
using Hub.Routing.Recipients;

namespace Hub.Benchmarks.Routing;

/// <summary>
/// The routing stage (episode linkage + recipient match), single-threaded, against 1,000 jurisdiction polygons and a
/// linkage window that holds 1,000,000 events over 7 days (retention 7 days). Each operation is one new event: it is
/// generated (its tokens are plain strings of HMAC length, not HMACs), linked, and matched; the window stays full
/// because time moves on at the same rate and old episodes are evicted.
/// </summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private const int PolygonColumns = 40;
    private const int PolygonRows = 25;
    private const double West = -76.0;
    private const double South = 39.5;
    private const double CellDegrees = 0.05;
    private const int WindowEvents = 1_000_000;
    private const int Batch = 10_000;
    private static readonly TimeSpan Step = TimeSpan.FromDays(7) / WindowEvents;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Provenance Provenance = new() { Source = "bench", Sha256 = new string('0', 64), ReceivedAtUtc = Start };
    private static readonly DetectionResult Detection = new() { DefinitionId = "bench", DefinitionVersion = "1" };
    private static readonly ClinicalFacts Clinical = new() { Substance = SubstanceClass.Opioid, Disposition = DispositionKind.RefusedTransport, NaloxoneGiven = true };

    private string _folder = "";
    private RecipientMatcher _matcher = null!;
    private EpisodeLinker _linker = null!;
    private long _next;
    private long _measuredEvents;
    private long _measuredCpuNanoseconds;

    /// <summary>Number of polygons indexed (reported, not measured).</summary>
    public int Polygons => _matcher.PolygonCount;

    [GlobalSetup(Target = nameof(MatchOnly))]
    public void SetupMatchOnly()
    {
        _folder = Directory.CreateTempSubdirectory("hub-routing-bench-").FullName;
        _matcher = new RecipientMatcher(BuildRecipients(_folder));
    }

    [GlobalSetup(Target = nameof(LinkAndMatch))]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("hub-routing-bench-").FullName;
        _matcher = new RecipientMatcher(BuildRecipients(_folder));
        _linker = new EpisodeLinker(new LinkageOptions { Retention = TimeSpan.FromDays(7), MaxEvents = 2_000_000 });
        for (_next = 0; _next < WindowEvents; _next++)
        {
            var (e, tokens) = Generate(_next);
            _linker.Link(e, tokens);
        }

        if (_matcher.PolygonCount != PolygonColumns * PolygonRows)
        {
            throw new InvalidOperationException($"expected 1000 polygons, got {_matcher.PolygonCount}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Directory.Delete(_folder, recursive: true);
        if (_measuredEvents > 0)
        {
            // Thread CPU time of the benchmark thread: the load-independent rate on a shared machine.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// ROUTING-CPU: {_measuredEvents} events linked+matched in {_measuredCpuNanoseconds / 1e9:F2} s of thread CPU = {_measuredEvents / (_measuredCpuNanoseconds / 1e9):F0} events per CPU-second; window {_linker.EventCount} events"));
        }
    }

    /// <summary>Link and match one event (the routing stage), measured per event.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int LinkAndMatch()
    {
        var matched = 0;
        var cpuStart = ThreadCpuNanoseconds();
        for (var i = 0; i < Batch; i++)
        {
            var (e, tokens) = Generate(_next++);
            var episode = _linker.Link(e, tokens);
            matched += _matcher.Match(e, e.OccurredAt).Count + episode.Version;
        }

        _measuredCpuNanoseconds += ThreadCpuNanoseconds() - cpuStart;
        _measuredEvents += Batch;
        return matched;
    }

    /// <summary>Match only, against the 1,000 polygons and the county/ZIP tables.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int MatchOnly()
    {
        var matched = 0;
        for (var i = 0; i < Batch; i++)
        {
            var (e, _) = Generate(i);
            matched += _matcher.Match(e, e.OccurredAt).Count;
        }

        return matched;
    }

    /// <summary>
    /// Event n: a person overdoses every 5 events; EMS (n%5 = 0), a second EMS report (1), ED visit 1 h later (2, 3:
    /// a different token set each), police call 150 m away (4). Tokens are per person; places spread over the polygons.
    /// </summary>
    private static (OverdoseEvent Event, IReadOnlyList<string> Tokens) Generate(long n)
    {
        var person = n / 5;
        var role = (int)(n % 5);
        var hash = (ulong)person * 0x9E3779B97F4A7C15UL;
        var lat = South + 0.001 + ((hash >> 40) % 100_000 / 100_000.0 * ((PolygonRows * CellDegrees) - 0.002));
        var lon = West + 0.001 + ((hash >> 8) % 100_000 / 100_000.0 * ((PolygonColumns * CellDegrees) - 0.002));
        var at = Start + (Step * n);
        var kind = role switch
        {
            0 or 1 => SourceKind.Ems,
            2 or 3 => SourceKind.EmergencyDepartment,
            _ => SourceKind.Police,
        };
        var location = kind switch
        {
            SourceKind.Police => new EventLocation { Precision = LocationPrecision.Point, Latitude = lat + 0.00135, Longitude = lon, CountyFips = "42091" },
            SourceKind.Ems => new EventLocation { Precision = LocationPrecision.Address, Latitude = lat, Longitude = lon, CountyFips = "42091", Zip = "19401", StreetAddress = Address(person) },
            _ => new EventLocation { Precision = LocationPrecision.Zip, Zip = "19401", CountyFips = "42091" },
        };
        var e = new OverdoseEvent
        {
            EventId = "bench-" + n.ToString(CultureInfo.InvariantCulture),
            SourceKind = kind,
            FeedId = "bench",
            SourceAgencyId = "bench",
            SourceRecordId = n.ToString(CultureInfo.InvariantCulture),
            OccurredAt = kind == SourceKind.EmergencyDepartment ? at.AddHours(1) : at,
            Location = location,
            Clinical = Clinical,
            Detection = Detection,
            Provenance = Provenance,
        };
        IReadOnlyList<string> tokens = kind == SourceKind.Police
            ? []
            : role == 3
                ? [Token("phone", person), Token("last-dob-zip3", person)]
                : [Token("last-first1-sex-dob", person), Token("last-dob-zip3", person), Token("phone", person)];
        return (e, tokens);
    }

    /// <summary>
    /// About 20,000 hundred-blocks (99 × 200 streets). Consecutive people share a block: 100 people (200 EMS runs within
    /// about 5 minutes) per block, which is then unused for weeks, so each place search scans about 200 same-block
    /// candidates, more than a real block would give (docs/performance/routing.md).
    /// </summary>
    private static string Address(long person) =>
        string.Create(CultureInfo.InvariantCulture, $"{100 + (person % 9900)} Street {person / 9900 % 200} Rd");

    private static string Token(string rule, long person)
    {
        var hex = ((ulong)person * 0xD6E8FEB86659FD93UL).ToString("x16", CultureInfo.InvariantCulture);
        return string.Concat(rule, ":", hex, hex, hex, hex);
    }

    private static RecipientsOptions BuildRecipients(string folder)
    {
        var options = new RecipientsOptions();
        // 100 recipients, each with a FeatureCollection of 10 twenty-vertex polygons: 1,000 polygons in all.
        for (var r = 0; r < 100; r++)
        {
            var json = new StringBuilder("""{"type":"FeatureCollection","features":[""");
            for (var p = 0; p < 10; p++)
            {
                var cell = (r * 10) + p;
                var (row, column) = (cell / PolygonColumns, cell % PolygonColumns);
                json.Append(p == 0 ? "" : ",").Append("""{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[""");
                AppendRing(json, West + (column * CellDegrees), South + (row * CellDegrees));
                json.Append("]]}}");
            }

            json.Append("]}");
            var path = Path.Combine(folder, $"r{r}.geojson");
            File.WriteAllText(path, json.ToString());
            var recipient = new RecipientOptions { Id = $"r{r}", Name = $"Recipient {r}", Kind = RecipientKinds.OutreachTeam };
            recipient.Jurisdiction.PolygonFile = path;
            options.Recipients.Add(recipient);
        }

        var county = new RecipientOptions { Id = "county", Name = "County health department", Kind = RecipientKinds.HealthDepartment };
        county.Jurisdiction.CountyFips.Add("42091");
        county.Filters.Dispositions.Add(DispositionKind.RefusedTransport);
        options.Recipients.Add(county);
        return options;
    }

    /// <summary>A square cell drawn with 5 points per side (20 vertices), so point-in-polygon does real edge work.</summary>
    private static void AppendRing(StringBuilder json, double x, double y)
    {
        var points = new List<(double X, double Y)>();
        for (var i = 0; i < 5; i++)
        {
            points.Add((x + (CellDegrees * i / 5), y));
        }

        for (var i = 0; i < 5; i++)
        {
            points.Add((x + CellDegrees, y + (CellDegrees * i / 5)));
        }

        for (var i = 0; i < 5; i++)
        {
            points.Add((x + CellDegrees - (CellDegrees * i / 5), y + CellDegrees));
        }

        for (var i = 0; i < 5; i++)
        {
            points.Add((x, y + CellDegrees - (CellDegrees * i / 5)));
        }

        points.Add(points[0]);
        json.AppendJoin(',', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"[{p.X:R},{p.Y:R}]")));
    }

    private static long ThreadCpuNanoseconds() => ThreadCpuClock.Nanoseconds();
}
