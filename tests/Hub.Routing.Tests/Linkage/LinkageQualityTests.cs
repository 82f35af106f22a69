using Hub.Routing.Linkage;
using Xunit.Abstractions;

namespace Hub.Routing.Tests.Linkage;

public sealed class LinkageQualityTests(ITestOutputHelper output)
{
    /// <summary>Pairwise precision and recall of the linker's episodes against the generator's truth.</summary>
    internal static (double Precision, double Recall, long TruePairs, long PredictedPairs, long Correct) Measure(IReadOnlyList<TruthEvent> events, LinkageOptions options, Action<string>? explain = null)
    {
        var linker = new EpisodeLinker(options);
        var assigned = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var mergedInto = new Dictionary<Guid, Guid>();
        foreach (var e in events)
        {
            var assignment = linker.Link(e.Event, e.Tokens);
            assigned[e.Event.EventId] = assignment.EpisodeId;
            foreach (var merged in assignment.MergedEpisodeIds)
            {
                mergedInto[merged] = assignment.EpisodeId;
            }
        }

        Guid Final(Guid id)
        {
            while (mergedInto.TryGetValue(id, out var next))
            {
                id = next;
            }

            return id;
        }

        var predicted = events.GroupBy(e => Final(assigned[e.Event.EventId])).Select(g => g.ToList()).ToList();
        var truth = events.GroupBy(e => e.TrueEpisode).ToList();
        static long Pairs(long n) => n * (n - 1) / 2;
        var truePairs = truth.Sum(g => Pairs(g.Count()));
        var predictedPairs = predicted.Sum(g => Pairs(g.Count));
        var correct = predicted.Sum(g => g.GroupBy(e => e.TrueEpisode).Sum(t => Pairs(t.Count())));
        if (explain is not null)
        {
            var predictedOf = events.ToDictionary(e => e.Event.EventId, e => Final(assigned[e.Event.EventId]), StringComparer.Ordinal);
            static string Kind(TruthEvent e) => $"{e.Event.SourceKind}({e.Noise},{e.Tokens.Count}t)";
            var missed = truth.SelectMany(g => Pairs2(g.ToList())).Where(p => predictedOf[p.A.Event.EventId] != predictedOf[p.B.Event.EventId])
                .GroupBy(p => $"{Kind(p.A)} ~ {Kind(p.B)}").OrderByDescending(g => g.Count());
            foreach (var g in missed)
            {
                explain($"missed {g.Count()}: {g.Key}");
            }

            var wrong = predicted.SelectMany(Pairs2).Where(p => p.A.TrueEpisode != p.B.TrueEpisode)
                .GroupBy(p => $"{Kind(p.A)} ~ {Kind(p.B)}").OrderByDescending(g => g.Count());
            foreach (var g in wrong)
            {
                explain($"wrong {g.Count()}: {g.Key}");
            }
        }
        return ((double)correct / predictedPairs, (double)correct / truePairs, truePairs, predictedPairs, correct);
    }

    private static IEnumerable<(TruthEvent A, TruthEvent B)> Pairs2(List<TruthEvent> group)
    {
        for (var i = 0; i < group.Count; i++)
        {
            for (var j = i + 1; j < group.Count; j++)
            {
                yield return (group[i], group[j]);
            }
        }
    }

    [Theory]
    [InlineData(20260301)]
    [InlineData(7)]
    public void Given_generated_episodes_with_noise_When_linked_Then_pairwise_precision_and_recall_meet_the_floors(int seed)
    {
        var events = new LinkageTruthGenerator(seed).Generate(episodeCount: 4000, days: 60);

        var (precision, recall, truePairs, predictedPairs, correct) = Measure(events, new LinkageOptions(), output.WriteLine);

        output.WriteLine($"seed {seed}: {events.Count} events, {events.Count(e => e.Noise != "none")} noisy; true pairs {truePairs}, predicted {predictedPairs}, correct {correct}; precision {precision:F4}, recall {recall:F4}");
        Assert.True(precision >= 0.98, $"precision {precision:F4} < 0.98");
        Assert.True(recall >= 0.95, $"recall {recall:F4} < 0.95");
    }

    [Theory]
    [InlineData(20260301)]
    [InlineData(7)]
    public void Given_the_tokenizer_without_its_two_newest_rules_When_linked_Then_recall_falls_below_the_floor(int seed)
    {
        var all = Measure(new LinkageTruthGenerator(seed).Generate(episodeCount: 4000, days: 60), new LinkageOptions());
        var events = new LinkageTruthGenerator(seed) { WithoutRules = LinkageTruthGenerator.AddedRules }.Generate(episodeCount: 4000, days: 60);

        var (precision, recall, truePairs, predictedPairs, correct) = Measure(events, new LinkageOptions(), output.WriteLine);

        // Without the sorted-names and ZIP3 rules, swapped names and a missing DOB leave only the phone token: this
        // shows what the two rules are for (docs/routing.md).
        output.WriteLine($"seed {seed} (six rules): true pairs {truePairs}, predicted {predictedPairs}, correct {correct}; precision {precision:F4}, recall {recall:F4}");
        Assert.True(precision >= 0.98, $"precision {precision:F4} < 0.98");
        Assert.True(recall < 0.95, $"recall {recall:F4} without the two rules");
        Assert.True(all.Recall - recall > 0.03, $"recall {all.Recall:F4} with all rules, {recall:F4} without the two");
    }

    [Fact]
    public void Given_no_tokens_at_all_When_linked_Then_recall_collapses_so_the_measurement_can_fail()
    {
        var events = new LinkageTruthGenerator(11).Generate(episodeCount: 1000, days: 30)
            .Select(e => e with { Tokens = [] }).ToList();

        var (_, recall, _, _, _) = Measure(events, new LinkageOptions());

        Assert.True(recall < 0.5, $"recall {recall:F4}");
    }
}
