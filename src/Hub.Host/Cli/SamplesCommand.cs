using System.CommandLine;
using Hub.SampleData.Feeds;

namespace Hub.Host.Cli;

/// <summary>
/// <c>hub samples generate --out DIR --seed N --ems N --ed N --cad N --overdose-rate R</c>: deterministic synthetic
/// NEMSIS XML, FHIR NDJSON and Bundles, and CAD CSV in which the same synthetic people appear across sources,
/// with a truth file for linkage tests. Everything it writes is synthetic.
/// </summary>
internal static class SamplesCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed writes byte-identical files.", DefaultValueFactory = _ => 1 };
        var ems = new Option<int>("--ems") { Description = "EMS PCRs.", DefaultValueFactory = _ => 50 };
        var ed = new Option<int>("--ed") { Description = "ED encounters.", DefaultValueFactory = _ => 30 };
        var cad = new Option<int>("--cad") { Description = "Police CAD calls.", DefaultValueFactory = _ => 40 };
        var rate = new Option<double>("--overdose-rate") { Description = "Share of records that are overdoses (0..1).", DefaultValueFactory = _ => 0.3 };
        var generate = new Command("generate", "Write deterministic synthetic feeds.") { output, seed, ems, ed, cad, rate };
        generate.SetAction(async (parse, ct) =>
        {
            try
            {
                var generator = new SyntheticFeedGenerator(new SyntheticFeedOptions
                {
                    Seed = parse.GetValue(seed),
                    EmsCount = parse.GetValue(ems),
                    EdCount = parse.GetValue(ed),
                    CadCount = parse.GetValue(cad),
                    OverdoseRate = parse.GetValue(rate),
                });
                var summary = generator.Generate(parse.GetValue(output)!.FullName);
                await Console.Out.WriteLineAsync(
                    $"Wrote {summary.Files.Count} file(s) to {parse.GetValue(output)!.FullName} (seed {summary.Seed}): " +
                    $"EMS {summary.EmsRecords} PCRs ({summary.EmsOverdoses} overdoses), " +
                    $"ED {summary.EdEncounters} encounters ({summary.EdOverdoses} overdoses, {summary.EdLinkedToEms} after an EMS run), " +
                    $"CAD {summary.CadCalls} calls ({summary.CadOverdoses} overdoses, {summary.CadLinkedToEms} with an EMS run).").ConfigureAwait(false);
                return 0;
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return 1;
            }
        });
        var samples = new Command("samples", "Synthetic data for demos, tests and benchmarks.");
        samples.Subcommands.Add(generate);
        return samples;
    }
}
