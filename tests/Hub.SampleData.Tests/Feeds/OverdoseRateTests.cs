using System.Xml;
using Hub.SampleData.Feeds;

namespace Hub.SampleData.Tests.Feeds;

public sealed class OverdoseRateTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.8)]
    public void Given_an_overdose_rate_When_3000_PCRs_are_written_Then_the_observed_rate_is_within_three_points(double rate)
    {
        var generator = new SyntheticFeedGenerator(new SyntheticFeedOptions { Seed = 5, OverdoseRate = rate });
        using var stream = new MemoryStream();

        var summary = generator.WriteNemsis(stream, 3000);

        Assert.InRange(summary.EmsOverdoses / 3000.0, rate - 0.03, rate + 0.03);
        Assert.Equal(summary.EmsOverdoses, CountOverdoseDispatchOrImpression(stream));
    }

    [Fact]
    public void Given_rate_zero_When_generated_Then_no_overdoses_and_no_links()
    {
        using var feeds = new GeneratedFeeds(new SyntheticFeedOptions { Seed = 3, OverdoseRate = 0, EmsCount = 60, EdCount = 20, CadCount = 20 });

        Assert.Equal(0, feeds.Summary.EmsOverdoses + feeds.Summary.EdOverdoses + feeds.Summary.CadOverdoses);
        Assert.Equal(0, feeds.Summary.EdLinkedToEms + feeds.Summary.CadLinkedToEms);
        Assert.DoesNotContain(feeds.Truth, t => t["is_overdose"] == "true");
    }

    private static int CountOverdoseDispatchOrImpression(MemoryStream stream)
    {
        stream.Position = 0;
        var count = 0;
        using var reader = XmlReader.Create(stream);
        while (reader.ReadToFollowing("eSituation.11", "http://www.nemsis.org"))
        {
            var code = reader.ReadElementContentAsString();
            count += code.StartsWith("F11", StringComparison.Ordinal) || code.StartsWith("T40", StringComparison.Ordinal) ? 1 : 0;
        }

        return count;
    }
}
