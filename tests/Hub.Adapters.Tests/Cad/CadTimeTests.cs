using System.Globalization;
using Hub.Adapters.Cad;

namespace Hub.Adapters.Tests.Cad;

public sealed class CadTimeTests
{
    [Fact]
    public void Given_random_clock_times_When_parsed_by_the_fast_path_Then_they_equal_ParseExact()
    {
        var random = new Random(20240310);
        for (var i = 0; i < 5000; i++)
        {
            var expected = new DateTime(1990, 1, 1).AddSeconds(random.NextInt64(0, 60L * 365 * 24 * 3600));
            var text = expected.ToString(i % 2 == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

            Assert.True(CadTime.TryParseIsoSeconds(text, out var actual), text);
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [InlineData("2023-02-29 10:00:00")]
    [InlineData("2024-13-01 10:00:00")]
    [InlineData("2024-01-01 24:00:00")]
    [InlineData("2024-01-01 10:60:00")]
    [InlineData("2024-01-01 10:00:0x")]
    [InlineData("2024/01/01 10:00:00")]
    public void Given_impossible_or_misshapen_time_When_fast_path_parses_Then_it_refuses_like_ParseExact(string text)
    {
        Assert.False(CadTime.TryParseIsoSeconds(text, out _));
        Assert.False(DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
    }

    [Fact]
    public void Given_value_with_digits_and_letters_When_shaped_Then_no_character_of_the_value_survives_except_punctuation()
    {
        Assert.Equal("AAAA 99, AAA-9999", CadTime.Shape("John 42, Apt-1234"));
        Assert.Equal(41, CadTime.Shape(new string('x', 100)).Length);
    }

    [Fact]
    public void Given_Lord_Howe_half_hour_DST_When_time_in_gap_Then_shifted_forward_by_thirty_minutes()
    {
        // Australia/Lord_Howe springs forward 02:00 → 02:30 (UTC+10:30 → +11) on 2024-10-06.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Australia/Lord_Howe");

        var instant = CadTime.InZone(new DateTime(2024, 10, 6, 2, 15, 0), zone);

        Assert.Equal(new DateTimeOffset(2024, 10, 5, 15, 45, 0, TimeSpan.Zero), instant.ToUniversalTime());
        Assert.Equal(TimeSpan.FromHours(11), instant.Offset);
    }
}
