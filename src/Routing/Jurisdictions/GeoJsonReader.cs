using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Hub.Routing.Jurisdictions;

/// <summary>One polygonal area read from GeoJSON, with the feature's id and name when it had them.</summary>
/// <param name="Geometry">A <see cref="Polygon"/> or <see cref="MultiPolygon"/> in WGS 84 (x = longitude, y = latitude).</param>
/// <param name="Id">The feature's <c>id</c> (or <c>properties.id</c>), if any.</param>
/// <param name="Name">The feature's <c>properties.name</c>, if any.</param>
public sealed record GeoJsonArea(Geometry Geometry, string? Id, string? Name);

/// <summary>The areas read from a GeoJSON document and, for what could not be read, the errors with their JSON path.</summary>
/// <param name="Areas">The polygonal areas.</param>
/// <param name="Errors">One line per problem: <c>$.features[2].geometry: ...</c>. Never contains coordinates.</param>
public sealed record GeoJsonReadResult(IReadOnlyList<GeoJsonArea> Areas, IReadOnlyList<string> Errors);

/// <summary>
/// Reads GeoJSON (RFC 7946) Polygon, MultiPolygon, GeometryCollection, Feature and FeatureCollection into
/// NetTopologySuite geometries with System.Text.Json, because the NTS GeoJSON4STJ package cannot be restored here.
/// Bad input never throws: it becomes an error with its JSON path.
/// </summary>
public static class GeoJsonReader
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>Reads a file; a missing or unreadable file is an error, not an exception.</summary>
    public static GeoJsonReadResult ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return new GeoJsonReadResult([], [$"{Path.GetFileName(path)}: cannot be read ({ex.GetType().Name})"]);
        }

        return Read(bytes);
    }

    /// <summary>Reads a UTF-8 GeoJSON document.</summary>
    public static GeoJsonReadResult Read(ReadOnlySpan<byte> utf8Json)
    {
        var areas = new List<GeoJsonArea>();
        var errors = new List<string>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            return new GeoJsonReadResult([], [$"$: not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})"]);
        }

        using (document)
        {
            ReadObject(document.RootElement, "$", null, null, areas, errors);
        }

        if (areas.Count == 0 && errors.Count == 0)
        {
            errors.Add("$: contains no Polygon or MultiPolygon");
        }

        return new GeoJsonReadResult(areas, errors);
    }

    private static void ReadObject(JsonElement element, string path, string? id, string? name, List<GeoJsonArea> areas, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: expected an object");
            return;
        }

        if (!element.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path}: missing \"type\"");
            return;
        }

        var type = typeElement.GetString();
        switch (type)
        {
            case "FeatureCollection":
                if (!element.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
                {
                    errors.Add($"{path}.features: expected an array");
                    return;
                }

                var index = 0;
                foreach (var feature in features.EnumerateArray())
                {
                    ReadObject(feature, $"{path}.features[{index}]", null, null, areas, errors);
                    index++;
                }

                return;
            case "Feature":
                var featureId = ReadId(element);
                string? featureName = null;
                if (element.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
                {
                    featureId ??= properties.TryGetProperty("id", out var pid) ? ScalarText(pid) : null;
                    featureName = properties.TryGetProperty("name", out var pname) ? ScalarText(pname) : null;
                }

                if (!element.TryGetProperty("geometry", out var geometry) || geometry.ValueKind == JsonValueKind.Null)
                {
                    errors.Add($"{path}.geometry: missing");
                    return;
                }

                ReadObject(geometry, $"{path}.geometry", featureId, featureName, areas, errors);
                return;
            case "GeometryCollection":
                if (!element.TryGetProperty("geometries", out var geometries) || geometries.ValueKind != JsonValueKind.Array)
                {
                    errors.Add($"{path}.geometries: expected an array");
                    return;
                }

                var g = 0;
                foreach (var child in geometries.EnumerateArray())
                {
                    ReadObject(child, $"{path}.geometries[{g}]", id, name, areas, errors);
                    g++;
                }

                return;
            case "Polygon":
                var polygon = ReadPolygon(Coordinates(element, path, errors), $"{path}.coordinates", errors);
                if (polygon is not null)
                {
                    areas.Add(new GeoJsonArea(polygon, id, name));
                }

                return;
            case "MultiPolygon":
                var multi = Coordinates(element, path, errors);
                if (multi is not { } m)
                {
                    return;
                }

                var polygons = new List<Polygon>();
                var p = 0;
                var ok = true;
                foreach (var polygonCoordinates in m.EnumerateArray())
                {
                    var part = ReadPolygon(polygonCoordinates, $"{path}.coordinates[{p}]", errors);
                    ok &= part is not null;
                    if (part is not null)
                    {
                        polygons.Add(part);
                    }

                    p++;
                }

                if (ok && polygons.Count > 0)
                {
                    areas.Add(new GeoJsonArea(Factory.CreateMultiPolygon([.. polygons]), id, name));
                }
                else if (ok)
                {
                    errors.Add($"{path}.coordinates: no polygons");
                }

                return;
            case "Point" or "MultiPoint" or "LineString" or "MultiLineString":
                errors.Add($"{path}: a {type} has no area; a jurisdiction needs a Polygon or MultiPolygon");
                return;
            default:
                errors.Add($"{path}.type: unknown GeoJSON type");
                return;
        }
    }

    private static JsonElement? Coordinates(JsonElement element, string path, List<string> errors)
    {
        if (!element.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{path}.coordinates: expected an array");
            return null;
        }

        return coordinates;
    }

    private static Polygon? ReadPolygon(JsonElement? rings, string path, List<string> errors)
    {
        if (rings is not { } r)
        {
            return null;
        }

        if (r.ValueKind != JsonValueKind.Array || r.GetArrayLength() == 0)
        {
            errors.Add($"{path}: expected an array of linear rings");
            return null;
        }

        var linearRings = new List<LinearRing>();
        var i = 0;
        foreach (var ring in r.EnumerateArray())
        {
            var ringPath = $"{path}[{i}]";
            var ringCoordinates = ReadRing(ring, ringPath, errors);
            if (ringCoordinates is null)
            {
                return null;
            }

            linearRings.Add(Factory.CreateLinearRing(ringCoordinates));
            i++;
        }

        var polygon = Factory.CreatePolygon(linearRings[0], [.. linearRings.Skip(1)]);
        if (!polygon.IsValid)
        {
            errors.Add($"{path}: the polygon is not valid (self-intersecting or holes outside the shell)");
            return null;
        }

        return polygon;
    }

    private static Coordinate[]? ReadRing(JsonElement ring, string path, List<string> errors)
    {
        if (ring.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{path}: expected an array of positions");
            return null;
        }

        var coordinates = new List<Coordinate>(ring.GetArrayLength());
        var j = 0;
        foreach (var position in ring.EnumerateArray())
        {
            if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2
                || position[0].ValueKind != JsonValueKind.Number || position[1].ValueKind != JsonValueKind.Number
                || !position[0].TryGetDouble(out var lon) || !position[1].TryGetDouble(out var lat))
            {
                errors.Add($"{path}[{j}]: expected [longitude, latitude]");
                return null;
            }

            if (lon is < -180 or > 180 || lat is < -90 or > 90)
            {
                errors.Add($"{path}[{j}]: position out of WGS 84 range");
                return null;
            }

            coordinates.Add(new Coordinate(lon, lat));
            j++;
        }

        if (coordinates.Count < 4)
        {
            errors.Add($"{path}: a linear ring needs at least 4 positions");
            return null;
        }

        if (!coordinates[0].Equals2D(coordinates[^1]))
        {
            errors.Add($"{path}: the ring is not closed (first and last positions differ)");
            return null;
        }

        return [.. coordinates];
    }

    private static string? ReadId(JsonElement feature) =>
        feature.TryGetProperty("id", out var id) ? ScalarText(id) : null;

    private static string? ScalarText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };
}
