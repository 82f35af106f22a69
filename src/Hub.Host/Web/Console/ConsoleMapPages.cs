using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hub.Audit.Console;
using Hub.Audit.Ledger;
using Hub.Contracts.Serialization;
using Hub.Deidentification.Profiles;
using Hub.Host.Jobs;

namespace Hub.Host.Web.Console;

/// <summary>How one notification is drawn: a point, a grid cell, or listed without a point.</summary>
internal static class MapKinds
{
    /// <summary>The profile kept the point as it was.</summary>
    public const string Point = "point";

    /// <summary>The profile displaced the point (perturbation); drawn where it was disclosed, marked approximate.</summary>
    public const string Perturbed = "perturbed";

    /// <summary>The profile generalized the point to the centre of a grid cell; drawn as the cell.</summary>
    public const string Cell = "cell";

    /// <summary>No coordinates were disclosed: listed with the area (tract, county, ZIP, city, state) it was disclosed at.</summary>
    public const string Area = "area";
}

/// <summary>One notification on the map, built from the disclosed payload only (never the source event).</summary>
/// <param name="NotificationId">The notification.</param>
/// <param name="Kind">One of <see cref="MapKinds"/>.</param>
/// <param name="Latitude">The disclosed latitude (null for <see cref="MapKinds.Area"/>).</param>
/// <param name="Longitude">The disclosed longitude.</param>
/// <param name="CellDegrees">Cell size for <see cref="MapKinds.Cell"/>.</param>
/// <param name="Area">The most precise area the payload names, e.g. <c>census tract 42091203800</c>, or <c>not disclosed</c>.</param>
/// <param name="OccurredAt">The event time as disclosed.</param>
internal sealed record MapFeature(Guid NotificationId, string Kind, double? Latitude, double? Longitude, double? CellDegrees, string Area, string? OccurredAt)
{
    /// <summary>The applier's default cell when a profile names none (<c>ProfileApplier</c> uses the same).</summary>
    public const double DefaultCellDegrees = 0.01;

    /// <summary>
    /// Reads <c>event.location</c> and the method the profile reported for <c>event.location.point</c> from the disclosed JSON.
    /// A point is drawn only when the payload carries both coordinates; the cell size of a grid comes from the named
    /// profile's rule (the payload records the method, not its parameter).
    /// </summary>
    public static MapFeature? From(ConsoleNotification row, ProfileCatalog? profiles)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.PayloadJson is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(row.PayloadJson);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? occurred = null;
        JsonElement location = default;
        if (Property(root, "event") is { ValueKind: JsonValueKind.Object } ev)
        {
            occurred = Str(ev, "occurredAt");
            location = Property(ev, "location") ?? default;
        }

        var area = AreaOf(location);
        var lat = Number(location, "latitude");
        var lon = Number(location, "longitude");
        if (lat is not { } la || lon is not { } lo || la is < -90 or > 90 || lo is < -180 or > 180)
        {
            return new MapFeature(row.MessageId, MapKinds.Area, null, null, null, area, occurred);
        }

        var (profileName, method) = PointMethod(root);
        if (method is not null && method.StartsWith(ProfileFields.Methods.Generalize, StringComparison.Ordinal))
        {
            var cell = profileName is not null && profiles is not null && profiles.TryGet(profileName, out var profile)
                ? profile.RuleFor("event.location.point").CellDegrees ?? DefaultCellDegrees
                : DefaultCellDegrees;
            return new MapFeature(row.MessageId, MapKinds.Cell, la, lo, cell, area, occurred);
        }

