using Hub.SampleData.Feeds;
using Hub.SampleData.Population;

namespace Hub.SampleData.Tests.Feeds;

public sealed class NoiseTests
{
    [Fact]
    public void Given_missing_dob_rate_one_When_generated_Then_no_record_carries_a_birth_date_and_truth_says_so()
    {
        using var feeds = new GeneratedFeeds(new SyntheticFeedOptions { Seed = 9, EmsCount = 30, EdCount = 20, CadCount = 5, Noise = NoiseOptions.None with { MissingBirthDateRate = 1 } });

        Assert.All(feeds.Truth.Where(t => t["source_kind"] != "cad"), t => Assert.Equal("missing-dob", t["noise"]));
        Assert.All(feeds.Pcrs, p => Assert.Equal("true", p.Descendants(GeneratedFeeds.Nemsis + "ePatient.17").Single().Attribute(System.Xml.Linq.XName.Get("nil", "http://www.w3.org/2001/XMLSchema-instance"))?.Value));
        Assert.All(feeds.Fhir["Patient"], p => Assert.False(p.TryGetProperty("birthDate", out _)));
    }

    [Fact]
    public void Given_typo_and_swap_rate_one_When_generated_Then_names_differ_from_the_population_as_truth_records()
    {
        var options = new SyntheticFeedOptions { Seed = 10, EmsCount = 40, EdCount = 0, CadCount = 0, Noise = NoiseOptions.None with { NameTypoRate = 1, SwappedNameRate = 1 } };
        using var feeds = new GeneratedFeeds(options);
        var population = new SyntheticPopulation(options.Seed, options.Counties, DateOnly.FromDateTime(options.Start));
        var truth = feeds.Truth.ToDictionary(t => t["source_record_id"]);

        foreach (var pcr in feeds.Pcrs)
        {
            var t = truth[GeneratedFeeds.RecordId(pcr)];
            Assert.Equal("typo;swapped-name", t["noise"]);
            var person = population.Person(int.Parse(t["person_id"][1..], System.Globalization.CultureInfo.InvariantCulture) - 1);
            Assert.Equal(person.LastName.Length, GeneratedFeeds.Value(pcr, "ePatient.03").Length);
            Assert.NotEqual(person.LastName, GeneratedFeeds.Value(pcr, "ePatient.03"));
            Assert.Equal(person.FirstName, GeneratedFeeds.Value(pcr, "ePatient.02"));
            Assert.Equal(person.BirthDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), GeneratedFeeds.Value(pcr, "ePatient.17"));
        }
    }

    [Fact]
    public void Given_no_noise_When_generated_Then_truth_has_no_noise_and_summary_counts_none()
    {
        using var feeds = new GeneratedFeeds(new SyntheticFeedOptions { Seed = 4, EmsCount = 30, EdCount = 30, CadCount = 10, Noise = NoiseOptions.None });

        Assert.All(feeds.Truth, t => Assert.Equal("", t["noise"]));
        Assert.Equal(0, feeds.Summary.NoisyRecords);
    }
}
