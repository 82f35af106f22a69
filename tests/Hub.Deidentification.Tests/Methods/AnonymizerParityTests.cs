using System.Text;
using System.Text.Json;
using Hub.Deidentification.Methods;
using Hub.Deidentification.Profiles;
using Hub.Testing;

namespace Hub.Deidentification.Tests.Methods;

/// <summary>
/// Where Microsoft's FHIR anonymizer test pairs exercise a method the hub also has, the hub gives the same value: cryptoHash
/// (HMAC-SHA256 hex), dateShift (its BKDR offset), partial ZIP redaction with its restricted list. Keys and lists are read
/// from the anonymizer's own configs.
/// </summary>
public sealed class AnonymizerParityTests
{
    private const string Shared = "fhir-anonymizer-testdata/Shared.FunctionalTests";

    private static JsonElement Load(params string[] parts)
    {
        var text = File.ReadAllText(ExternalData.PathOf(parts), Encoding.UTF8).TrimStart('\uFEFF');
        return JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true }).RootElement.Clone();
    }

    private static JsonElement Parameters(string config) => Load(Shared, "Configurations", config).GetProperty("parameters");

    [ExternalDataTheory]
    [InlineData("patient-basic")]
    [InlineData("patient-null-date")]
    [InlineData("patient-no-partial")]
    [InlineData("R4OnlyResource/Account-R4")]
    [InlineData("R4OnlyResource/Claim-R4")]
    [InlineData("R4OnlyResource/Contract-R4")]
    [InlineData("R4OnlyResource/ServiceRequest")]
    public void Given_PairWithCryptoHashedId_When_HmacWithConfigKey_Then_SameId(string pair)
    {
        var key = Encoding.UTF8.GetBytes(Parameters("common-config.json").GetProperty("cryptoHashKey").GetString()!);
        var input = Load(Shared, "TestResources", pair + ".json");
        var target = Load(Shared, "TestResources", pair + "-target.json");

        Assert.Equal(target.GetProperty("id").GetString(), Keyed.HmacHex(key, input.GetProperty("id").GetString()!));
    }

    [ExternalDataFact]
    public void Given_PatientBasic_When_ShiftedWithAnonymizerOffset_Then_SameDates()
    {
        var dateShiftKey = Parameters("common-config.json").GetProperty("dateShiftKey").GetString()!;
        var input = Load(Shared, "TestResources", "patient-basic.json");
        var target = Load(Shared, "TestResources", "patient-basic-target.json");
        var days = Dates.AnonymizerShiftDays(dateShiftKey, input.GetProperty("id").GetString()!);

        Assert.Equal(target.GetProperty("birthDate").GetString(), Dates.AnonymizerShift(input.GetProperty("birthDate").GetString()!, days));
        Assert.Equal(
            target.GetProperty("_birthDate").GetProperty("extension")[0].GetProperty("valueDateTime").GetString(),
            Dates.AnonymizerShift(input.GetProperty("_birthDate").GetProperty("extension")[0].GetProperty("valueDateTime").GetString()!, days));
        Assert.Equal(
            target.GetProperty("address")[0].GetProperty("period").GetProperty("start").GetString(),
            Dates.AnonymizerShift(input.GetProperty("address")[0].GetProperty("period").GetProperty("start").GetString()!, days));

        // Year-only values are left as they are.
        Assert.Equal(
            target.GetProperty("contact")[0].GetProperty("period").GetProperty("start").GetString(),
            Dates.AnonymizerShift(input.GetProperty("contact")[0].GetProperty("period").GetProperty("start").GetString()!, days));
    }

    [ExternalDataTheory]
    [InlineData("R4OnlyResource/Account-R4", "servicePeriod", "start")]
    [InlineData("R4OnlyResource/Account-R4", "servicePeriod", "end")]
    [InlineData("R4OnlyResource/Claim-R4", "created", null)]
    public void Given_R4Pair_When_ShiftedWithResourceIdPrefix_Then_SameDate(string pair, string property, string? child)
    {
        var config = Load("fhir-anonymizer-testdata", "R4.FunctionalTests", "r4-configuration-sample.json").GetProperty("parameters");
        var input = Load(Shared, "TestResources", pair + ".json");
        var target = Load(Shared, "TestResources", pair + "-target.json");
        // In this config the Resource.id cryptoHash rule runs first, so the date-shift prefix is the hashed id.
        var hashedId = Keyed.HmacHex(Encoding.UTF8.GetBytes(config.GetProperty("cryptoHashKey").GetString()!), input.GetProperty("id").GetString()!);
        var days = Dates.AnonymizerShiftDays(config.GetProperty("dateShiftKey").GetString()!, hashedId);
        string Read(JsonElement e) => (child is null ? e.GetProperty(property) : e.GetProperty(property).GetProperty(child)).GetString()!;

        Assert.Equal(Read(target), Dates.AnonymizerShift(Read(input), days));
    }

    [ExternalDataFact]
    public void Given_PatientBasic_When_PartialZipWithConfigList_Then_SamePostalCodes()
    {
        var parameters = Parameters("common-config.json");
        Assert.True(parameters.GetProperty("enablePartialZipCodesForRedact").GetBoolean());
        var list = new RestrictedZip3List
        {
            Version = "fhir-anonymizer",
            Source = "common-config.json",
            Restricted = parameters.GetProperty("restrictedZipCodeTabulationAreas").EnumerateArray().Select(e => e.GetString()!).ToHashSet(),
        };
        var input = Load(Shared, "TestResources", "patient-basic.json");
        var target = Load(Shared, "TestResources", "patient-basic-target.json");

        Assert.Equal(
            target.GetProperty("address")[0].GetProperty("postalCode").GetString(),
            Generalize.Zip3(input.GetProperty("address")[0].GetProperty("postalCode").GetString(), list, Zip3Format.PaddedFive));
        Assert.Equal(
            target.GetProperty("contact")[0].GetProperty("address").GetProperty("postalCode").GetString(),
            Generalize.Zip3(input.GetProperty("contact")[0].GetProperty("address").GetProperty("postalCode").GetString(), list, Zip3Format.PaddedFive));
        Assert.Equal("00000", Generalize.Zip3("36912", list, Zip3Format.PaddedFive));
    }
}
