using System.Xml;
using System.Xml.Schema;
using Hub.SampleData.Feeds;
using Hub.Testing;

namespace Hub.SampleData.Tests.Feeds;

public sealed class NemsisXsdTests
{
    private static readonly Lazy<XmlSchemaSet> Schemas = new(() =>
    {
        var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        set.Add(NemsisXmlWriterNamespace, ExternalData.PathOf("nemsis-xsd", "v3.5.0", "EMSDataSet_v3.xsd"));
        set.Compile();
        return set;
    });

    private const string NemsisXmlWriterNamespace = "http://www.nemsis.org";

    [ExternalDataFact]
    public void Given_dotted_codes_When_validated_against_the_NEMSIS_3_5_0_XSD_Then_there_are_no_errors()
    {
        var generator = new SyntheticFeedGenerator(new SyntheticFeedOptions { Seed = 11, UndottedIcdRate = 0, OverdoseRate = 0.5 });
        using var stream = new MemoryStream();
        generator.WriteNemsis(stream, 300);

        var errors = Validate(stream);

        Assert.Empty(errors.Select(e => e[(e.IndexOf(':', StringComparison.Ordinal) + 1)..]).Distinct());
    }

    [ExternalDataFact]
    public void Given_default_options_When_validated_Then_only_the_undotted_ICD_codes_fail_the_impression_pattern()
    {
        var generator = new SyntheticFeedGenerator(new SyntheticFeedOptions { Seed = 12, UndottedIcdRate = 0.2 });
        using var stream = new MemoryStream();
        generator.WriteNemsis(stream, 300);
        stream.Position = 0;
        var undotted = CountUndottedImpressions(stream);

        var errors = Validate(stream);

        Assert.True(undotted > 0);
        Assert.Equal(undotted, errors.Count);
        Assert.All(errors, e => Assert.Contains("eSituation.11", e, StringComparison.Ordinal));
    }

    internal static List<string> Validate(Stream stream)
    {
        stream.Position = 0;
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Schemas.Value };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} line {e.Exception?.LineNumber}: {e.Message}");
        using (var reader = XmlReader.Create(stream, settings))
        {
            while (reader.Read())
            {
            }
        }

        return errors;
    }

    private static int CountUndottedImpressions(Stream stream)
    {
        stream.Position = 0;
        var count = 0;
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { CloseInput = false });
        while (reader.ReadToFollowing("eSituation.11", NemsisXmlWriterNamespace))
        {
            var code = reader.ReadElementContentAsString();
            count += code.Contains('.', StringComparison.Ordinal) || code.Length <= 3 ? 0 : 1;
        }

        return count;
    }
}
