using System.Security.Cryptography;
using System.Text;
using Hub.Contracts.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

using Hub.Routing.Linkage;

namespace Hub.Routing.Tests.Linkage;

/// <summary>
/// The first, straightforward implementation of <see cref="EpisodeLinker"/> (objects, string-keyed lists, LINQ), kept
/// in the tests as the reference the optimized linker must agree with assignment by assignment.
/// </summary>
/// <remarks>
/// <para>EMS and ED events join when they share at least one person token and lie within the EMS–ED window (or the
/// same-source window for two EMS runs or two ED visits). Police calls carry no person data: a police call joins an
/// EMS run within the police window that is within the configured distance or on the same block. An EMS run that
/// matches both a person's episode (by token) and a police-only episode (by place) absorbs the police-only episode.</para>
/// <para>An event with a known <see cref="OverdoseEvent.EventId"/> is a correction of that record: it replaces the
/// record in its episode and increments the version. Any later event joining an episode increments the version too;
/// the episode id never changes, so the host sends an update that supersedes the earlier notification.</para>
/// <para>State is bounded: an episode is dropped once its newest event is older than the retention (the longest
/// window unless configured longer) behind the newest event time seen; <see cref="LinkageOptions.MaxEvents"/> caps
/// it in any case. The state is plain data (episodes of events with tokens, times and places), so a persistent
/// store can later take its place behind the same interface. All calls are serialized by one lock.</para>
/// </remarks>
internal sealed class ReferenceEpisodeLinker : IEpisodeLinker
{
    private const double EarthRadiusMeters = 6_371_000;
    private const double MetersPerDegreeLatitude = 111_320;

    private readonly Lock _gate = new();
    private readonly LinkageOptions _options;
    private readonly ILogger _logger;
    private readonly long _retentionTicks;
    private readonly double _cellLatDegrees;
    private readonly double _cellLonDegrees;
    private readonly Dictionary<string, StoredEvent> _byEventId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StoredEvent>> _byToken = new(StringComparer.Ordinal);
    private readonly Dictionary<long, List<StoredEvent>> _byCell = [];
    private readonly Dictionary<string, List<StoredEvent>> _byBlock = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Episode> _episodes = [];
    private readonly PriorityQueue<Episode, long> _expiry = new();
    private long _watermark = long.MinValue;

    /// <summary>Creates a linker.</summary>
    public ReferenceEpisodeLinker(LinkageOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _retentionTicks = options.EffectiveRetention.Ticks;
        _cellLatDegrees = options.PoliceEmsMaxDistanceMeters / MetersPerDegreeLatitude;
        // Cells are at least the distance wide up to 72° latitude (cos 72° ≈ 0.309), so the 3×3 neighbourhood of a
        // cell holds every point within the distance everywhere in the US but the far north of Alaska.
        _cellLonDegrees = _cellLatDegrees / 0.309;
    }

    /// <summary>Events currently held.</summary>
    public int EventCount
    {
        get
        {
            lock (_gate)
            {
                return _byEventId.Count;
            }
        }
    }

