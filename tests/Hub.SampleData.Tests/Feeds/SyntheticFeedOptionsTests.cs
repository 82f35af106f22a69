using Hub.SampleData.Feeds;

namespace Hub.SampleData.Tests.Feeds;

public sealed class SyntheticFeedOptionsTests
{
    [Fact]
    public void Given_several_invalid_options_When_a_generator_is_created_Then_one_exception_lists_each_of_them()
    {
        var options = new SyntheticFeedOptions { EmsCount = -1, OverdoseRate = 1.5, TimeZone = "Mars/Olympus", Noise = new NoiseOptions { NameTypoRate = -0.1 } };

        var error = Assert.Throws<ArgumentException>(() => new SyntheticFeedGenerator(options));

        Assert.Contains(nameof(SyntheticFeedOptions.EmsCount), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SyntheticFeedOptions.OverdoseRate), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SyntheticFeedOptions.TimeZone), error.Message, StringComparison.Ordinal);
        Assert.Contains("Noise.NameTypoRate", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(SyntheticFeedOptions.CadCount), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_default_options_When_validated_Then_they_are_accepted()
    {
        new SyntheticFeedOptions().Validate();
    }
}
