using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Hub.Contracts.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hub.Routing.Linkage;

/// <summary>
/// Joins events about one person and one overdose into an episode, in memory, within bounded time windows.
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
/// <para>Layout (for speed with a window of a million events): events, episodes and index entries are structs in
/// arrays reused through free lists; person tokens and block keys are hashed once to 64-bit keys (two distinct
/// tokens share a key with probability about n²/2⁶⁵, i.e. never in practice); each index key heads a doubly linked
/// chain of entries in insertion order, so removal is O(1) and candidates are visited in the same order as before.
/// A call allocates only its result.</para>
/// </remarks>
public sealed class EpisodeLinker : IEpisodeLinker
{
    private const double EarthRadiusMeters = 6_371_000;
    private const double MetersPerDegreeLatitude = 111_320;
    private const int None = -1;
    private const int MaxStackTokens = 32;

    private readonly Lock _gate = new();
    private readonly LinkageOptions _options;
    private readonly ILogger _logger;
    private readonly long _retentionTicks;
    private readonly long _emsEdTicks;
    private readonly long _sameSourceTicks;
    private readonly long _policeTicks;
    private readonly double _maxMeters;
    private readonly double _cellLatDegrees;
    private readonly double _cellLonDegrees;
    private readonly Dictionary<string, int> _byEventId = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, Chain> _byToken = [];
    private readonly Dictionary<ulong, Chain> _byCell = [];
    private readonly Dictionary<ulong, Chain> _byBlock = [];
    private readonly Dictionary<Guid, int> _episodeIds = [];
    private readonly PriorityQueue<(int Episode, int Generation), long> _expiry = new();
    private readonly Pool<EventSlot> _events = new();
    private readonly Pool<EpisodeSlot> _episodes = new();
    private readonly Pool<Posting> _postings = new();
    private long _watermark = long.MinValue;