    /// <inheritdoc />
    public EpisodeAssignment Link(OverdoseEvent overdoseEvent, IReadOnlyList<string> personTokens)
    {
        ArgumentNullException.ThrowIfNull(overdoseEvent);
        ArgumentNullException.ThrowIfNull(personTokens);
        lock (_gate)
        {
            var ticks = overdoseEvent.OccurredAt.UtcTicks;
            if (ticks > _watermark)
            {
                _watermark = ticks;
                Evict();
            }

            if (_byEventId.TryGetValue(overdoseEvent.EventId, out var known))
            {
                return Update(known, overdoseEvent, personTokens);
            }

            var stored = new StoredEvent(overdoseEvent, Distinct(personTokens), ticks, BlockKey(overdoseEvent.Location));
            if (overdoseEvent.Location is { Latitude: { } lat, Longitude: { } lon })
            {
                stored.Latitude = lat;
                stored.Longitude = lon;
            }

            var byToken = stored.Tokens.Length > 0 && overdoseEvent.SourceKind != SourceKind.Police ? FindByToken(stored) : null;
            var byPlace = overdoseEvent.SourceKind switch
            {
                SourceKind.Police => FindByPlace(stored, requireEms: true) ?? FindByPlace(stored, requireEms: false),
                SourceKind.Ems => FindByPlace(stored, requireEms: false, policeOnly: true),
                _ => null,
            };

            var merged = new List<Guid>();
            Episode episode;
            bool isNew;
            if (byToken is not null)
            {
                episode = byToken;
                isNew = false;
                if (byPlace is not null && byPlace != byToken)
                {
                    Absorb(byToken, byPlace);
                    merged.Add(byPlace.Id);
                }
            }
            else if (byPlace is not null)
            {
                episode = byPlace;
                isNew = false;
            }
            else
            {
                episode = new Episode(EpisodeIdFor(overdoseEvent.EventId));
                // An id collision (a re-sent first event after its episode was evicted) gets a fresh id.
                if (_episodes.ContainsKey(episode.Id))
                {
                    episode = new Episode(Guid.NewGuid());
                }

                _episodes[episode.Id] = episode;
                isNew = true;
            }

            stored.Episode = episode;
            episode.Events.Add(stored);
            episode.Version = isNew ? 1 : episode.Version + 1;
            episode.PersonKey ??= stored.Tokens.Length > 0 ? stored.Tokens[0] : null;
            Index(stored);
            Touch(episode, ticks);
            EnforceCap();
            return Assignment(episode, isNew) with { MergedEpisodeIds = merged };
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<EpisodeSnapshot> Snapshot()
    {
        lock (_gate)
        {
            return [.. _episodes.Values.Select(e => new EpisodeSnapshot(e.Id, e.Version,
                [.. e.Events.OrderBy(s => s.Ticks).ThenBy(s => s.Event.EventId, StringComparer.Ordinal).Select(s => s.Event.EventId)]))];
        }
    }

    private EpisodeAssignment Update(StoredEvent known, OverdoseEvent overdoseEvent, IReadOnlyList<string> personTokens)
    {
        Unindex(known);
        var replacement = new StoredEvent(overdoseEvent, Distinct(personTokens), overdoseEvent.OccurredAt.UtcTicks, BlockKey(overdoseEvent.Location))
        {
            Episode = known.Episode,
        };
        if (overdoseEvent.Location is { Latitude: { } lat, Longitude: { } lon })
        {
            replacement.Latitude = lat;
            replacement.Longitude = lon;
        }

        var episode = known.Episode!;
        episode.Events[episode.Events.IndexOf(known)] = replacement;
        episode.Version++;
        episode.PersonKey ??= replacement.Tokens.Length > 0 ? replacement.Tokens[0] : null;
        Index(replacement);
        Touch(episode, replacement.Ticks);
        return Assignment(episode, isNew: false) with { IsUpdateOfKnownEvent = true };
    }

    private Episode? FindByToken(StoredEvent incoming)
    {
        Episode? best = null;
        var bestDistance = long.MaxValue;
        foreach (var token in incoming.Tokens)
        {
            if (!_byToken.TryGetValue(token, out var list))
            {
                continue;
            }

            foreach (var candidate in list)
            {
                var window = candidate.Event.SourceKind == incoming.Event.SourceKind ? _options.SameSourceWindow : _options.EmsEdWindow;
                var distance = Math.Abs(candidate.Ticks - incoming.Ticks);
                if (distance <= window.Ticks && distance < bestDistance)
                {
                    best = candidate.Episode;
                    bestDistance = distance;
                }
            }
        }

        return best;
    }

    private Episode? FindByPlace(StoredEvent incoming, bool requireEms, bool policeOnly = false)
    {
        Episode? best = null;
        var bestScore = double.MaxValue;
        var window = _options.PoliceEmsWindow.Ticks;

        void Consider(StoredEvent candidate, bool sameBlock)
        {
            var kind = candidate.Event.SourceKind;
            if (kind == SourceKind.EmergencyDepartment || (requireEms && kind != SourceKind.Ems) || candidate.Episode == best)
            {
                return;
            }

            // For an EMS run, only police calls matter here; EMS runs are joined by person tokens.
            if (policeOnly && (kind != SourceKind.Police || candidate.Episode!.HasPersonEvents))
            {
                return;
            }

            // Police-to-police (a second call about the same scene) only joins an episode that has no EMS yet.
            if (!requireEms && !policeOnly && candidate.Episode!.HasPersonEvents)
            {
                return;
            }

            var dt = Math.Abs(candidate.Ticks - incoming.Ticks);
            if (dt > window)
            {
                return;
            }

            double meters;
            if (incoming.Latitude is { } lat && candidate.Latitude is { } clat)
            {
                meters = DistanceMeters(lat, incoming.Longitude!.Value, clat, candidate.Longitude!.Value);
                if (meters > _options.PoliceEmsMaxDistanceMeters && !sameBlock)
                {
                    return;
                }
            }
            else if (sameBlock)
            {
                meters = _options.PoliceEmsMaxDistanceMeters;
            }
            else
            {
                return;
            }

            // Closer in time first, then in space: one hour weighs like the whole distance limit.
            var score = (dt / (double)TimeSpan.TicksPerHour) + (meters / _options.PoliceEmsMaxDistanceMeters);
            if (score < bestScore)
            {
                bestScore = score;
                best = candidate.Episode;
            }
        }

        if (incoming.Latitude is { } latitude)
        {
            var (row, column) = Cell(latitude, incoming.Longitude!.Value);
            for (var dr = -1; dr <= 1; dr++)
            {
                for (var dc = -1; dc <= 1; dc++)
                {
                    if (_byCell.TryGetValue(CellKey(row + dr, column + dc), out var list))
                    {
                        foreach (var candidate in list)
                        {
                            Consider(candidate, incoming.BlockKey is not null && incoming.BlockKey == candidate.BlockKey);
                        }
                    }
                }
            }
        }

        if (incoming.BlockKey is not null && _byBlock.TryGetValue(incoming.BlockKey, out var sameBlock))
        {
            foreach (var candidate in sameBlock)
            {
                Consider(candidate, sameBlock: true);
            }
        }

        return best;
    }

    private void Absorb(Episode target, Episode absorbed)
    {
        foreach (var stored in absorbed.Events)
        {
            stored.Episode = target;
            target.Events.Add(stored);
        }

        Touch(target, absorbed.LastTicks);
        absorbed.Events.Clear();
        absorbed.Removed = true;
        _episodes.Remove(absorbed.Id);
        Hub.Routing.Linkage.Log.Merged(_logger, absorbed.Id, target.Id);
    }

    private void Index(StoredEvent stored)
    {
        _byEventId[stored.Event.EventId] = stored;
        if (stored.Event.SourceKind != SourceKind.Police)
        {
            foreach (var token in stored.Tokens)
            {
                AddTo(_byToken, token, stored);
            }
        }

        if (stored.Event.SourceKind is SourceKind.Police or SourceKind.Ems)
        {
            if (stored.Latitude is { } lat)
            {
                var (row, column) = Cell(lat, stored.Longitude!.Value);
                AddTo(_byCell, CellKey(row, column), stored);
            }

            if (stored.BlockKey is not null)
            {
                AddTo(_byBlock, stored.BlockKey, stored);
            }
        }
    }

    private void Unindex(StoredEvent stored)
    {
        _byEventId.Remove(stored.Event.EventId);
        foreach (var token in stored.Tokens)
        {
            RemoveFrom(_byToken, token, stored);
        }

        if (stored.Latitude is { } lat)
        {
            var (row, column) = Cell(lat, stored.Longitude!.Value);
            RemoveFrom(_byCell, CellKey(row, column), stored);
        }

        if (stored.BlockKey is not null)
        {
            RemoveFrom(_byBlock, stored.BlockKey, stored);
        }
    }

    private void Touch(Episode episode, long ticks)
    {
        if (ticks > episode.LastTicks || episode.LastTicks == long.MinValue)
        {
            episode.LastTicks = ticks;
            _expiry.Enqueue(episode, ticks);
        }
    }

    private void Evict()
    {
        var horizon = _watermark - _retentionTicks;
        var episodes = 0;
        var events = 0;
        while (_expiry.TryPeek(out var episode, out var ticks) && ticks < horizon)
        {
            _expiry.Dequeue();
            if (episode.Removed || episode.LastTicks != ticks)
            {
                continue; // superseded by a later entry for the same episode
            }

            events += Drop(episode);
            episodes++;
        }

        if (episodes > 0)
        {
            Hub.Routing.Linkage.Log.Evicted(_logger, episodes, events);
        }
    }

    private void EnforceCap()
    {
        var dropped = 0;
        while (_byEventId.Count > _options.MaxEvents && _expiry.TryDequeue(out var episode, out var ticks))
        {
            if (episode.Removed || episode.LastTicks != ticks)
            {
                continue;
            }

            Drop(episode);
            dropped++;
        }

        if (dropped > 0)
        {
            Hub.Routing.Linkage.Log.CapReached(_logger, _options.MaxEvents, dropped);
        }
    }

    private int Drop(Episode episode)
    {
        var count = episode.Events.Count;
        foreach (var stored in episode.Events)
        {
            Unindex(stored);
        }

        episode.Events.Clear();
        episode.Removed = true;
        _episodes.Remove(episode.Id);
        return count;
    }

    private static EpisodeAssignment Assignment(Episode episode, bool isNew) =>
        new(episode.Id, episode.Version, isNew,
            [.. episode.Events.OrderBy(s => s.Ticks).Select(s => s.Event)],
            episode.PersonKey);

    private (long Row, long Column) Cell(double latitude, double longitude) =>
        ((long)Math.Floor(latitude / _cellLatDegrees), (long)Math.Floor(longitude / _cellLonDegrees));

    private static long CellKey(long row, long column) => (row << 32) ^ (column & 0xFFFF_FFFF);

    /// <summary>Equirectangular distance: exact enough below a few kilometres, and cheap.</summary>
    internal static double DistanceMeters(double lat1, double lon1, double lat2, double lon2)
    {
        var meanLat = (lat1 + lat2) * Math.PI / 360;
        var x = (lon2 - lon1) * Math.PI / 180 * Math.Cos(meanLat);
        var y = (lat2 - lat1) * Math.PI / 180;
        return Math.Sqrt((x * x) + (y * y)) * EarthRadiusMeters;
    }

    /// <summary>
    /// The hundred-block of a place: "1200 BLOCK OF MAIN ST" and "1234 Main Street" both give "1200 MAIN ST".
    /// Null when neither a block nor a numbered street address is known.
    /// </summary>
    internal static string? BlockKey(EventLocation location)
    {
        var text = location.Block ?? location.StreetAddress;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var words = Hub.Routing.Jurisdictions.Places.NormalizeWords(text).Split(' ');
        if (words.Length < 2 || !long.TryParse(words[0], out var number))
        {
            return null;
        }

        var start = 1;
        if (words[start] == "BLOCK")
        {
            start++;
            if (start < words.Length && words[start] == "OF")
            {
                start++;
            }
        }
        else if (words[start] == "BLK")
        {
            start++;
        }

        if (start >= words.Length)
        {
            return null;
        }

        var builder = new StringBuilder();
        builder.Append(number / 100 * 100);
        for (var i = start; i < words.Length; i++)
        {
            builder.Append(' ').Append(Abbreviate(words[i]));
        }

        return builder.ToString();
    }

    private static string Abbreviate(string word) => word switch
    {
        "STREET" => "ST",
        "AVENUE" => "AVE",
        "AV" => "AVE",
        "ROAD" => "RD",
        "DRIVE" => "DR",
        "BOULEVARD" => "BLVD",
        "LANE" => "LN",
        "PLACE" => "PL",
        "COURT" => "CT",
        "TERRACE" => "TER",
        "HIGHWAY" => "HWY",
        "PARKWAY" => "PKWY",
        "NORTH" => "N",
        "SOUTH" => "S",
        "EAST" => "E",
        "WEST" => "W",
        _ => word,
    };

    private static Guid EpisodeIdFor(string eventId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("episode:" + eventId), hash);
        return new Guid(hash[..16]);
    }

    private static string[] Distinct(IReadOnlyList<string> tokens)
    {
        if (tokens.Count == 0)
        {
            return [];
        }

        var result = new List<string>(tokens.Count);
        foreach (var token in tokens)
        {
            if (!string.IsNullOrEmpty(token) && !result.Contains(token))
            {
                result.Add(token);
            }
        }

        return [.. result];
    }

    private static void AddTo<TKey>(Dictionary<TKey, List<StoredEvent>> index, TKey key, StoredEvent stored)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = new List<StoredEvent>(1);
        }

        list.Add(stored);
    }

    private static void RemoveFrom<TKey>(Dictionary<TKey, List<StoredEvent>> index, TKey key, StoredEvent stored)
        where TKey : notnull
    {
        if (index.TryGetValue(key, out var list))
        {
            list.Remove(stored);
            if (list.Count == 0)
            {
                index.Remove(key);
            }
        }
    }

    private sealed class Episode(Guid id)
    {
        public Guid Id { get; } = id;

        public int Version { get; set; }

        public List<StoredEvent> Events { get; } = new(2);

        public string? PersonKey { get; set; }

        public long LastTicks { get; set; } = long.MinValue;

        public bool Removed { get; set; }

        public bool HasPersonEvents => Events.Exists(e => e.Event.SourceKind != SourceKind.Police);
    }

    private sealed class StoredEvent(OverdoseEvent overdoseEvent, string[] tokens, long ticks, string? blockKey)
    {
        public OverdoseEvent Event { get; } = overdoseEvent;

        public string[] Tokens { get; } = tokens;

        public long Ticks { get; } = ticks;

        public string? BlockKey { get; } = blockKey;

        public double? Latitude { get; set; }

        public double? Longitude { get; set; }

        public Episode? Episode { get; set; }
    }
}
