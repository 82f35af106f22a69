using Hub.Routing.Jurisdictions;

namespace Hub.Routing.Tests.Jurisdictions;

public sealed class PlacesTests
{
    [Theory]
    [InlineData("Springfield", "PA", "SPRINGFIELD|PA")]
    [InlineData("  city of   springfield ", "pa", "SPRINGFIELD|PA")]
    [InlineData("Springfield", "42", "SPRINGFIELD|PA")]
    [InlineData("St. Mary's", "PA", "ST MARY S|PA")]
    [InlineData("Springfield", "ZZ", null)]
    [InlineData("", "PA", null)]
    public void Given_a_municipality_When_keyed_Then_case_spacing_prefix_and_state_form_do_not_matter(string name, string state, string? expected) =>
        Assert.Equal(expected, Places.MunicipalityKey(name, state));

    [Theory]
    [InlineData("42091", true)]
    [InlineData("03001", false)]
    [InlineData("4209", false)]
    [InlineData("4209A", false)]
    public void Given_a_code_When_checked_as_county_fips_Then_five_digits_of_a_known_state(string code, bool expected) =>
        Assert.Equal(expected, Places.IsCountyFips(code));
}