        var kind = method == ProfileFields.Methods.Perturb ? MapKinds.Perturbed : MapKinds.Point;
        return new MapFeature(row.MessageId, kind, la, lo, null, area, occurred);
    }

    private static (string? Profile, string? Method) PointMethod(JsonElement root)
    {
        if (Property(root, "profile") is not { ValueKind: JsonValueKind.Object } profile)
        {
            return (null, null);
        }

        string? method = null;
        if (Property(profile, "methods") is { ValueKind: JsonValueKind.Array } methods)
        {
            foreach (var m in methods.EnumerateArray())
            {
                if (m.ValueKind == JsonValueKind.Object && Str(m, "field") == "event.location.point")
                {
                    method = Str(m, "method");
                }
            }
        }

        return (Str(profile, "name"), method);
    }

    private static string AreaOf(JsonElement location)
    {
        if (location.ValueKind != JsonValueKind.Object)
        {
            return "not disclosed";
        }

        if (Str(location, "censusTract") is { } tract)
        {
            return "census tract " + tract;
        }

        if (Str(location, "zip") is { } zip)
        {
            return "ZIP " + zip;
        }

        if (Str(location, "countyFips") is { } county)
        {
            return "county " + county;
        }

        if (Str(location, "city") is { } city)
        {
            return city + (Str(location, "state") is { } st ? ", " + st : "");
        }

        return Str(location, "state") is { } state ? "state " + state : "not disclosed";
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;

    private static string? Str(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } text ? text : null;

    private static double? Number(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;
}

/// <summary>A spike alert as disclosed to the agency (counts only).</summary>
internal sealed record SpikeView(Guid MessageId, DateTimeOffset DisclosedAtUtc, string? Jurisdiction, string? JurisdictionId, DateTimeOffset? WindowStartUtc, DateTimeOffset? WindowEndUtc, int EventCount, int FatalCount, int NaloxoneCount, double Threshold, string? Method)
{
    public static SpikeView From(ConsoleNotification row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.PayloadJson is null)
        {
            return new SpikeView(row.MessageId, row.CreatedAtUtc, null, null, null, null, 0, 0, 0, 0, null);
        }

        using var doc = JsonDocument.Parse(row.PayloadJson);
        var r = doc.RootElement;
        string? S(string n) => r.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        int I(string n) => r.TryGetProperty(n, out var v) && v.TryGetInt32(out var i) ? i : 0;
        DateTimeOffset? T(string n) => r.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out var t) ? t : null;
        var threshold = r.TryGetProperty("threshold", out var th) && th.TryGetDouble(out var d) ? d : 0;
        return new SpikeView(row.MessageId, row.CreatedAtUtc, S("jurisdictionName"), S("jurisdictionId"), T("windowStartUtc"), T("windowEndUtc"), I("eventCount"), I("fatalCount"), I("naloxoneCount"), threshold, S("method"));
    }
}

/// <summary>
/// The recipient's map (Leaflet, vendored and served by the hub: no CDN) and spike alerts. The map reads only the
/// disclosed payloads of the signed-in agency's own notifications; tiles are drawn only when <c>Hub:Console:MapTileUrl</c>
/// is configured, otherwise points and cells sit on a plain background with a scale.
/// </summary>
internal static class ConsoleMapPages
{
    /// <summary>Spike alerts listed on the inbox and map.</summary>
    public const int SpikeCount = 20;

    private const string LeafletPrefix = "leaflet/";

