using System.Text.Json;
using Hub.Contracts.Model;
using Hub.Routing.Spikes;
using static Hub.Routing.Tests.TestEvents;

namespace Hub.Routing.Tests.Spikes;

public sealed class SpikeDetectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static SpikeOptions Options(Action<SpikeJurisdictionOptions> configure)
    {
        var options = new SpikeOptions();
        var j = new SpikeJurisdictionOptions { Id = "42091", Name = "Montgomery" };
        configure(j);
        options.Jurisdictions.Add(j);
        return options;
    }

    private static OverdoseEvent Overdose(string id, DateTimeOffset at, string county = "42091", bool fatal = false, bool naloxone = false) =>
        Event(id, SourceKind.Ems, at, new EventLocation { CountyFips = county },
            clinical: new ClinicalFacts { Fatal = fatal, NaloxoneGiven = naloxone, Disposition = fatal ? DispositionKind.Died : DispositionKind.Transported });

    [Fact]
    public void Given_a_fixed_threshold_When_the_count_reaches_it_Then_one_alert_with_counts_and_window()
    {
        var clock = new ManualTimeProvider(Now);
        var detector = new SpikeDetector(Options(j => j.Threshold = 5), clock);
        for (var i = 0; i < 4; i++)
        {
            detector.Record(Overdose($"e{i}", Now.AddHours(-i), fatal: i == 0, naloxone: i < 3));
        }

        detector.Record(Overdose("old", Now.AddHours(-25)));
        detector.Record(Overdose("elsewhere", Now.AddHours(-1), county: "42017"));
        Assert.Empty(detector.Evaluate());

        detector.Record(Overdose("e4", Now.AddHours(-5)));
        var alert = Assert.Single(detector.Evaluate());

        Assert.Equal(("42091", "Montgomery", 5, 1, 3), (alert.JurisdictionId, alert.JurisdictionName, alert.EventCount, alert.FatalCount, alert.NaloxoneCount));
        Assert.Equal((Now.AddHours(-24), Now, 5d, "fixed"), (alert.WindowStartUtc, alert.WindowEndUtc, alert.Threshold, alert.Method));
    }

    [Fact]
    public void Given_an_alert_When_more_events_come_Then_no_second_alert_until_the_count_falls_below_and_rises_again()
    {
        var clock = new ManualTimeProvider(Now);
        var detector = new SpikeDetector(Options(j => j.Threshold = 3), clock);
        for (var i = 0; i < 3; i++)
        {
            detector.Record(Overdose($"a{i}", Now.AddMinutes(-i)));
        }

        var first = Assert.Single(detector.Evaluate());
        detector.Record(Overdose("a3", Now));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty(detector.Evaluate()); // still over: the same spike

        clock.Advance(TimeSpan.FromHours(24)); // the window empties: re-armed
        Assert.Empty(detector.Evaluate());
        for (var i = 0; i < 3; i++)
        {
            detector.Record(Overdose($"b{i}", clock.GetUtcNow().AddMinutes(-i)));
        }

        var second = Assert.Single(detector.Evaluate());
        Assert.NotEqual(first.SpikeId, second.SpikeId);
    }

    [Fact]
    public void Given_one_episode_reported_by_three_sources_When_recorded_with_its_episode_id_Then_it_counts_once_with_the_later_facts()
    {
        var detector = new SpikeDetector(Options(j => j.Threshold = 2), new ManualTimeProvider(Now));
        var episode = Guid.NewGuid();

        Assert.True(detector.Record(Overdose("police", Now.AddHours(-2)), episode));
        Assert.False(detector.Record(Overdose("ems", Now.AddHours(-2), naloxone: true), episode));
        Assert.False(detector.Record(Overdose("ed", Now.AddHours(-1), fatal: true), episode));

        Assert.Equal(1, detector.CurrentCount("42091"));
        Assert.Empty(detector.Evaluate());
        detector.Record(Overdose("other", Now.AddHours(-1)), Guid.NewGuid());
        var alert = Assert.Single(detector.Evaluate());
        Assert.Equal((2, 1, 1), (alert.EventCount, alert.FatalCount, alert.NaloxoneCount));
    }

    private static SpikeDetector WithHistory(ManualTimeProvider clock, int today)
    {
        // 8 prior weeks, same 24 hours: 2, 4, 2, 4, ... (mean 3, sample sd 1.069, threshold 5.14 at k = 2).
        var detector = new SpikeDetector(Options(j => { j.Method = SpikeMethods.Baseline; j.BaselineWeeks = 8; j.BaselineK = 2; j.Threshold = 100; }), clock);
        for (var w = 1; w <= 8; w++)
        {
            var count = w % 2 == 0 ? 4 : 2;
            for (var i = 0; i < count; i++)
            {
                detector.Record(Overdose($"w{w}-{i}", Now.AddDays(-7 * w).AddHours(-1 - i)));
            }

            // A busy day outside the compared window does not count.
            detector.Record(Overdose($"w{w}-other", Now.AddDays(-7 * w).AddHours(-30)));
        }

        for (var i = 0; i < today; i++)
        {
            detector.Record(Overdose($"today-{i}", Now.AddHours(-1 - i)));
        }

        return detector;
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(6, true)]
    public void Given_eight_weeks_of_history_When_today_exceeds_mean_plus_k_sd_Then_a_baseline_alert(int today, bool alerts)
    {
        var clock = new ManualTimeProvider(Now);
        var detector = WithHistory(clock, today);

        var result = detector.Evaluate();

        Assert.Equal(alerts, result.Count == 1);
        if (alerts)
        {
            Assert.Equal("baseline", result[0].Method);
            Assert.Equal(3 + (2 * Math.Sqrt(8.0 / 7)), result[0].Threshold, 6);
        }
    }

    [Fact]
    public void Given_too_little_history_for_the_baseline_When_evaluated_Then_the_fixed_fallback_threshold_applies()
    {
        var clock = new ManualTimeProvider(Now);
        var detector = new SpikeDetector(Options(j => { j.Method = SpikeMethods.Baseline; j.Threshold = 2; }), clock);
        detector.Record(Overdose("a", Now.AddHours(-1)));
        detector.Record(Overdose("b", Now.AddHours(-2)));

        var alert = Assert.Single(detector.Evaluate());

        Assert.Equal(("fixed", 2d), (alert.Method, alert.Threshold));
    }

    [Fact]
    public void Given_a_baseline_of_zero_When_one_event_happens_Then_the_minimum_count_prevents_an_alert()
    {
        var clock = new ManualTimeProvider(Now);
        var detector = new SpikeDetector(Options(j => { j.Method = SpikeMethods.Baseline; j.MinimumCount = 3; }), clock)
        {
            HistoryStart = Now.AddDays(-90),
        };
        detector.Record(Overdose("a", Now.AddHours(-1)));
        detector.Record(Overdose("b", Now.AddHours(-2)));
        Assert.Empty(detector.Evaluate());

        detector.Record(Overdose("c", Now.AddHours(-3)));
        Assert.Single(detector.Evaluate());
    }

    [Fact]
    public void Given_an_alert_When_serialized_Then_it_carries_counts_and_no_person_data()
    {
        var detector = new SpikeDetector(Options(j => j.Threshold = 1), new ManualTimeProvider(Now));
        var e = Overdose("a", Now.AddHours(-1)) with { Subject = new SubjectIdentity { FamilyName = "Zyxwv", Phone = "6105550100" } };
        detector.Record(e);

        var json = JsonSerializer.Serialize(Assert.Single(detector.Evaluate()));

        Assert.DoesNotContain("Zyxwv", json, StringComparison.Ordinal);
        Assert.DoesNotContain("6105550100", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"a\"", json, StringComparison.Ordinal);
    }
}