    /// <summary>Creates a linker from bound options.</summary>
    public EpisodeLinker(IOptions<LinkageOptions> options, ILogger<EpisodeLinker>? logger = null)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), logger)
    {
    }

    /// <summary>Creates a linker.</summary>
    public EpisodeLinker(LinkageOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _retentionTicks = options.EffectiveRetention.Ticks;
        _emsEdTicks = options.EmsEdWindow.Ticks;
        _sameSourceTicks = options.SameSourceWindow.Ticks;
        _policeTicks = options.PoliceEmsWindow.Ticks;
        _maxMeters = options.PoliceEmsMaxDistanceMeters;
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

            Span<ulong> keys = personTokens.Count <= MaxStackTokens ? stackalloc ulong[personTokens.Count] : new ulong[personTokens.Count];
            var tokenCount = DistinctKeys(personTokens, keys, out var firstToken);
            keys = keys[..tokenCount];
            var slot = NewEvent(overdoseEvent, ticks);
            var kind = overdoseEvent.SourceKind;

            var byToken = tokenCount > 0 && kind != SourceKind.Police ? FindByToken(keys, kind, ticks) : None;
            var byPlace = kind switch
            {
                SourceKind.Police => FindByPlace(slot, requireEms: true, policeOnly: false) is var p && p != None ? p : FindByPlace(slot, requireEms: false, policeOnly: false),
                SourceKind.Ems => FindByPlace(slot, requireEms: false, policeOnly: true),
                _ => None,
            };

            IReadOnlyList<Guid> merged = [];
            int episode;
            bool isNew;
            if (byToken != None)
            {
                episode = byToken;
                isNew = false;
                if (byPlace != None && byPlace != byToken)
                {
                    merged = [_episodes.Items[byPlace].Id];
                    Absorb(byToken, byPlace);
                }
            }
            else if (byPlace != None)
            {
                episode = byPlace;
                isNew = false;
            }
            else
            {
                var id = EpisodeIdFor(overdoseEvent.EventId);
                // An id collision (a re-sent first event after its episode was evicted) gets a fresh id.
                if (_episodeIds.ContainsKey(id))
                {
                    id = Guid.NewGuid();
                }

                episode = NewEpisode(id);
                _episodeIds[id] = episode;
                isNew = true;
            }

            Append(episode, slot);
            ref var state = ref _episodes.Items[episode];
            state.Version = isNew ? 1 : state.Version + 1;
            state.PersonKey ??= firstToken;
            Index(slot, keys);
            Touch(episode, ticks);
            var assignment = Assignment(episode, isNew, merged, isUpdate: false);
            var generation = state.Generation;
            EnforceCap();
            // The cap may drop the oldest episode, even this one: it is then reported without members.
            return _episodes.Items[episode] is { Live: true } live && live.Generation == generation ? assignment : assignment with { Events = [] };
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<EpisodeSnapshot> Snapshot()
    {
        lock (_gate)
        {
            var result = new List<EpisodeSnapshot>(_episodeIds.Count);
            foreach (var (id, episode) in _episodeIds)
            {
                var members = new List<(long Ticks, string EventId)>();
                for (var e = _episodes.Items[episode].Head; e != None; e = _events.Items[e].NextInEpisode)
                {
                    members.Add((_events.Items[e].Ticks, _events.Items[e].Event!.EventId));
                }

                result.Add(new EpisodeSnapshot(id, _episodes.Items[episode].Version,
                    [.. members.OrderBy(m => m.Ticks).ThenBy(m => m.EventId, StringComparer.Ordinal).Select(m => m.EventId)]));
            }

            return result;
        }
    }

    private EpisodeAssignment Update(int slot, OverdoseEvent overdoseEvent, IReadOnlyList<string> personTokens)
    {
        Span<ulong> keys = personTokens.Count <= MaxStackTokens ? stackalloc ulong[personTokens.Count] : new ulong[personTokens.Count];
        var tokenCount = DistinctKeys(personTokens, keys, out var firstToken);
        keys = keys[..tokenCount];
        Unindex(slot);

        // The replacement takes the known record's slot, so it keeps its place in the episode.
        ref var stored = ref _events.Items[slot];
        var episode = stored.Episode;
        ref var state = ref _episodes.Items[episode];
        if (stored.Kind != SourceKind.Police)
        {
            state.PersonEvents--;
        }

        SetEvent(ref stored, overdoseEvent, overdoseEvent.OccurredAt.UtcTicks);
        if (stored.Kind != SourceKind.Police)
        {
            state.PersonEvents++;
        }

        state.Version++;
        state.PersonKey ??= firstToken;
        var ticks = stored.Ticks;
        Index(slot, keys);
        Touch(episode, ticks);
        return Assignment(episode, isNew: false, [], isUpdate: true);
    }

    private int FindByToken(ReadOnlySpan<ulong> keys, SourceKind kind, long ticks)
    {
        var best = None;
        var bestDistance = long.MaxValue;
        var events = _events.Items;
        var postings = _postings.Items;
        foreach (var key in keys)
        {
            if (!_byToken.TryGetValue(key, out var chain))
            {
                continue;
            }

            for (var p = chain.Head; p != None; p = postings[p].Next)
            {
                ref readonly var candidate = ref events[postings[p].Event];
                var window = candidate.Kind == kind ? _sameSourceTicks : _emsEdTicks;
                var distance = Math.Abs(candidate.Ticks - ticks);
                if (distance <= window && distance < bestDistance)
                {
                    best = candidate.Episode;
                    bestDistance = distance;
                }
            }
        }

        return best;
    }

    private int FindByPlace(int slot, bool requireEms, bool policeOnly)
    {
        var search = new PlaceSearch { Best = None, BestScore = double.MaxValue, RequireEms = requireEms, PoliceOnly = policeOnly };
        ref readonly var incoming = ref _events.Items[slot];
        if (incoming.HasPoint)
        {
            var (row, column) = Cell(incoming.Latitude, incoming.Longitude);
            for (var dr = -1; dr <= 1; dr++)
            {
                for (var dc = -1; dc <= 1; dc++)
                {
                    if (_byCell.TryGetValue(CellKey(row + dr, column + dc), out var chain))
                    {
                        for (var p = chain.Head; p != None; p = _postings.Items[p].Next)
                        {
                            var candidate = _postings.Items[p].Event;
                            Consider(ref search, in incoming, candidate,
                                incoming.HasBlock && _events.Items[candidate].HasBlock && incoming.BlockKey == _events.Items[candidate].BlockKey);
                        }
                    }
                }
            }
        }

        if (incoming.HasBlock && _byBlock.TryGetValue(incoming.BlockKey, out var sameBlock))
        {
            for (var p = sameBlock.Head; p != None; p = _postings.Items[p].Next)
            {
                Consider(ref search, in incoming, _postings.Items[p].Event, sameBlock: true);
            }
        }

        return search.Best;
    }

    private void Consider(ref PlaceSearch search, ref readonly EventSlot incoming, int candidateSlot, bool sameBlock)
    {
        // The same tests as the straightforward version, cheapest first (they only reject; the order of rejections
        // does not change the outcome), so most candidates are dismissed without touching their episode.
        ref readonly var candidate = ref _events.Items[candidateSlot];
        var kind = candidate.Kind;
        if (kind == SourceKind.EmergencyDepartment || (search.RequireEms && kind != SourceKind.Ems) || (search.PoliceOnly && kind != SourceKind.Police))
        {
            return;
        }

        var dt = Math.Abs(candidate.Ticks - incoming.Ticks);
        if (dt > _policeTicks || candidate.Episode == search.Best)
        {
            return;
        }

        // A lower bound of the score (distance at least the north–south difference, less a margin for rounding):
        // a candidate that cannot beat the best so far is skipped before the trigonometry.
        var hours = dt / (double)TimeSpan.TicksPerHour;
        if (hours >= search.BestScore)
        {
            return;
        }

        if (incoming.HasPoint && candidate.HasPoint)
        {
            var northSouth = Math.Abs(candidate.Latitude - incoming.Latitude) * Math.PI / 180 * EarthRadiusMeters * (1 - 1e-9);
            if (hours + (northSouth / _maxMeters) >= search.BestScore || (northSouth > _maxMeters && !sameBlock))
            {
                return;
            }
        }

        // For an EMS run, only police calls matter here; EMS runs are joined by person tokens. Police-to-police (a
        // second call about the same scene) only joins an episode that has no EMS yet.
        if ((search.PoliceOnly || !search.RequireEms) && _episodes.Items[candidate.Episode].PersonEvents > 0)
        {
            return;
        }

        double meters;
        if (incoming.HasPoint && candidate.HasPoint)
        {
            meters = DistanceMeters(incoming.Latitude, incoming.Longitude, candidate.Latitude, candidate.Longitude);
            if (meters > _maxMeters && !sameBlock)
            {
                return;
            }
        }
        else if (sameBlock)
        {
            meters = _maxMeters;
        }
        else
        {
            return;
        }

        // Closer in time first, then in space: one hour weighs like the whole distance limit.
        var score = hours + (meters / _maxMeters);
        if (score < search.BestScore)
        {
            search.BestScore = score;
            search.Best = candidate.Episode;
        }
    }

    private void Absorb(int target, int absorbed)
    {
        ref var into = ref _episodes.Items[target];
        ref var from = ref _episodes.Items[absorbed];
        for (var e = from.Head; e != None; e = _events.Items[e].NextInEpisode)
        {
            _events.Items[e].Episode = target;
        }

        if (from.Head != None)
        {
            if (into.Tail == None)
            {
                into.Head = from.Head;
            }
            else
            {
                _events.Items[into.Tail].NextInEpisode = from.Head;
            }

            into.Tail = from.Tail;
        }

        into.Count += from.Count;
        into.PersonEvents += from.PersonEvents;
        var absorbedId = from.Id;
        var lastTicks = from.LastTicks;
        Touch(target, lastTicks);
        _episodeIds.Remove(absorbedId);
        FreeEpisode(absorbed);
        Log.Merged(_logger, absorbedId, _episodes.Items[target].Id);
    }

    private void Index(int slot, ReadOnlySpan<ulong> tokenKeys)
    {
        ref var stored = ref _events.Items[slot];
        _byEventId[stored.Event!.EventId] = slot;
        var kind = stored.Kind;
        if (kind != SourceKind.Police)
        {
            foreach (var key in tokenKeys)
            {
                AddPosting(_byToken, key, slot, IndexKind.Token);
            }
        }

        if (kind is SourceKind.Police or SourceKind.Ems)
        {
            if (stored.HasPoint)
            {
                var (row, column) = Cell(stored.Latitude, stored.Longitude);
                AddPosting(_byCell, CellKey(row, column), slot, IndexKind.Cell);
            }

            if (stored.HasBlock)
            {
                AddPosting(_byBlock, stored.BlockKey, slot, IndexKind.Block);
            }
        }
    }

    private void Unindex(int slot)
    {
        _byEventId.Remove(_events.Items[slot].Event!.EventId);
        var p = _events.Items[slot].FirstPosting;
        while (p != None)
        {
            var posting = _postings.Items[p];
            switch (posting.Index)
            {
                case IndexKind.Token:
                    Unlink(_byToken, posting.Key, p);
                    break;
                case IndexKind.Cell:
                    Unlink(_byCell, posting.Key, p);
                    break;
                default:
                    Unlink(_byBlock, posting.Key, p);
                    break;
            }

            _postings.Free(p);
            p = posting.NextOfEvent;
        }

        _events.Items[slot].FirstPosting = None;
    }

    private void AddPosting(Dictionary<ulong, Chain> index, ulong key, int slot, IndexKind kind)
    {
        var p = _postings.Allocate();
        ref var chain = ref CollectionsMarshal.GetValueRefOrAddDefault(index, key, out var exists);
        ref var posting = ref _postings.Items[p];
        posting.Key = key;
        posting.Event = slot;
        posting.Index = kind;
        posting.Next = None;
        if (exists)
        {
            posting.Prev = chain.Tail;
            _postings.Items[chain.Tail].Next = p;
            chain.Tail = p;
        }
        else
        {
            posting.Prev = None;
            chain.Head = p;
            chain.Tail = p;
        }

        ref var stored = ref _events.Items[slot];
        posting.NextOfEvent = stored.FirstPosting;
        stored.FirstPosting = p;
    }

    private void Unlink(Dictionary<ulong, Chain> index, ulong key, int p)
    {
        ref var chain = ref CollectionsMarshal.GetValueRefOrNullRef(index, key);
        ref readonly var posting = ref _postings.Items[p];
        if (posting.Prev == None && posting.Next == None)
        {
            index.Remove(key);
            return;
        }

        if (posting.Prev == None)
        {
            chain.Head = posting.Next;
        }
        else
        {
            _postings.Items[posting.Prev].Next = posting.Next;
        }

        if (posting.Next == None)
        {
            chain.Tail = posting.Prev;
        }
        else
        {
            _postings.Items[posting.Next].Prev = posting.Prev;
        }
    }

    private void Touch(int episode, long ticks)
    {
        ref var state = ref _episodes.Items[episode];
        if (ticks > state.LastTicks || state.LastTicks == long.MinValue)
        {
            state.LastTicks = ticks;
            _expiry.Enqueue((episode, state.Generation), ticks);
        }
    }

    private bool IsCurrent((int Episode, int Generation) entry, long ticks)
    {
        ref readonly var state = ref _episodes.Items[entry.Episode];
        return state.Live && state.Generation == entry.Generation && state.LastTicks == ticks;
    }

    private void Evict()
    {
        var horizon = _watermark - _retentionTicks;
        var episodes = 0;
        var events = 0;
        while (_expiry.TryPeek(out var entry, out var ticks) && ticks < horizon)
        {
            _expiry.Dequeue();
            if (!IsCurrent(entry, ticks))
            {
                continue; // superseded by a later entry for the same episode
            }

            events += Drop(entry.Episode);
            episodes++;
        }

        if (episodes > 0)
        {
            Log.Evicted(_logger, episodes, events);
        }
    }

    private void EnforceCap()
    {
        var dropped = 0;
        while (_byEventId.Count > _options.MaxEvents && _expiry.TryDequeue(out var entry, out var ticks))
        {
            if (!IsCurrent(entry, ticks))
            {
                continue;
            }

            Drop(entry.Episode);
            dropped++;
        }

        if (dropped > 0)
        {
            Log.CapReached(_logger, _options.MaxEvents, dropped);
        }
    }

    private int Drop(int episode)
    {
        var count = _episodes.Items[episode].Count;
        var e = _episodes.Items[episode].Head;
        while (e != None)
        {
            var next = _events.Items[e].NextInEpisode;
            Unindex(e);
            _events.Items[e] = default;
            _events.Free(e);
            e = next;
        }

        _episodeIds.Remove(_episodes.Items[episode].Id);
        FreeEpisode(episode);
        return count;
    }

    private int NewEvent(OverdoseEvent overdoseEvent, long ticks)
    {
        var slot = _events.Allocate();
        ref var stored = ref _events.Items[slot];
        SetEvent(ref stored, overdoseEvent, ticks);
        stored.FirstPosting = None;
        stored.NextInEpisode = None;
        stored.Episode = None;
        return slot;
    }

    private static void SetEvent(ref EventSlot stored, OverdoseEvent overdoseEvent, long ticks)
    {
        stored.Event = overdoseEvent;
        stored.Kind = overdoseEvent.SourceKind;
        stored.Ticks = ticks;
        stored.HasBlock = TryBlockKeyHash(overdoseEvent.Location, out stored.BlockKey);
        if (overdoseEvent.Location is { Latitude: { } lat, Longitude: { } lon })
        {
            stored.HasPoint = true;
            stored.Latitude = lat;
            stored.Longitude = lon;
        }
        else
        {
            stored.HasPoint = false;
            stored.Latitude = 0;
            stored.Longitude = 0;
        }
    }

    private int NewEpisode(Guid id)
    {
        var episode = _episodes.Allocate();
        ref var state = ref _episodes.Items[episode];
        var generation = state.Generation + 1;
        state = new EpisodeSlot { Id = id, Head = None, Tail = None, LastTicks = long.MinValue, Live = true, Generation = generation };
        return episode;
    }

    private void FreeEpisode(int episode)
    {
        ref var state = ref _episodes.Items[episode];
        var generation = state.Generation + 1;
        state = new EpisodeSlot { Generation = generation, Head = None, Tail = None };
        _episodes.Free(episode);
    }

    private void Append(int episode, int slot)
    {
        ref var state = ref _episodes.Items[episode];
        ref var stored = ref _events.Items[slot];
        stored.Episode = episode;
        stored.NextInEpisode = None;
        if (state.Tail == None)
        {
            state.Head = slot;
        }
        else
        {
            _events.Items[state.Tail].NextInEpisode = slot;
        }

        state.Tail = slot;
        state.Count++;
        if (stored.Kind != SourceKind.Police)
        {
            state.PersonEvents++;
        }
    }

    private EpisodeAssignment Assignment(int episode, bool isNew, IReadOnlyList<Guid> merged, bool isUpdate)
    {
        ref readonly var state = ref _episodes.Items[episode];
        var count = state.Count;
        var events = new OverdoseEvent[count];
        Span<long> ticks = count <= 64 ? stackalloc long[count] : new long[count];
        var n = 0;
        for (var e = state.Head; e != None; e = _events.Items[e].NextInEpisode)
        {
            // Stable insertion by time (episodes hold a handful of events).
            var t = _events.Items[e].Ticks;
            var at = n;
            while (at > 0 && ticks[at - 1] > t)
            {
                ticks[at] = ticks[at - 1];
                events[at] = events[at - 1];
                at--;
            }

            ticks[at] = t;
            events[at] = _events.Items[e].Event!;
            n++;
        }

        return new EpisodeAssignment(state.Id, state.Version, isNew, events, state.PersonKey)
        {
            MergedEpisodeIds = merged,
            IsUpdateOfKnownEvent = isUpdate,
        };
    }

    private (long Row, long Column) Cell(double latitude, double longitude) =>
        ((long)Math.Floor(latitude / _cellLatDegrees), (long)Math.Floor(longitude / _cellLonDegrees));

    /// <summary>
    /// The cell's key, mixed (a bijection, so no two cells share it): the dictionary hashes a 64-bit key as low XOR high
    /// half, which for row and column numbers of one region would put thousands of cells in a few hundred buckets.
    /// </summary>
    private static ulong CellKey(long row, long column) => Mix((ulong)((row << 32) ^ (column & 0xFFFF_FFFF)));

    private static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 33;
        return h;
    }

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

        var words = Jurisdictions.Places.NormalizeWords(text).Split(' ');
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

    /// <summary>
    /// The 64-bit key of <see cref="BlockKey"/>'s value (the same as <c>Hash(BlockKey(location))</c>), computed without
    /// allocating for ASCII text, the usual case; other text goes through <see cref="BlockKey"/>.
    /// </summary>
    internal static bool TryBlockKeyHash(EventLocation? location, out ulong key)
    {
        key = 0;
        var text = location?.Block ?? location?.StreetAddress;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (text.Length > 200 || !Ascii.IsValid(text))
        {
            var slow = BlockKey(location!);
            if (slow is null)
            {
                return false;
            }

            key = Hash(slow);
            return true;
        }

        // Words are the runs of ASCII letters and digits (what Places.NormalizeWords keeps), upper-cased.
        Span<char> upper = stackalloc char[text.Length];
        Span<Range> words = stackalloc Range[(text.Length / 2) + 1];
        var wordCount = 0;
        var wordStart = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                upper[i] = char.ToUpperInvariant(c);
                if (wordStart < 0)
                {
                    wordStart = i;
                }
            }
            else if (wordStart >= 0)
            {
                words[wordCount++] = wordStart..i;
                wordStart = -1;
            }
        }

        if (wordStart >= 0)
        {
            words[wordCount++] = wordStart..text.Length;
        }

        if (wordCount < 2 || !long.TryParse(upper[words[0]], NumberStyles.Integer, CultureInfo.CurrentCulture, out var number))
        {
            return false;
        }

        var start = 1;
        if (upper[words[start]].SequenceEqual("BLOCK"))
        {
            start++;
            if (start < wordCount && upper[words[start]].SequenceEqual("OF"))
            {
                start++;
            }
        }
        else if (upper[words[start]].SequenceEqual("BLK"))
        {
            start++;
        }

        if (start >= wordCount)
        {
            return false;
        }

        Span<char> built = stackalloc char[text.Length + 32];
        if (!(number / 100 * 100).TryFormat(built, out var length, default, CultureInfo.CurrentCulture))
        {
            return false;
        }

        for (var i = start; i < wordCount; i++)
        {
            built[length++] = ' ';
            var word = Abbreviate(upper[words[i]]);
            word.CopyTo(built[length..]);
            length += word.Length;
        }

        key = Hash(built[..length]);
        return true;
    }

    private static string Abbreviate(string word)
    {
        var abbreviated = Abbreviate(word.AsSpan());
        return abbreviated.Length == word.Length ? word : abbreviated.ToString();
    }

    private static ReadOnlySpan<char> Abbreviate(ReadOnlySpan<char> word) => word switch
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

    /// <summary>A 64-bit hash of text (multiply–rotate over 8-byte lanes, then the murmur3 finalizer).</summary>
    internal static ulong Hash(ReadOnlySpan<char> text)
    {
        const ulong K1 = 0x9E3779B97F4A7C15UL;
        const ulong K2 = 0xC2B2AE3D27D4EB4FUL;
        var bytes = MemoryMarshal.AsBytes(text);
        var h = K1 ^ ((ulong)bytes.Length * K2);
        var i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            var v = BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..]) * K2;
            h ^= ulong.RotateLeft(v, 31) * K1;
            h = (ulong.RotateLeft(h, 27) * 5) + 0x52DCE729;
        }

        if (i < bytes.Length)
        {
            ulong tail = 0;
            for (var j = bytes.Length - 1; j >= i; j--)
            {
                tail = (tail << 8) | bytes[j];
            }

            h ^= ulong.RotateLeft(tail * K2, 31) * K1;
        }

        return Mix(h);
    }

    private static Guid EpisodeIdFor(string eventId)
    {
        const string Prefix = "episode:";
        var length = Prefix.Length + Encoding.UTF8.GetMaxByteCount(eventId.Length);
        Span<byte> input = length <= 1024 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(Prefix, input);
        written += Encoding.UTF8.GetBytes(eventId, input[written..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..written], hash);
        return new Guid(hash[..16]);
    }

    /// <summary>The distinct non-empty tokens as keys, in order; the first token string is the person key candidate.</summary>
    private static int DistinctKeys(IReadOnlyList<string> tokens, Span<ulong> keys, out string? first)
    {
        first = null;
        var count = 0;
        for (var t = 0; t < tokens.Count; t++)
        {
            var token = tokens[t];
            if (string.IsNullOrEmpty(token))
            {
                continue;
            }

            first ??= token;
            var key = Hash(token);
            if (!keys[..count].Contains(key))
            {
                keys[count++] = key;
            }
        }

        return count;
    }

    private enum IndexKind : byte
    {
        Token,
        Cell,
        Block,
    }

    private struct EventSlot
    {
        public OverdoseEvent? Event;
        public long Ticks;
        public double Latitude;
        public double Longitude;
        public ulong BlockKey;
        public int Episode;
        public int NextInEpisode;
        public int FirstPosting;
        public SourceKind Kind;
        public bool HasPoint;
        public bool HasBlock;
    }

    private struct EpisodeSlot
    {
        public Guid Id;
        public string? PersonKey;
        public long LastTicks;
        public int Version;
        public int Head;
        public int Tail;
        public int Count;
        public int PersonEvents;
        public int Generation;
        public bool Live;
    }

    private struct Posting
    {
        public ulong Key;
        public int Event;
        public int Prev;
        public int Next;
        public int NextOfEvent;
        public IndexKind Index;
    }

    private struct Chain
    {
        public int Head;
        public int Tail;
    }

    private struct PlaceSearch
    {
        public int Best;
        public double BestScore;
        public bool RequireEms;
        public bool PoliceOnly;
    }

    /// <summary>A growable array of structs whose free slots are reused (the free list is threaded through a side array).</summary>
    private sealed class Pool<T>
        where T : struct
    {
        private int[] _nextFree = new int[256];
        private int _free = None;
        private int _used;

        public T[] Items { get; private set; } = new T[256];

        public int Allocate()
        {
            if (_free != None)
            {
                var slot = _free;
                _free = _nextFree[slot];
                return slot;
            }

            if (_used == Items.Length)
            {
                var items = Items;
                Array.Resize(ref items, Items.Length * 2);
                Items = items;
                Array.Resize(ref _nextFree, _nextFree.Length * 2);
            }

            return _used++;
        }

        public void Free(int slot)
        {
            _nextFree[slot] = _free;
            _free = slot;
        }
    }
}
