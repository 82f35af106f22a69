using Hub.Contracts.Model;
using Hub.Routing.Linkage;

namespace Hub.Routing.Tests.Linkage;

/// <summary>
/// The optimized <see cref="EpisodeLinker"/> must decide exactly as the straightforward <see cref="ReferenceEpisodeLinker"/>
/// (the previous implementation): same episode ids, versions, members, person keys, merges and corrections.
/// </summary>
public sealed class EpisodeLinkerEquivalenceTests
{
    public static TheoryData<int, int, int> Cases => new()
    {
        { 20260301, 2_000_000, 0 },
        { 7, 2_000_000, 0 },
        { 11, 300, 0 },   // the cap drops episodes early
        { 13, 2_000_000, 48 }, // retention longer than the windows
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Given_noisy_episodes_with_corrections_When_linked_by_both_Then_every_assignment_is_the_same(int seed, int maxEvents, int retentionHours)
    {
        var options = new LinkageOptions { MaxEvents = maxEvents, Retention = retentionHours > 0 ? TimeSpan.FromHours(retentionHours) : null };
        var fast = new EpisodeLinker(options);
        var reference = new ReferenceEpisodeLinker(options);
        var random = new Random(seed);
        var events = new LinkageTruthGenerator(seed).Generate(episodeCount: 1500, days: 20);
        var inputs = new List<(OverdoseEvent Event, IReadOnlyList<string> Tokens)>();
        foreach (var e in events)
        {
            inputs.Add((e.Event, e.Tokens));
            // Corrections: the same record again, sometimes moved in time, with other tokens, or as another kind.
            if (random.NextDouble() < 0.05)
            {
                var earlier = events[random.Next(events.Count)];
                var moved = earlier.Event with
                {
                    OccurredAt = earlier.Event.OccurredAt.AddMinutes(random.Next(-90, 90)),
                    SourceKind = random.Next(4) == 0 ? SourceKind.Ems : earlier.Event.SourceKind,
                };
                inputs.Add((moved, random.Next(2) == 0 ? [.. earlier.Tokens.Reverse()] : [.. earlier.Tokens.Take(1), "", earlier.Tokens.Count > 0 ? earlier.Tokens[0] : "x:1"]));
            }
        }

        var compared = 0;
        foreach (var (e, tokens) in inputs)
        {
            var expected = reference.Link(e, tokens);
            var actual = fast.Link(e, tokens);

            Assert.Equal(expected.EpisodeId, actual.EpisodeId);
            Assert.Equal(expected.Version, actual.Version);
            Assert.Equal(expected.IsNew, actual.IsNew);
            Assert.Equal(expected.IsUpdateOfKnownEvent, actual.IsUpdateOfKnownEvent);
            Assert.Equal(expected.PersonKey, actual.PersonKey);
            Assert.Equal(expected.Events.Select(x => x.EventId), actual.Events.Select(x => x.EventId));
            Assert.Equal(expected.MergedEpisodeIds, actual.MergedEpisodeIds);
            compared++;
        }

        Assert.Equal(reference.EventCount, fast.EventCount);
        var expectedSnapshot = reference.Snapshot();
        var actualSnapshot = fast.Snapshot();
        Assert.Equal(expectedSnapshot.Count, actualSnapshot.Count);
        for (var i = 0; i < expectedSnapshot.Count; i++)
        {
            Assert.Equal(expectedSnapshot[i].EpisodeId, actualSnapshot[i].EpisodeId);
            Assert.Equal(expectedSnapshot[i].Version, actualSnapshot[i].Version);
            Assert.Equal(expectedSnapshot[i].EventIds, actualSnapshot[i].EventIds);
        }

        Assert.True(compared > events.Count);
        Assert.Contains(inputs, i => i.Event.SourceKind == SourceKind.Police);
    }

    [Theory]
    [InlineData("1234 Main Street")]
    [InlineData("1200 BLOCK OF MAIN ST")]
    [InlineData("  1200 blk   n. main-street, apt 4 ")]
    [InlineData("0099 West Avenue")]
    [InlineData("12A Main St")]
    [InlineData("1200 BLOCK OF")]
    [InlineData("Main Street")]
    [InlineData("99999999999999999999 Main St")]
    [InlineData("1200 Calle Peñuelas")]
    [InlineData("1200 BLOCK")]
    public void Given_an_address_When_block_keyed_without_allocating_Then_it_hashes_as_the_block_key_string(string text)
    {
        var location = new EventLocation { StreetAddress = text };

        var expected = EpisodeLinker.BlockKey(location);
        var found = EpisodeLinker.TryBlockKeyHash(location, out var key);

        Assert.Equal(expected is not null, found);
        if (expected is not null)
        {
            Assert.Equal(EpisodeLinker.Hash(expected), key);
        }
    }
}
