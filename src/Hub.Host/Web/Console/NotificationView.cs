using System.Globalization;
using System.Text.Json;
using Hub.Audit.Console;

namespace Hub.Host.Web.Console;

/// <summary>A notification with the episode fields the inbox groups by, read from its disclosed JSON.</summary>
internal sealed record NotificationView(ConsoleNotification Row, Guid? EpisodeId, int EpisodeVersion, DateTimeOffset? OccurredAtUtc, string? Profile)
{
    public static NotificationView From(ConsoleNotification row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.PayloadJson is null)
        {
            return new NotificationView(row, null, 0, null, null);
        }

        using var doc = JsonDocument.Parse(row.PayloadJson);
        var root = doc.RootElement;
        Guid? episode = root.TryGetProperty("episodeId", out var e) && e.ValueKind == JsonValueKind.String && Guid.TryParse(e.GetString(), out var g) ? g : null;
        var version = root.TryGetProperty("episodeVersion", out var v) && v.TryGetInt32(out var n) ? n : 0;
        DateTimeOffset? occurred = root.TryGetProperty("occurredAtUtc", out var o) && o.ValueKind == JsonValueKind.String && o.TryGetDateTimeOffset(out var t) ? t : null;
        string? profile = root.TryGetProperty("profile", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("name", out var pn) ? pn.GetString() : null;
        return new NotificationView(row, episode, version, occurred, profile);
    }

    /// <summary>Episodes newest first; inside one, the newest version first (the others are superseded).</summary>
    public static IReadOnlyList<IReadOnlyList<NotificationView>> Group(IEnumerable<NotificationView> views) =>
        [.. views
            .GroupBy(v => v.EpisodeId ?? v.Row.MessageId)
            .Select(g => (IReadOnlyList<NotificationView>)[.. g.OrderByDescending(v => v.EpisodeVersion).ThenByDescending(v => v.Row.LedgerSequence)])
            .OrderByDescending(g => g.Max(v => v.Row.LedgerSequence))];

    /// <summary>The disclosed JSON flattened to (path, value) rows, in document order: exactly what was given, readable.</summary>
    public static IReadOnlyList<(string Path, string Value)> Flatten(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var rows = new List<(string, string)>();
        Walk(doc.RootElement, "", rows);
        return rows;
    }

    private static void Walk(JsonElement element, string path, List<(string, string)> rows)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var any = false;
                foreach (var property in element.EnumerateObject())
                {
                    any = true;
                    Walk(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name, rows);
                }

                if (!any)
                {
                    rows.Add((path, "(none)"));
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", rows);
                    i++;
                }

                if (i == 0)
                {
                    rows.Add((path, "(none)"));
                }

                break;
            case JsonValueKind.String:
                rows.Add((path, element.GetString() ?? ""));
                break;
            case JsonValueKind.Null:
                rows.Add((path, "(not disclosed)"));
                break;
            default:
                rows.Add((path, element.GetRawText()));
                break;
        }
    }
}
