using System.CommandLine;
using System.Text.Json;
using Hub.Adapters.Cad;
using Hub.Adapters.Feeds;
using Hub.Contracts.Serialization;
using Hub.Host.Feeds;

namespace Hub.Host.Cli;

/// <summary>
/// <c>hub feeds check FILE --feed ID [--json]</c>: for a CAD export, how each mapped column parsed (values parsed,
/// empty, failed and the top reasons with the first line), which headers are unmapped, and which call types
/// matched — so an agency can fix its profile in minutes. Reasons show value shapes, never values.
/// </summary>
internal static class FeedCheckCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The export to check." };
        var feed = new Option<string>("--feed") { Description = "The configured feed id.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var command = new Command("check", "Check a CAD export against its feed profile, column by column.") { file, feed, json };
        command.SetAction(async (parse, ct) =>
        {
            var app = HubApplication.Build(new HubRunSettings(HubCommandLine.ConfigFile(parse), Watch: false, Dispatch: false, Web: false, LocalKeys: false));
            var options = app.Services.GetRequiredService<FeedCatalog>().Get(parse.GetValue(feed)!);
            if (options.Kind != FeedKind.Cad)
            {
                await Console.Error.WriteLineAsync($"Feed '{options.Id}' is a {options.Kind} feed; `feeds check` reads CAD exports (use `hub ingest --dry-run` for the others).").ConfigureAwait(false);
                return 1;
            }

            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"{path.FullName}: not found").ConfigureAwait(false);
                return 1;
            }

            await using var stream = path.OpenRead();
            var result = await CadFeedCheck.RunAsync(options, stream, path.Name, ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, HubJson.Indented)).ConfigureAwait(false);
                return 0;
            }

            await PrintAsync(result).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static async Task PrintAsync(CadFeedCheckResult r)
    {
        var o = Console.Out;
        await o.WriteLineAsync($"Profile {r.Profile}, time zone {r.TimeZone}, encoding {r.Encoding}").ConfigureAwait(false);
        await o.WriteLineAsync($"{r.Records} records: {r.Overdose} overdose, {r.NotOverdose} not overdose, {r.Rejected} rejected; {r.DuplicateIncidentIds} duplicate incident id(s)").ConfigureAwait(false);
        await o.WriteLineAsync().ConfigureAwait(false);
        await o.WriteLineAsync($"{"field",-18} {"column",-24} {"parsed",9} {"empty",9} {"failed",9}").ConfigureAwait(false);
        foreach (var c in r.Columns)
        {
            await o.WriteLineAsync($"{c.Field,-18} {c.Column ?? "(not found)",-24} {c.Parsed,9} {c.Empty,9} {c.Failed,9}{(c.Required ? "  required" : "")}{(c.Problem is null ? "" : "  " + c.Problem)}").ConfigureAwait(false);
            foreach (var f in c.TopFailures)
            {
                await o.WriteLineAsync($"{"",20}{f.Count} × {f.Reason} (first at line {f.FirstLine})").ConfigureAwait(false);
            }
        }

        if (r.UnmappedHeaders.Count > 0)
        {
            await o.WriteLineAsync().ConfigureAwait(false);
            await o.WriteLineAsync("Unmapped columns: " + string.Join(", ", r.UnmappedHeaders)).ConfigureAwait(false);
        }

        if (r.RejectReasons.Count > 0)
        {
            await o.WriteLineAsync().ConfigureAwait(false);
            await o.WriteLineAsync("Reject reasons:").ConfigureAwait(false);
            foreach (var reason in r.RejectReasons)
            {
                await o.WriteLineAsync($"  {reason.Count} × {reason.Reason} (first at line {reason.FirstLine})").ConfigureAwait(false);
            }
        }

        await o.WriteLineAsync().ConfigureAwait(false);
        await o.WriteLineAsync("Overdose call types matched: " + (r.OverdoseCallTypes.Count == 0 ? "none" : string.Join(", ", r.OverdoseCallTypes.Select(t => $"{t.Reason} ({t.Count})")))).ConfigureAwait(false);
    }
}
