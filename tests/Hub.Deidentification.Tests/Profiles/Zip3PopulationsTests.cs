using Hub.Deidentification.Methods;
using Hub.Deidentification.Profiles;
using Hub.Testing;

namespace Hub.Deidentification.Tests.Profiles;

public sealed class Zip3PopulationsTests
{
    private static readonly string Census2020 = Path.Combine(AppContext.BaseDirectory, "TestData", "Census", "zcta-population-2020.csv");
    private static readonly string Shipped2020 = Path.Combine(ExternalData.RepositoryRoot, "src", "Deidentification", "Profiles", "zip3-restricted-2020.json");

    private static Zip3Populations Read(string csv) => Zip3Populations.Read(new StringReader(csv), "table.csv");

    [Fact]
    public void Given_Census2020ZctaPopulations_When_ListComputed_Then_ItIsTheShipped2020List()
    {
        using var reader = File.OpenText(Census2020);
        var populations = Zip3Populations.Read(reader, "zcta-population-2020.csv");
        var shipped = ProfileCatalog.EmbeddedZip3Lists().Single(l => l.Version == "2020");

        // The published table's own checksums: every ZCTA of DHC 2020 P1, and the people in them.
        Assert.Equal((33_774, 334_726_586L, 894), (populations.ZctaCount, populations.Population, populations.Areas.Count));
        var computed = populations.ToRestrictedList("2020", shipped.Source);
        Assert.Equal(shipped.Restricted.Order(StringComparer.Ordinal), computed.Restricted.Order(StringComparer.Ordinal));
        Assert.Equal(shipped.Unpopulated.Order(StringComparer.Ordinal), computed.Unpopulated.Order(StringComparer.Ordinal));

        // The shipped file is exactly what the computation writes, checksums and populations included.
        Assert.Equal(File.ReadAllText(Shipped2020).ReplaceLineEndings("\n"), populations.ToJson(computed));
        Assert.Equal((13_153L, 8), (populations.Areas["036"].Population, populations.Areas["036"].Zctas));
        Assert.Equal(22_228L, populations.Areas["831"].Population); // the closest prefix above the threshold
    }

    [Fact]
    public void Given_CensusExportWithBomLabelRowAndNationRow_When_Read_Then_OnlyZctasAreSummedByPrefix()
    {
        const string csv = "\uFEFF\"GEO_ID\",\"NAME\",\"P1_001N\",\"Tota\",\n" +
            "\"Geography\",\"Geographic Area Name\",\" !!Total\",\n" +
            "\"0100000US\",\"United States\",\"331449281\",\n" +
            "\"860Z200US00601\",\"ZCTA5 00601\",\"17242\",\n" +
            "\"860Z200US00602\",\"ZCTA5 00602\",\"37548\",\n" +
            "\"860Z200US03601\",\"ZCTA5 03601\",\"500\",\r\n";

        var populations = Read(csv);

        Assert.Equal((3, 55_290L, 1), (populations.ZctaCount, populations.Population, populations.SkippedRows));
        Assert.Equal(new Zip3Area(2, 54_790), populations.Areas["006"]);
        Assert.Equal(new Zip3Area(1, 500), populations.Areas["036"]);
    }

    [Fact]
    public void Given_SumsAroundTheThreshold_When_ListComputed_Then_20000IsRestrictedAnd20001IsNot()
    {
        var populations = Read("zcta,population\n10001,10000\n10002,10000\n11001,20001\n12001,0\n");

        var list = populations.ToRestrictedList("test", "synthetic");

        Assert.Equal(["100", "120"], list.Restricted.Order(StringComparer.Ordinal));
        Assert.False(list.IsRestricted("110"));
        Assert.Equal(997, list.Unpopulated.Count);
        Assert.Equal(("000", "110", "000"), (Generalize.Zip3("10003", list), Generalize.Zip3("11001", list), Generalize.Zip3("99501", list)));
    }

    [Fact]
    public void Given_BadRows_When_Read_Then_EveryProblemIsListedWithItsLine()
    {
        const string csv = "\"GEO_ID\",\"NAME\",\"P1_001N\"\n" +
            "\"860Z200US0060\",\"ZCTA5 0060\",\"1\"\n" +
            "\"860Z200US00602\",\"ZCTA5 00602\",\"-5\"\n" +
            "\"860Z200US00603\",\"ZCTA5 00603\",\"12\"\n" +
            "\"860Z200US00603\",\"ZCTA5 00603\",\"12\"\n" +
            "\"860Z200US00604\"\n";

        var ex = Assert.Throws<ProfileValidationException>(() => Read(csv));

        Assert.Equal(
            [
                "table.csv line 2: '860Z200US0060' is not a five-digit ZCTA",
                "table.csv line 3: population '-5' of ZCTA 00602 is not a whole number",
                "table.csv line 5: ZCTA 00603 appears twice",
                "table.csv line 6: 1 column(s), expected at least 3",
            ],
            ex.Problems);
    }

    [Theory]
    [InlineData("\"GEO_ID\",\"NAME\",\"P2_001N\"\n\"860Z200US00601\",\"ZCTA5 00601\",\"1\"\n", "table.csv line 1: expected a census export header with GEO_ID and P1_001N")]
    [InlineData("zip,people\n00601,1\n", "table.csv line 1: expected a census export header")]
    [InlineData("zcta,population\n", "table.csv: no ZCTA rows")]
    [InlineData("", "table.csv: empty file")]
    public void Given_TableWithoutZctaPopulations_When_Read_Then_ItSaysWhatIsMissing(string csv, string expected)
    {
        var ex = Assert.Throws<ProfileValidationException>(() => Read(csv));

        Assert.StartsWith(expected, Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_ListFileWithBadUnpopulatedItems_When_Parsed_Then_EachIsAProblem()
    {
        const string json = """{"version":"x","source":"s","restricted":["036"],"unpopulated":["090","090","9"]}""";

        var ex = Assert.Throws<ProfileValidationException>(() => RestrictedZip3List.Parse(json, "list.json"));

        Assert.Equal(["list.json: 'unpopulated' lists '090' twice", "list.json: 'unpopulated' item '\"9\"' is not a three-digit ZIP prefix"], ex.Problems);
        Assert.Equal(
            ["list.json: 'unpopulated' is not an array"],
            Assert.Throws<ProfileValidationException>(() => RestrictedZip3List.Parse("""{"version":"x","source":"s","restricted":[],"unpopulated":"090"}""", "list.json")).Problems);
    }
}
