using System.Text;
using Hub.Adapters.Fhir.Model;

namespace Hub.Adapters.Tests.Fhir;

public sealed class FhirJsonTests
{
    private static Resource? Parse(string json, out FhirJsonError? error) => FhirJson.TryParse(Encoding.UTF8.GetBytes(json), out error);

    [Fact]
    public void Given_a_BOM_prefixed_resource_When_parsed_Then_it_reads()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("""{"resourceType":"Patient","id":"b","gender":"male"}""")).ToArray();
        var patient = Assert.IsType<Patient>(FhirJson.TryParse(bytes, out var error));
        Assert.Null(error);
        Assert.Equal("male", patient.Gender);
    }

    [Fact]
    public void Given_resourceType_not_first_and_unknown_elements_When_parsed_Then_type_is_chosen_and_unknowns_skipped()
    {
        var encounter = Assert.IsType<Encounter>(Parse("""{"id":"e","zzz":{"a":[1,{"b":2}]},"class":{"code":"EMER"},"resourceType":"Encounter"}""", out var error));
        Assert.Null(error);
        Assert.Equal("EMER", encounter.Class!.Code);
    }

    [Fact]
    public void Given_a_wrong_type_deep_in_a_Bundle_When_parsed_Then_the_error_has_the_full_path()
    {
        var json = """{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"Patient","birthDate":19900101}}]}""";
        Assert.Null(Parse(json, out var error));
        Assert.Equal("$.entry[1].resource.birthDate", error!.Path);
        Assert.DoesNotContain("19900101", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_contained_resources_When_parsed_Then_they_are_typed()
    {
        var json = """{"resourceType":"MedicationAdministration","contained":[{"resourceType":"Medication","id":"m","code":{"coding":[{"code":"7242"}]}}],"medicationReference":{"reference":"#m"}}""";
        var admin = Assert.IsType<MedicationAdministration>(Parse(json, out _));
        Assert.IsType<Medication>(Assert.Single(admin.Contained!));
    }

    [Fact]
    public void Given_a_primitive_extension_When_parsed_Then_it_is_kept()
    {
        var patient = Assert.IsType<Patient>(Parse("""{"resourceType":"Patient","_birthDate":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"unknown"}]}}""", out _));
        Assert.Null(patient.BirthDate);
        Assert.Equal("unknown", patient.BirthDateElement!.Extension![0].ValueCode);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    [InlineData(5000, false)]
    public void Given_nesting_depth_When_parsed_Then_depth_above_64_is_rejected(int depth, bool accepted)
    {
        // Depth counts the resource object itself: {"resourceType":..,"x": [[[...]]]} nests depth-1 arrays inside it.
        var json = "{\"resourceType\":\"Patient\",\"x\":" + new string('[', depth - 1) + new string(']', depth - 1) + "}";
        var resource = Parse(json, out var error);
        Assert.Equal(accepted, resource is not null);
        if (!accepted)
        {
            Assert.Contains("nesting deeper than 64", error!.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Given_duplicate_keys_When_parsed_Then_rejected_with_path()
    {
        Assert.Null(Parse("""{"resourceType":"Patient","gender":"male","gender":"female"}""", out var error));
        Assert.Contains("gender", error!.Reason + error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_duplicate_resourceType_When_parsed_Then_rejected()
    {
        Assert.Null(Parse("""{"resourceType":"Patient","resourceType":"Encounter"}""", out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("123456789012345678901234567890123456789012345678901234567890")]
    public void Given_a_huge_number_in_a_decimal_When_parsed_Then_a_precise_error_not_a_crash(string number)
    {
        var json = "{\"resourceType\":\"MedicationAdministration\",\"dosage\":{\"dose\":{\"value\":" + number + "}}}";
        Assert.Null(Parse(json, out var error));
        Assert.Equal("$.dosage.dose.value", error!.Path);
    }

    [Fact]
    public void Given_a_huge_number_in_an_unknown_element_When_parsed_Then_it_is_skipped()
    {
        Assert.IsType<Patient>(Parse("{\"resourceType\":\"Patient\",\"big\":1e999999}", out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("""{"id":"x"}""", "resourceType is missing")]
    [InlineData("""{"resourceType":42}""", "resourceType must be a string")]
    [InlineData("""{"resourceType":"patient"}""", "resourceType is not a FHIR resource type name")]
    [InlineData("""[1,2]""", "a resource must be a JSON object")]
    public void Given_a_wrong_resourceType_When_parsed_Then_rejected_with_reason(string json, string reason)
    {
        Assert.Null(Parse(json, out var error));
        Assert.Equal(reason, error!.Reason);
    }

    [Fact]
    public void Given_malformed_json_When_parsed_Then_error_has_line()
    {
        Assert.Null(Parse("{\n\"resourceType\":\"Patient\",\n\"gender\": male}", out var error));
        Assert.Equal(3, error!.Line);
    }
}
