using System.Security.Cryptography;
using System.Text;
using Hub.Contracts.Messages;
using Hub.Contracts.Model;
using Hub.Routing.Jurisdictions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hub.Routing.Spikes;

/// <summary>
/// Counts overdoses per county in a rolling window and raises one <see cref="OverdoseSpikeDetected"/> per spike
/// (ODMAP-style). Feed it every routed event with <see cref="Record"/>; call <see cref="Evaluate"/> from a scheduled
/// job. Thread-safe.
/// </summary>
/// <remarks>
/// <para>When an episode id is given, an episode counts once (its EMS run, ED visit and police call are one
/// overdose); a later event of the episode can only turn its fatal and naloxone flags on.</para>
/// <para>Alert once, then re-arm: after an alert the jurisdiction is disarmed until an evaluation finds the count
/// no longer over the threshold; only then can the next crossing alert again. Fixed: alert when count ≥ threshold.
/// Baseline: alert when count &gt; mean + k·sd of the counts in the same window 1..N weeks earlier (sample sd) and
/// count ≥ the minimum; until N weeks of history have been observed the fixed threshold (if any) is used.</para>
/// <para>Memory: events older than the window (baseline: N weeks + the window) are dropped at each evaluation.</para>
/// </remarks>
public sealed class SpikeDetector
{
    private static readonly long Week = TimeSpan.FromDays(7).Ticks;

    private readonly Lock _gate = new();
    private readonly SpikeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Entry> _byEpisode = [];

