using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Hub.LoadDriver;

/// <summary>
/// Scenario <c>fhir-post</c>: N concurrent clients POST distinct ED transaction Bundles (unique Bundle, Encounter and
/// fullUrl ids, so idempotency never short-circuits) to <c>/fhir</c> and report POSTs/s, status counts and latency
/// percentiles. Bundles are generated before the clock starts; every n-th one is an overdose (ICD-10-CM T40.1X1A),
/// the others are counted non-events, as an ED feed mostly is.
/// </summary>
internal static class FhirPostLoad
{
    private const string Help = """
        fhir-post: POST distinct ED Bundles to a running hub.
          --url URL            hub base URL (default http://127.0.0.1:5080)
          --api-key KEY        the feed's API key (sent as X-API-Key)          [required]
          --feed ID            adds ?feed=ID (optional)
          --clients N          concurrent clients (default 8)
          --duration SECONDS   run for this long (default 20), or
          --count N            send exactly N POSTs
          --bundles N          distinct Bundles generated up front (default 20000; reused round-robin with fresh ids per run)
          --overdose-every N   every N-th Bundle is an overdose (default 10)
          --warmup N           POSTs sent before measuring (default 15000: the runtime has finished re-compiling the hot paths by then)
          --run-id TEXT        prefix of generated ids (default: random), so reruns against the same database stay distinct
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Contains("--help"))
        {
            Console.WriteLine(Help);
            return 0;
        }

        var options = Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(Help);
            return 2;
        }

        var bundles = new byte[options.Bundles][];
        for (var i = 0; i < bundles.Length; i++)
        {
            bundles[i] = Encoding.UTF8.GetBytes(EdBundle(options.RunId, i, i % options.OverdoseEvery == 0));
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(60) };
        var path = options.Feed is null ? "/fhir" : "/fhir?feed=" + Uri.EscapeDataString(options.Feed);
        var next = -1L;

        // Warm-up (not measured): JIT, connection pool, database pages.
        var warm = new Stats();
        await RunClientsAsync(http, path, options, bundles, () => Interlocked.Increment(ref next) < options.Warmup, warm, runId: "w").ConfigureAwait(false);
        var used = Interlocked.Read(ref next);

        var stats = new Stats();
        var clock = Stopwatch.StartNew();
        var stopAt = options.Duration;
        long sent = 0;
        Func<bool> more = options.Count is { } count
            ? () => Interlocked.Increment(ref sent) <= count
            : () => clock.Elapsed < stopAt;
        await RunClientsAsync(http, path, options, bundles, more, stats, runId: "m", offset: used).ConfigureAwait(false);
        clock.Stop();

        var latencies = stats.Latencies.ToArray();
        Array.Sort(latencies);
        var total = latencies.Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fhir-post: {total} POSTs in {clock.Elapsed.TotalSeconds:F2} s with {options.Clients} clients = {total / clock.Elapsed.TotalSeconds:F0} POSTs/s"));
        Console.WriteLine("status: " + string.Join(", ", stats.Statuses.OrderBy(s => s.Key).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}={s.Value}"))));
        if (total > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"latency ms: p50 {Percentile(latencies, 0.50):F2}  p95 {Percentile(latencies, 0.95):F2}  p99 {Percentile(latencies, 0.99):F2}  max {latencies[^1]:F2}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bundle bytes: {bundles.Average(b => b.Length):F0} average; load average: {LoadAverage()}"));
        return stats.Statuses.Keys.All(k => k == 200) ? 0 : 1;
    }

    private static async Task RunClientsAsync(HttpClient http, string path, Options options, byte[][] bundles, Func<bool> more, Stats stats, string runId, long offset = 0)
    {
        var counter = offset - 1;
        var clients = Enumerable.Range(0, options.Clients).Select(async _ =>
        {
            await Task.Yield();
            var local = new List<double>();
            var statuses = new Dictionary<int, int>();
            while (more())
            {
                var n = Interlocked.Increment(ref counter);
                var body = Fresh(bundles[n % bundles.Length], runId, n);
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");
                request.Headers.Add("X-API-Key", options.ApiKey);
                var started = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
                    status = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = -1;
                }

                local.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
            }

            stats.Add(local, statuses);
        });
        await Task.WhenAll(clients).ConfigureAwait(false);
    }

    /// <summary>Stamps a per-request suffix into the template's ids (same length, so no re-encoding): every POST is a new Bundle.</summary>
    private static byte[] Fresh(byte[] template, string phase, long n)
    {
        var copy = (byte[])template.Clone();
        var stamp = Encoding.ASCII.GetBytes(phase + n.ToString("D11", CultureInfo.InvariantCulture));
        var marker = "ZZZZZZZZZZZZ"u8;
        var span = copy.AsSpan();
        var at = 0;
        while (true)
        {
            var i = span[at..].IndexOf(marker);
            if (i < 0)
            {
                return copy;
            }

            stamp.CopyTo(span[(at + i)..]);
            at += i + marker.Length;
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>An ED transaction Bundle; <c>ZZZZZZZZZZZZ</c> marks where each POST stamps its unique suffix.</summary>
    internal static string EdBundle(string runId, int seed, bool overdose)
    {
        var icd = overdose ? "T40.1X1A" : "S93.401A";
        var complaint = overdose ? "unresponsive, possible heroin OD" : "ankle injury";
        var id = runId + "-" + seed.ToString(CultureInfo.InvariantCulture) + "-ZZZZZZZZZZZZ";
        return $$$$"""
            {"resourceType":"Bundle","id":"b-{{{{id}}}}","type":"transaction","entry":[
            {"fullUrl":"urn:uuid:p-{{{{id}}}}","resource":{"resourceType":"Patient","identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},"system":"urn:oid:1.2.3.4","value":"MRN-{{{{id}}}}"}],
              "name":[{"use":"official","family":"Synthetic","given":["Pat","Q"]}],"telecom":[{"system":"phone","value":"555-0100","use":"home"}],
              "gender":"male","birthDate":"1988-02-03","address":[{"use":"home","line":["1 Main St"],"city":"Springfield","state":"MA","postalCode":"01101"}]},"request":{"method":"POST","url":"Patient"}},
            {"fullUrl":"urn:uuid:e-{{{{id}}}}","resource":{"resourceType":"Encounter","id":"enc-{{{{id}}}}","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"EMER"},
              "subject":{"reference":"urn:uuid:p-{{{{id}}}}"},"period":{"start":"2026-03-04T22:10:00-05:00","end":"2026-03-05T01:10:00-05:00"},
              "reasonCode":[{"text":"{{{{complaint}}}}"}],"diagnosis":[{"condition":{"reference":"urn:uuid:c-{{{{id}}}}"},"rank":1}],
              "hospitalization":{"dischargeDisposition":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/discharge-disposition","code":"home"}]}}},"request":{"method":"POST","url":"Encounter"}},
            {"fullUrl":"urn:uuid:c-{{{{id}}}}","resource":{"resourceType":"Condition","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"{{{{icd}}}}"}]},
              "subject":{"reference":"urn:uuid:p-{{{{id}}}}"},"encounter":{"reference":"urn:uuid:e-{{{{id}}}}"}},"request":{"method":"POST","url":"Condition"}},
            {"fullUrl":"urn:uuid:m-{{{{id}}}}","resource":{"resourceType":"MedicationAdministration","contained":[{"resourceType":"Medication","id":"m","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"1659929"}]}}],
              "status":"completed","medicationReference":{"reference":"#m"},"subject":{"reference":"urn:uuid:p-{{{{id}}}}"},
              "context":{"reference":"urn:uuid:e-{{{{id}}}}"},"effectiveDateTime":"2026-03-04T22:15:00-05:00","dosage":{"dose":{"value":4,"unit":"mg"}}},"request":{"method":"POST","url":"MedicationAdministration"}}
            ]}
            """;
    }

    private static Options? Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException("missing value after " + args[i]);
            switch (args[i])
            {
                case "--url": o.Url = new Uri(Next()); break;
                case "--api-key": o.ApiKey = Next(); break;
                case "--feed": o.Feed = Next(); break;
                case "--clients": o.Clients = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--duration": o.Duration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--count": o.Count = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--bundles": o.Bundles = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--overdose-every": o.OverdoseEvery = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": o.Warmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--run-id": o.RunId = Next(); break;
                default: Console.Error.WriteLine("unknown option " + args[i]); return null;
            }
        }

        return string.IsNullOrEmpty(o.ApiKey) || o.Clients < 1 || o.Bundles < 1 || o.OverdoseEvery < 1 ? null : o;
    }

    private sealed class Options
    {
        public Uri Url { get; set; } = new("http://127.0.0.1:5080");

        public string ApiKey { get; set; } = "";

        public string? Feed { get; set; }

        public int Clients { get; set; } = 8;

        public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(20);

        public long? Count { get; set; }

        public int Bundles { get; set; } = 20000;

        public int OverdoseEvery { get; set; } = 10;

        public int Warmup { get; set; } = 15000;

        public string RunId { get; set; } = Guid.NewGuid().ToString("N")[..8];
    }

    private sealed class Stats
    {
        private readonly Lock gate = new();

        public List<double> Latencies { get; } = [];

        public Dictionary<int, int> Statuses { get; } = [];

        public void Add(List<double> latencies, Dictionary<int, int> statuses)
        {
            lock (gate)
            {
                Latencies.AddRange(latencies);
                foreach (var (k, v) in statuses)
                {
                    Statuses[k] = Statuses.GetValueOrDefault(k) + v;
                }
            }
        }
    }
}
