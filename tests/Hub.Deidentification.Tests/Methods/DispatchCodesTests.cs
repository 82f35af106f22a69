using Hub.Deidentification.Methods;

namespace Hub.Deidentification.Tests.Methods;

public sealed class DispatchCodesTests
{
    [Theory]
    [InlineData("2301053", "2301053")]
    [InlineData(" OD ", "OD")]
    [InlineData("OVERDOSE/POISONING", "OVERDOSE/POISONING")]
    [InlineData("23-D-1", "23-D-1")]
    [InlineData("10-52 (Ingestion)", "10-52 (Ingestion)")]
    public void Given_CodeOrCallType_When_Checked_Then_KeptTrimmed(string value, string expected)
    {
        Assert.Equal(expected, DispatchCodes.CodeOrNull(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("OD 4135550199")]
    [InlineData("SSN 000123456")]
    [InlineData("caller Jane Roe says her friend is not breathing")]
    [InlineData("OD, caller: Roe")]
    [InlineData("OD @ Elm")]
    public void Given_FreeTextOrIdentifierDigits_When_Checked_Then_Dropped(string? value)
    {
        Assert.Null(DispatchCodes.CodeOrNull(value));
    }
}
