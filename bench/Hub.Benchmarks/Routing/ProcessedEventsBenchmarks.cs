using System.Globalization;
using BenchmarkDotNet.Attributes;
using Hub.Benchmarks.Deidentification;
using Hub.Contracts.Model;
using Hub.Routing.Linkage;

namespace Hub.Benchmarks.Routing;

/// <summary>
/// What the pipeline pays per event to recognize an event delivered again: the content fingerprint (canonical JSON,
/// SHA-256) and the look-up and record in a full generation of 200,000 remembered events.
/// </summary>
[MemoryDiagnoser]
public class ProcessedEventsBenchmarks
{
    private readonly OverdoseEvent _event = DisclosureBenchmarks.Ems();
    private readonly ProcessedEvents _processed = new();
    private string[] _ids = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _ids = [.. Enumerable.Range(0, ProcessedEvents.GenerationSize).Select(i => "ev-" + i.ToString(CultureInfo.InvariantCulture))];
        foreach (var id in _ids)
        {
            _processed.Add(id, (ulong)id.GetHashCode(StringComparison.Ordinal));
        }
    }

    [Benchmark]
    public ulong Fingerprint() => ProcessedEvents.Fingerprint(_event);

    [Benchmark]
    public bool FingerprintCheckAndRecord()
    {
        var fingerprint = ProcessedEvents.Fingerprint(_event);
        var id = _ids[_next++ % _ids.Length];
        var seen = _processed.Contains(id, fingerprint);
        _processed.Add(id, fingerprint);
        return seen;
    }
}
