using Hub.Contracts.Model;
using Hub.Routing.Linkage;
using static Hub.Routing.Tests.TestEvents;

namespace Hub.Routing.Tests.Linkage;

public sealed class EpisodeLinkerTests
{
    private static readonly EventLocation Scene = new()
    {
        Precision = LocationPrecision.Address, StreetAddress = "1234 Main Street", Latitude = 40.1213, Longitude = -75.3399,
    };

    private static OverdoseEvent Ems(string id, DateTimeOffset at) => Event(id, SourceKind.Ems, at, Scene);

    private static OverdoseEvent Ed(string id, DateTimeOffset at) => Event(id, SourceKind.EmergencyDepartment, at);

    private static OverdoseEvent Police(string id, DateTimeOffset at, EventLocation location) => Event(id, SourceKind.Police, at, location);

    /// <summary>A point <paramref name="metersNorth"/> north of the scene.</summary>
    private static EventLocation North(double metersNorth) =>
        Point(Scene.Latitude!.Value + (metersNorth / 111_320), Scene.Longitude!.Value);

    [Fact]
    public void Given_an_ems_run_When_the_ed_visit_shares_a_token_within_12_hours_Then_it_updates_the_same_episode_to_version_2()
    {
        var linker = new EpisodeLinker(new LinkageOptions());

        var first = linker.Link(Ems("ems-1", T0), ["rule-a:1", "phone:9"]);
        var second = linker.Link(Ed("ed-1", T0.AddHours(11.9)), ["rule-b:2", "phone:9"]);

        Assert.True(first.IsNew);
        Assert.Equal(1, first.Version);
        Assert.False(second.IsNew);
        Assert.Equal(first.EpisodeId, second.EpisodeId);
        Assert.Equal(2, second.Version);
        Assert.Equal(["ems-1", "ed-1"], second.Events.Select(e => e.EventId));
        Assert.Equal("rule-a:1", second.PersonKey);
    }

    [Theory]
    [InlineData(12.01, false)]
    [InlineData(-12.01, false)]
    [InlineData(-11.5, true)] // the ED record may arrive first
    public void Given_the_ems_ed_window_When_a_shared_token_is_further_apart_Then_it_is_a_new_episode(double hours, bool linked)
    {
        var linker = new EpisodeLinker(new LinkageOptions());

        var first = linker.Link(Ems("ems-1", T0), ["phone:9"]);
        var second = linker.Link(Ed("ed-1", T0.AddHours(hours)), ["phone:9"]);

        Assert.Equal(linked, first.EpisodeId == second.EpisodeId);
    }

    [Fact]
    public void Given_two_people_When_their_tokens_differ_Then_their_events_stay_apart()
    {
        var linker = new EpisodeLinker(new LinkageOptions());

        var a = linker.Link(Ems("ems-1", T0), ["phone:1"]);
        var b = linker.Link(Ed("ed-2", T0.AddHours(1)), ["phone:2"]);

        Assert.NotEqual(a.EpisodeId, b.EpisodeId);
        Assert.True(b.IsNew);
    }

    [Fact]
    public void Given_a_correction_of_a_known_record_When_linked_again_Then_same_episode_next_version_and_the_record_is_replaced()
    {
        var linker = new EpisodeLinker(new LinkageOptions());
        var first = linker.Link(Ems("ems-1", T0), ["phone:9"]);
        linker.Link(Ed("ed-1", T0.AddHours(1)), ["phone:9"]);

        var corrected = Ems("ems-1", T0) with { Clinical = new ClinicalFacts { Fatal = true } };
        var update = linker.Link(corrected, ["phone:9"]);

        Assert.Equal(first.EpisodeId, update.EpisodeId);
        Assert.Equal(3, update.Version);
        Assert.True(update.IsUpdateOfKnownEvent);
        Assert.Equal(2, update.Events.Count);
        Assert.True(update.Events.Single(e => e.EventId == "ems-1").Clinical.Fatal);
        Assert.Equal(["ems-1", "ed-1"], Assert.Single(linker.Snapshot()).EventIds);
    }

    [Theory]
    [InlineData(200, 1.9, true)]
    [InlineData(290, -1.5, true)] // the police call may come after the EMS run is recorded
    [InlineData(400, 0.5, false)] // too far
    [InlineData(100, 2.1, false)] // too late
    public void Given_an_ems_run_When_a_police_call_is_near_in_time_and_space_Then_it_joins_the_episode(double meters, double hours, bool linked)
    {
        var linker = new EpisodeLinker(new LinkageOptions());
        var ems = linker.Link(Ems("ems-1", T0), ["phone:9"]);

        var police = linker.Link(Police("cad-1", T0.AddHours(hours), North(meters)), []);

        Assert.Equal(linked, police.EpisodeId == ems.EpisodeId);
        Assert.Equal(linked ? 2 : 1, police.Version);
    }

    [Fact]
    public void Given_a_police_call_published_by_block_only_When_the_ems_address_is_on_that_block_Then_they_link()
    {
        var linker = new EpisodeLinker(new LinkageOptions());
        var ems = linker.Link(Ems("ems-1", T0), ["phone:9"]);

        var police = linker.Link(Police("cad-1", T0.AddMinutes(-10), new EventLocation { Precision = LocationPrecision.Block, Block = "1200 BLOCK OF MAIN ST" }), []);
        var otherBlock = linker.Link(Police("cad-2", T0.AddMinutes(-10), new EventLocation { Precision = LocationPrecision.Block, Block = "1300 BLOCK OF MAIN ST" }), []);

        Assert.Equal(ems.EpisodeId, police.EpisodeId);
        Assert.NotEqual(ems.EpisodeId, otherBlock.EpisodeId);
        Assert.Null(otherBlock.PersonKey);
    }