    /// <summary>Creates a detector from bound options.</summary>
    public SpikeDetector(IOptions<SpikeOptions> options, TimeProvider time, ILogger<SpikeDetector>? logger = null)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), time, logger)
    {
    }

    /// <summary>Creates a detector.</summary>
    public SpikeDetector(SpikeOptions options, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        foreach (var jurisdiction in options.Jurisdictions)
        {
            _states[jurisdiction.Id] = new State(jurisdiction);
        }
    }

    /// <summary>
    /// The time from which history is complete (e.g. the hub's go-live, or the start of a back-fill from the ledger).
    /// Defaults to the time of the first event recorded.
    /// </summary>
    public DateTimeOffset? HistoryStart { get; set; }

    /// <summary>Counts one event (once per episode when <paramref name="episodeId"/> is given).</summary>
    /// <returns>True when the event was counted (a watched county, not a repeat of a counted episode).</returns>
    public bool Record(OverdoseEvent overdoseEvent, Guid? episodeId = null)
    {
        ArgumentNullException.ThrowIfNull(overdoseEvent);
        var fatal = overdoseEvent.Clinical.Fatal == true || overdoseEvent.Clinical.Disposition == DispositionKind.Died;
        var naloxone = overdoseEvent.Clinical.NaloxoneGiven || overdoseEvent.Clinical.NaloxoneDoses > 0;
        lock (_gate)
        {
            if (episodeId is { } id && _byEpisode.TryGetValue(id, out var counted))
            {
                counted.Fatal |= fatal;
                counted.Naloxone |= naloxone;
                return false;
            }

            var county = Places.CountyFips(overdoseEvent.Location.CountyFips);
            if (county is null || !_states.TryGetValue(county, out var state))
            {
                return false;
            }

            var entry = new Entry(overdoseEvent.OccurredAt.UtcTicks, episodeId) { Fatal = fatal, Naloxone = naloxone };
            state.Entries.Add(entry);
            if (episodeId is { } newId)
            {
                _byEpisode[newId] = entry;
            }

            HistoryStart ??= overdoseEvent.OccurredAt;
            if (overdoseEvent.OccurredAt < HistoryStart)
            {
                HistoryStart = overdoseEvent.OccurredAt;
            }

            return true;
        }
    }

    /// <summary>Evaluates every watched jurisdiction now (by the <see cref="TimeProvider"/>) and returns the new alerts.</summary>
    public IReadOnlyList<OverdoseSpikeDetected> Evaluate()
    {
        var now = _time.GetUtcNow();
        var end = now.UtcTicks;
        var window = _options.Window.Ticks;
        var alerts = new List<OverdoseSpikeDetected>();
        lock (_gate)
        {
            foreach (var state in _states.Values)
            {
                var keep = state.Options.Method == SpikeMethods.Baseline ? (state.Options.BaselineWeeks * Week) + window : window;
                Prune(state, end - keep);
                var (count, fatal, naloxone) = CountIn(state, end - window, end);
                var (threshold, method, strict) = ThresholdFor(state, end, window);
                if (threshold is not { } limit)
                {
                    continue;
                }

                var over = strict ? count > limit && count >= state.Options.MinimumCount : count >= limit;
                if (over && state.Armed)
                {
                    state.Armed = false;
                    var windowStart = new DateTimeOffset(end - window, TimeSpan.Zero);
                    alerts.Add(new OverdoseSpikeDetected
                    {
                        SpikeId = SpikeIdFor(state.Options.Id, windowStart),
                        JurisdictionId = state.Options.Id,
                        JurisdictionName = state.Options.Name,
                        WindowStartUtc = windowStart,
                        WindowEndUtc = now.ToUniversalTime(),
                        EventCount = count,
                        FatalCount = fatal,
                        NaloxoneCount = naloxone,
                        Threshold = limit,
                        Method = method,
                        OccurredAtUtc = now.ToUniversalTime(),
                    });
                    Log.SpikeDetected(_logger, state.Options.Id, count, limit, method);
                }
                else if (!over && !state.Armed)
                {
                    state.Armed = true;
                    Log.Rearmed(_logger, state.Options.Id, count);
                }
            }
        }

        return alerts;
    }

    /// <summary>The count in the current window for a jurisdiction (for dashboards and tests).</summary>
    public int CurrentCount(string jurisdictionId)
    {
        ArgumentNullException.ThrowIfNull(jurisdictionId);
        var end = _time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            return _states.TryGetValue(jurisdictionId, out var state) ? CountIn(state, end - _options.Window.Ticks, end).Count : 0;
        }
    }

    private (double? Threshold, string Method, bool Strict) ThresholdFor(State state, long end, long window)
    {
        var o = state.Options;
        if (o.Method == SpikeMethods.Baseline)
        {
            var weeks = o.BaselineWeeks;
            var historyNeeded = end - (weeks * Week) - window;
            if (HistoryStart is { } start && start.UtcTicks <= historyNeeded)
            {
                var counts = new double[weeks];
                for (var w = 1; w <= weeks; w++)
                {
                    counts[w - 1] = CountIn(state, end - (w * Week) - window, end - (w * Week)).Count;
                }

                var mean = counts.Average();
                var sd = weeks > 1 ? Math.Sqrt(counts.Sum(c => (c - mean) * (c - mean)) / (weeks - 1)) : 0;
                return (mean + (o.BaselineK * sd), SpikeMethods.Baseline, true);
            }
        }

        return (o.Threshold, SpikeMethods.Fixed, false);
    }

    /// <summary>Events with from &lt; time ≤ to.</summary>
    private static (int Count, int Fatal, int Naloxone) CountIn(State state, long from, long to)
    {
        int count = 0, fatal = 0, naloxone = 0;
        foreach (var entry in state.Entries)
        {
            if (entry.Ticks > from && entry.Ticks <= to)
            {
                count++;
                fatal += entry.Fatal ? 1 : 0;
                naloxone += entry.Naloxone ? 1 : 0;
            }
        }

        return (count, fatal, naloxone);
    }

    private void Prune(State state, long before)
    {
        state.Entries.RemoveAll(entry =>
        {
            if (entry.Ticks >= before)
            {
                return false;
            }

            if (entry.EpisodeId is { } id)
            {
                _byEpisode.Remove(id);
            }

            return true;
        });
    }

    private static Guid SpikeIdFor(string jurisdictionId, DateTimeOffset windowStart)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"spike:{jurisdictionId}:{windowStart.UtcTicks}"), hash);
        return new Guid(hash[..16]);
    }

    private sealed class State(SpikeJurisdictionOptions options)
    {
        public SpikeJurisdictionOptions Options { get; } = options;

        public List<Entry> Entries { get; } = [];

        public bool Armed { get; set; } = true;
    }

    private sealed class Entry(long ticks, Guid? episodeId)
    {
        public long Ticks { get; } = ticks;

        public Guid? EpisodeId { get; } = episodeId;

        public bool Fatal { get; set; }

        public bool Naloxone { get; set; }
    }
}
