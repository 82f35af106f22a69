using System.Security.Cryptography;
using System.Text.Json;
using Hub.Contracts.Model;
using Hub.Contracts.Serialization;

namespace Hub.Routing.Linkage;

/// <summary>
/// The events a hub instance has fully processed, each with a fingerprint of its content, so that the same event
/// delivered again (a parked event published twice, a redelivery after a lost acknowledgment) changes nothing, while
/// a changed event under the same id (a corrected record) is still processed as an update of its episode.
/// Memory is bounded: two generations of at most <see cref="GenerationSize"/> events each; the oldest generation is
/// dropped when the newer one fills.
/// </summary>
public sealed class ProcessedEvents
{
    /// <summary>Events per generation: between this many and twice as many recent events are remembered.</summary>
    public const int GenerationSize = 200_000;

    private readonly Lock _gate = new();
    private Dictionary<string, ulong> _current = new(StringComparer.Ordinal);
    private Dictionary<string, ulong> _previous = new(StringComparer.Ordinal);

    /// <summary>
    /// The fingerprint of an event's content: its canonical JSON, hashed, without the time it was read (an input read
    /// again after a stop gives the same events, read later). The input's hash and the record's place stay in.
    /// </summary>
    public static ulong Fingerprint(OverdoseEvent overdoseEvent)
    {
        ArgumentNullException.ThrowIfNull(overdoseEvent);
        var content = overdoseEvent with { Provenance = overdoseEvent.Provenance with { ReceivedAtUtc = default } };
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(content, HubJson.Options), hash);
        return BitConverter.ToUInt64(hash);
    }

    /// <summary>True when this event, with exactly this content, was processed before.</summary>
    public bool Contains(string eventId, ulong fingerprint)
    {
        lock (_gate)
        {
            return (_current.TryGetValue(eventId, out var seen) || _previous.TryGetValue(eventId, out seen)) && seen == fingerprint;
        }
    }

    /// <summary>Records an event as processed (after its ledger entries and outbox rows are committed).</summary>
    public void Add(string eventId, ulong fingerprint)
    {
        lock (_gate)
        {
            if (_current.Count >= GenerationSize && !_current.ContainsKey(eventId))
            {
                _previous = _current;
                _current = new Dictionary<string, ulong>(StringComparer.Ordinal);
            }

            _current[eventId] = fingerprint;
        }
    }
}