    [Fact]
    public void Given_police_first_then_ems_then_ed_When_linked_Then_one_episode_with_versions_1_2_3()
    {
        var linker = new EpisodeLinker(new LinkageOptions());

        var police = linker.Link(Police("cad-1", T0.AddMinutes(-8), North(60)), []);
        var ems = linker.Link(Ems("ems-1", T0), ["phone:9"]);
        var ed = linker.Link(Ed("ed-1", T0.AddHours(1)), ["phone:9"]);

        Assert.Equal([1, 2, 3], new[] { police.Version, ems.Version, ed.Version });
        Assert.All(new[] { ems, ed }, a => Assert.Equal(police.EpisodeId, a.EpisodeId));
        Assert.Equal("phone:9", ed.PersonKey);
    }

    [Fact]
    public void Given_an_ed_episode_and_a_police_only_episode_When_the_ems_run_ties_them_Then_the_police_episode_is_absorbed_and_reported()
    {
        var linker = new EpisodeLinker(new LinkageOptions());
        var ed = linker.Link(Ed("ed-1", T0.AddHours(1)), ["phone:9"]);
        var police = linker.Link(Police("cad-1", T0.AddMinutes(-5), North(50)), []);

        var ems = linker.Link(Ems("ems-1", T0), ["phone:9"]);

        Assert.NotEqual(ed.EpisodeId, police.EpisodeId);
        Assert.Equal(ed.EpisodeId, ems.EpisodeId);
        Assert.Equal([police.EpisodeId], ems.MergedEpisodeIds);
        Assert.Equal(["cad-1", "ems-1", "ed-1"], Assert.Single(linker.Snapshot()).EventIds);
    }

    [Fact]
    public void Given_events_older_than_the_window_When_time_moves_on_Then_their_episodes_are_evicted_and_cannot_be_joined()
    {
        var linker = new EpisodeLinker(new LinkageOptions());
        var old = linker.Link(Ems("ems-1", T0), ["phone:9"]);

        var later = linker.Link(Ems("ems-2", T0.AddHours(13)), ["phone:8"]);

        Assert.Equal([later.EpisodeId], linker.Snapshot().Select(s => s.EpisodeId));
        Assert.Equal(1, linker.EventCount);
        var late = linker.Link(Ed("ed-1", T0.AddHours(1)), ["phone:9"]);
        Assert.NotEqual(old.EpisodeId, late.EpisodeId);
    }

    [Fact]
    public void Given_a_longer_retention_When_time_moves_past_the_window_but_not_the_retention_Then_the_episode_is_kept_for_corrections()
    {
        var linker = new EpisodeLinker(new LinkageOptions { Retention = TimeSpan.FromDays(7) });
        var first = linker.Link(Ems("ems-1", T0), ["phone:9"]);
        linker.Link(Ems("ems-2", T0.AddDays(3)), ["phone:8"]);

        var correction = linker.Link(Ems("ems-1", T0), ["phone:9"]);

        Assert.Equal((first.EpisodeId, 2), (correction.EpisodeId, correction.Version));
        Assert.Equal(2, linker.EventCount);
    }

    [Fact]
    public void Given_a_cap_on_events_When_it_is_exceeded_Then_the_oldest_episodes_go_first()
    {
        var linker = new EpisodeLinker(new LinkageOptions { MaxEvents = 3, Retention = TimeSpan.FromDays(30) });
        for (var i = 0; i < 5; i++)
        {
            linker.Link(Ed($"ed-{i}", T0.AddDays(i)), [$"phone:{i}"]);
        }

        Assert.Equal(["ed-2", "ed-3", "ed-4"], linker.Snapshot().SelectMany(s => s.EventIds).Order());
    }

    [Fact]
    public void Given_many_threads_When_linking_at_once_Then_every_event_lands_in_exactly_one_episode_with_its_partner()
    {
        var linker = new EpisodeLinker(new LinkageOptions { Retention = TimeSpan.FromDays(30) });
        var pairs = Enumerable.Range(0, 2000).ToList();

        Parallel.ForEach(pairs, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            linker.Link(Ems($"ems-{i}", T0.AddMinutes(i)), [$"phone:{i}"]);
            linker.Link(Ed($"ed-{i}", T0.AddMinutes(i + 30)), [$"phone:{i}"]);
        });

        var snapshot = linker.Snapshot();
        Assert.Equal(2000, snapshot.Count);
        Assert.All(snapshot, s => Assert.Equal(2, s.EventIds.Count));
        Assert.All(snapshot, s => Assert.Equal(s.EventIds[0][4..], s.EventIds[1][3..]));
    }

    [Theory]
    [InlineData("1200 BLOCK OF MAIN ST", "1200 MAIN ST")]
    [InlineData("1234 Main Street", "1200 MAIN ST")]
    [InlineData("12 N. Oak Avenue", "0 N OAK AVE")]
    [InlineData("MAIN ST / 5TH AVE", null)]
    public void Given_block_or_address_text_When_keyed_Then_both_reduce_to_the_hundred_block(string text, string? expected)
    {
        var location = text.Contains("BLOCK", StringComparison.Ordinal) ? new EventLocation { Block = text } : new EventLocation { StreetAddress = text };

        Assert.Equal(expected, EpisodeLinker.BlockKey(location));
    }

    [Fact]
    public void Given_the_same_first_event_When_linked_by_two_fresh_linkers_Then_the_episode_id_is_the_same()
    {
        var a = new EpisodeLinker(new LinkageOptions()).Link(Ems("ems-1", T0), ["phone:9"]);
        var b = new EpisodeLinker(new LinkageOptions()).Link(Ems("ems-1", T0), ["phone:9"]);

        Assert.Equal(a.EpisodeId, b.EpisodeId);
    }
}
