using Hub.Routing.Jurisdictions;
using NetTopologySuite.Geometries;

namespace Hub.Routing.Tests.Jurisdictions;

public sealed class GeoJsonReaderTests
{
    [Fact]
    public void Given_a_feature_with_a_hole_When_read_Then_one_polygon_with_its_id_name_and_hole()
    {
        var result = GeoJsonReader.ReadFile(TestEvents.TestDataPath("Jurisdictions", "square-with-hole.geojson"));

        Assert.Empty(result.Errors);
        var area = Assert.Single(result.Areas);
        Assert.Equal("west", area.Id);
        Assert.Equal("West district (synthetic)", area.Name);
        var polygon = Assert.IsType<Polygon>(area.Geometry);
        Assert.Equal(1, polygon.NumInteriorRings);
        Assert.Equal(0.01 - 0.0004, polygon.Area, 9);
    }

    [Fact]
    public void Given_a_feature_collection_with_the_id_in_properties_When_read_Then_the_id_is_taken_from_properties()
    {
        var result = GeoJsonReader.ReadFile(TestEvents.TestDataPath("Jurisdictions", "east-collection.geojson"));

        Assert.Empty(result.Errors);
        Assert.Equal("east", Assert.Single(result.Areas).Id);
    }

    [Fact]
    public void Given_a_bare_multipolygon_When_read_Then_one_area_with_two_parts()
    {
        var result = GeoJsonReader.ReadFile(TestEvents.TestDataPath("Jurisdictions", "islands-multipolygon.geojson"));

        Assert.Empty(result.Errors);
        var multi = Assert.IsType<MultiPolygon>(Assert.Single(result.Areas).Geometry);
        Assert.Equal(2, multi.NumGeometries);
    }

    [Fact]
    public void Given_bad_features_When_read_Then_each_is_an_error_with_its_json_path_and_nothing_throws()
    {
        var result = GeoJsonReader.ReadFile(TestEvents.TestDataPath("Jurisdictions", "unclosed-ring.geojson"));

        Assert.Empty(result.Areas);
        Assert.Equal(3, result.Errors.Count);
        Assert.StartsWith("$.features[0].geometry.coordinates[0]: the ring is not closed", result.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("$.features[1].geometry: a Point has no area", result.Errors[1], StringComparison.Ordinal);
        Assert.StartsWith("$.features[2].geometry.coordinates[0][1]: expected [longitude, latitude]", result.Errors[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Given_truncated_json_or_a_missing_file_When_read_Then_an_error_not_an_exception()
    {
        var truncated = GeoJsonReader.ReadFile(TestEvents.TestDataPath("Jurisdictions", "truncated.geojson"));
        var missing = GeoJsonReader.ReadFile(TestEvents.TestDataPath("Jurisdictions", "does-not-exist.geojson"));

        Assert.StartsWith("$: not valid JSON", Assert.Single(truncated.Errors), StringComparison.Ordinal);
        Assert.Contains("cannot be read", Assert.Single(missing.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_self_intersecting_bow_tie_When_read_Then_it_is_rejected_as_invalid()
    {
        var json = """{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}"""u8;

        var result = GeoJsonReader.Read(json);

        Assert.Contains("not valid", Assert.Single(result.Errors), StringComparison.Ordinal);
    }
}
