using System.Globalization;
using System.Text.Json;

namespace Hub.Host.Pipeline;

/// <summary>
/// The content fingerprint a <c>detected</c> ledger entry carries in its details (written by
/// <see cref="EpisodeProcessor"/>), read back when an input left unfinished is taken over, so the events its stopped
/// reader already sent are recognized.
/// </summary>
internal static class DetectedDetails
{
    /// <summary>The details property that holds the fingerprint.</summary>
    public const string FingerprintProperty = "fingerprint";

    /// <summary>A fingerprint as the entry records it (16 hex digits).</summary>
    public static string Format(ulong fingerprint) => fingerprint.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Event id → recorded fingerprint, for the entries that carry one (older entries do not).</summary>
    /// <param name="detailsByEvent">Event id → details of its newest <c>detected</c> entry.</param>
    public static Dictionary<string, ulong> Fingerprints(IReadOnlyDictionary<string, string?> detailsByEvent)
    {
        ArgumentNullException.ThrowIfNull(detailsByEvent);
        var fingerprints = new Dictionary<string, ulong>(detailsByEvent.Count, StringComparer.Ordinal);
        foreach (var (eventId, detailsJson) in detailsByEvent)
        {
            if (FingerprintOf(detailsJson) is { } fingerprint)
            {
                fingerprints[eventId] = fingerprint;
            }
        }

        return fingerprints;
    }

    private static ulong? FingerprintOf(string? detailsJson)
    {
        if (detailsJson is null)
        {
            return null;
        }

        using var details = JsonDocument.Parse(detailsJson);
        return details.RootElement.TryGetProperty(FingerprintProperty, out var value) && value.ValueKind == JsonValueKind.String
            && ulong.TryParse(value.GetString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
    }
}