    /// <summary>JSON for the page's data island: the default encoder escapes <c>&lt;</c>, so it can never close the script element.</summary>
    private static readonly JsonSerializerOptions IslandJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.Default,
    };

    public static void Map(WebApplication app)
    {
        app.MapGet("/console/map", MapPageAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.InboxPolicy);
        app.MapGet("/console/api/map", ApiMapAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.InboxPolicy);
        app.MapGet("/console/api/spikes", ApiSpikesAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.InboxPolicy);
        app.MapGet("/console/map.js", (HttpContext ctx) =>
        {
            ctx.Response.Headers.CacheControl = "public, max-age=3600";
            ctx.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Text(MapScript, "text/javascript; charset=utf-8");
        });
        app.MapGet("/console/vendor/leaflet/{**path}", Leaflet);
    }

    /// <summary>The agency's recent events: the newest version of each episode, drawn at the precision disclosed.</summary>
    internal static async Task<IReadOnlyList<MapFeature>> FeaturesAsync(HttpContext ctx, ConsoleQueries queries, int max)
    {
        var agency = ConsoleEndpoints.Agency(ctx);
        var rows = await queries.ListForRecipientAsync(agency, SpikeAlertWriter.MessageType, excludeType: true, max, ctx.RequestAborted).ConfigureAwait(false);
        var profiles = ctx.RequestServices.GetService<ProfileCatalog>();
        return [.. NotificationView.Group(rows.Select(NotificationView.From))
            .Select(episode => MapFeature.From(episode[0].Row, profiles))
            .OfType<MapFeature>()];
    }

    internal static async Task<IReadOnlyList<SpikeView>> SpikesAsync(HttpContext ctx, ConsoleQueries queries) =>
        [.. (await queries.ListForRecipientAsync(ConsoleEndpoints.Agency(ctx), SpikeAlertWriter.MessageType, excludeType: false, SpikeCount, ctx.RequestAborted).ConfigureAwait(false))
            .Select(SpikeView.From)];

    private static async Task<IResult> MapPageAsync(HttpContext ctx, ConsoleQueries queries, ILedger ledger, IOptions<ConsoleOptions> options, IConfiguration configuration)
    {
        var agency = ConsoleEndpoints.Agency(ctx);
        var features = await FeaturesAsync(ctx, queries, options.Value.InboxSize).ConfigureAwait(false);
        var spikes = await SpikesAsync(ctx, queries).ConfigureAwait(false);
        await ConsoleEndpoints.ViewedAsync(ctx, ledger, "map", agency).ConfigureAwait(false);
        var tiles = TileUrl(configuration);
        var drawn = features.Where(f => f.Kind != MapKinds.Area).ToList();
        var island = JsonSerializer.Serialize(
            new
            {
                tileUrl = tiles is null ? null : configuration["Hub:Console:MapTileUrl"],
                tileAttribution = configuration["Hub:Console:MapTileAttribution"],
                features = drawn.Select(f => new
                {
                    id = f.NotificationId,
                    kind = f.Kind,
                    lat = f.Latitude,
                    lon = f.Longitude,
                    cellDegrees = f.CellDegrees,
                    label = Label(f),
                }),
            },
            IslandJson);

        var body = new Html();
        body.Raw("<p>").Text(string.Create(CultureInfo.InvariantCulture,
                $"{features.Count} recent episodes for {agency}: {drawn.Count} drawn where the disclosure carries coordinates, {features.Count - drawn.Count} listed by area only."))
            .Raw("</p><p class=\"muted\">Drawn exactly as disclosed: a point only when the profile kept or displaced the point, a grid cell when it generalized it. ")
            .Raw(tiles is null ? "No tile server is configured: a plain background with a scale." : "Tiles from the configured tile server.").Raw("</p>")
            .Raw("<div id=\"map\" role=\"region\" aria-label=\"Map of recent events\" tabindex=\"0\"></div>")
            .Raw("<script type=\"application/json\" id=\"map-data\">").Raw(island).Raw("</script>");

        body.Raw("<h2 id=\"events-h\">Events (table alternative to the map)</h2>")
            .Raw("<table class=\"stack\" id=\"map-events\" aria-labelledby=\"events-h\"><thead><tr><th scope=\"col\">Notification</th><th scope=\"col\">When (as disclosed)</th>")
            .Raw("<th scope=\"col\">Area</th><th scope=\"col\">On the map</th></tr></thead><tbody>");
        foreach (var f in features)
        {
            var id = f.NotificationId.ToString();
            body.Raw("<tr data-notification=\"").Text(id).Raw("\" data-kind=\"").Text(f.Kind).Raw("\"><td data-label=\"Notification\">").Link("/console/inbox/" + id, "Open " + id[..8])
                .Raw("</td><td data-label=\"When\">").Text(f.OccurredAt ?? "not disclosed")
                .Raw("</td><td data-label=\"Area\">").Text(f.Area)
                .Raw("</td><td data-label=\"On the map\">").Text(Drawn(f)).Raw("</td></tr>");
        }

        body.Raw("</tbody></table>");
        SpikeTable(body, spikes);
        return Html.Page(ctx, "Map", body, assets: new PageAssets
        {
            Styles = ["/console/vendor/leaflet/leaflet.css"],
            Scripts = ["/console/vendor/leaflet/leaflet.js", "/console/map.js"],
            ImageSources = tiles is null ? [] : [tiles.GetLeftPart(UriPartial.Authority)],
        });
    }

    /// <summary>The spike alerts table, shared by the inbox and the map page.</summary>
    internal static void SpikeTable(Html body, IReadOnlyList<SpikeView> spikes)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(spikes);
        body.Raw("<section aria-labelledby=\"spikes-h\"><h2 id=\"spikes-h\">Spike alerts for your jurisdiction</h2>");
        if (spikes.Count == 0)
        {
            body.El("p", "No spike alerts.");
            body.Raw("</section>");
            return;
        }

        body.Raw("<table class=\"stack\" id=\"spike-alerts\"><thead><tr><th scope=\"col\">Jurisdiction</th><th scope=\"col\">Window (UTC)</th><th scope=\"col\">Events</th>")
            .Raw("<th scope=\"col\">Fatal</th><th scope=\"col\">Naloxone</th><th scope=\"col\">Threshold</th><th scope=\"col\">Alert</th></tr></thead><tbody>");
        foreach (var s in spikes)
        {
            var id = s.MessageId.ToString();
            body.Raw("<tr data-spike=\"").Text(id).Raw("\"><td data-label=\"Jurisdiction\">").Text(s.Jurisdiction).Raw(" (").Text(s.JurisdictionId).Raw(")")
                .Raw("</td><td data-label=\"Window\">").Time(s.WindowStartUtc).Raw(" – ").Time(s.WindowEndUtc)
                .Raw("</td><td data-label=\"Events\">").Text(s.EventCount)
                .Raw("</td><td data-label=\"Fatal\">").Text(s.FatalCount)
                .Raw("</td><td data-label=\"Naloxone\">").Text(s.NaloxoneCount)
                .Raw("</td><td data-label=\"Threshold\">").Text(string.Create(CultureInfo.InvariantCulture, $"{s.Threshold:0.##} ({s.Method})"))
                .Raw("</td><td data-label=\"Alert\">").Link("/console/inbox/" + id, "Open " + id[..8]).Raw("</td></tr>");
        }

        body.Raw("</tbody></table></section>");
    }

    private static async Task<IResult> ApiMapAsync(HttpContext ctx, ConsoleQueries queries, ILedger ledger, IOptions<ConsoleOptions> options)
    {
        var agency = ConsoleEndpoints.Agency(ctx);
        var features = await FeaturesAsync(ctx, queries, options.Value.InboxSize).ConfigureAwait(false);
        await ConsoleEndpoints.ViewedAsync(ctx, ledger, "api/map", agency).ConfigureAwait(false);
        ctx.Response.Headers.CacheControl = "no-store";
        return Results.Json(
            features.Select(f => new
            {
                notificationId = f.NotificationId,
                kind = f.Kind,
                latitude = f.Latitude,
                longitude = f.Longitude,
                cellDegrees = f.CellDegrees,
                area = f.Area,
                occurredAt = f.OccurredAt,
            }),
            HubJson.Options);
    }

    private static async Task<IResult> ApiSpikesAsync(HttpContext ctx, ConsoleQueries queries, ILedger ledger)
    {
        var agency = ConsoleEndpoints.Agency(ctx);
        var spikes = await SpikesAsync(ctx, queries).ConfigureAwait(false);
        await ConsoleEndpoints.ViewedAsync(ctx, ledger, "api/spikes", agency).ConfigureAwait(false);
        ctx.Response.Headers.CacheControl = "no-store";
        return Results.Json(
            spikes.Select(s => new
            {
                alertId = s.MessageId,
                jurisdictionId = s.JurisdictionId,
                jurisdictionName = s.Jurisdiction,
                windowStartUtc = s.WindowStartUtc,
                windowEndUtc = s.WindowEndUtc,
                eventCount = s.EventCount,
                fatalCount = s.FatalCount,
                naloxoneCount = s.NaloxoneCount,
                threshold = s.Threshold,
                method = s.Method,
            }),
            HubJson.Options);
    }

    private static string Label(MapFeature f) => f.NotificationId.ToString()[..8] + " · " + (f.OccurredAt ?? "time not disclosed") + " · " + Drawn(f);

    private static string Drawn(MapFeature f) => f.Kind switch
    {
        MapKinds.Point => "point as disclosed",
        MapKinds.Perturbed => "displaced point (approximate)",
        MapKinds.Cell => string.Create(CultureInfo.InvariantCulture, $"grid cell of {f.CellDegrees:0.####}°"),
        _ => "no point disclosed",
    };

    private static Uri? TileUrl(IConfiguration configuration) =>
        configuration["Hub:Console:MapTileUrl"] is { Length: > 0 } text && Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri : null;

    /// <summary>Leaflet's vendored dist files, embedded in the hub (see scripts/fetch-leaflet.sh).</summary>
    private static IResult Leaflet(HttpContext ctx, string path)
    {
        if (path.Contains("..", StringComparison.Ordinal))
        {
            return Results.NotFound();
        }

        var stream = typeof(ConsoleMapPages).Assembly.GetManifestResourceStream(LeafletPrefix + path);
        if (stream is null)
        {
            return Results.NotFound();
        }

        ctx.Response.Headers.CacheControl = "public, max-age=86400";
        ctx.Response.Headers.XContentTypeOptions = "nosniff";
        var type = Path.GetExtension(path) switch
        {
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".png" => "image/png",
            _ => "text/plain; charset=utf-8",
        };
        return Results.Stream(stream, type);
    }

    /// <summary>Whether the vendored Leaflet is embedded (a build without it would serve a blank map).</summary>
    internal static bool LeafletEmbedded() =>
        typeof(ConsoleMapPages).Assembly.GetManifestResourceNames().Contains(LeafletPrefix + "leaflet.js", StringComparer.Ordinal);

    /// <summary>
    /// Draws the data island. Labels go in as text nodes (never HTML); shapes carry the notification id so a test (or a
    /// screen reader user with the table) can tell what is drawn.
    /// </summary>
    private const string MapScript = """
        (function () {
          'use strict';
          var el = document.getElementById('map');
          var island = document.getElementById('map-data');
          if (!el || !island || typeof L === 'undefined') { return; }
          var data = JSON.parse(island.textContent);
          var map = L.map(el, { zoomSnap: 0.25 });
          if (data.tileUrl) {
            L.tileLayer(data.tileUrl, { maxZoom: 18, attribution: data.tileAttribution || '' }).addTo(map);
          }
          L.control.scale({ metric: true, imperial: true }).addTo(map);
          var shapes = data.features.map(function (f) {
            var shape;
            if (f.kind === 'cell') {
              var h = f.cellDegrees / 2;
              shape = L.rectangle([[f.lat - h, f.lon - h], [f.lat + h, f.lon + h]],
                { color: '#8a3b00', weight: 2, fillOpacity: 0.3, className: 'hub-cell' });
            } else {
              shape = L.circleMarker([f.lat, f.lon],
                { radius: 8, color: '#0b4f9c', weight: 2, fillOpacity: 0.6, className: f.kind === 'perturbed' ? 'hub-point hub-perturbed' : 'hub-point' });
            }
            var label = document.createElement('span');
            label.textContent = f.label;
            shape.bindTooltip(label);
            return { shape: shape, id: f.id };
          });
          var layer = L.featureGroup(shapes.map(function (s) { return s.shape; }));
          // A vector layer can only be added once the map has a view: bounds from the data, then the view, then the shapes.
          if (shapes.length > 0) {
            var bounds = L.latLngBounds(data.features.map(function (f) {
              var h = f.kind === 'cell' ? f.cellDegrees / 2 : 0;
              return [[f.lat - h, f.lon - h], [f.lat + h, f.lon + h]];
            }).reduce(function (a, b) { return a.concat(b); }, []));
            map.fitBounds(bounds.pad(0.5), { maxZoom: 13 });
          } else {
            map.setView([39.8, -98.6], 4);
          }
          layer.addTo(map);
          shapes.forEach(function (s) {
            var node = s.shape.getElement();
            if (node) { node.setAttribute('data-notification', s.id); }
          });
          el.setAttribute('data-ready', String(shapes.length));
        })();
        """;
}
