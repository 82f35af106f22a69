using System.CommandLine;
using System.Text.Json;
using Hub.Audit.Ledger;
using Hub.Audit.Storage;
using Hub.Contracts.Messages;
using Hub.Contracts.Serialization;
using Hub.Host.Delivery;
using Hub.Host.Feeds;
using Hub.Host.Pipeline;

namespace Hub.Host.Cli;

/// <summary>
/// <c>hub demo</c>: the embedded default end to end. Copies samples/demo/input into fresh inbox folders under
/// ./data/demo, runs the whole hub (in-memory bus, SQLite) until every file was ingested and every notification
/// delivered to its recipient's queue, prints what happened, and exits 0. All data in samples/ is synthetic.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var samples = new Option<DirectoryInfo?>("--samples") { Description = "The demo folder (hub.json + input/<feed>/); default: samples/demo of the repository around the working folder." };
        var command = new Command("demo", "Run the synthetic demo through the whole pipeline and print what was delivered.") { samples };
        command.SetAction((parse, ct) => ExecuteAsync(parse.GetValue(samples) ?? FindDemoFolder(), ct));
        return command;
    }

    /// <summary>
    /// samples/demo of the repository: looked for from the working folder upwards, because `dotnet run --project`
    /// may start the hub in the project's folder rather than where the command was typed.
    /// </summary>
    private static DirectoryInfo FindDemoFolder()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "demo");
            if (File.Exists(Path.Combine(candidate, "hub.json")))
            {
                return new DirectoryInfo(candidate);
            }
        }

        return new DirectoryInfo(Path.Combine("samples", "demo"));
    }

    private static async Task<int> ExecuteAsync(DirectoryInfo samples, CancellationToken cancellationToken)
    {
        var config = Path.Combine(samples.FullName, "hub.json");
        if (!File.Exists(config))
        {
            await Console.Error.WriteLineAsync($"Demo configuration not found: {config} (run from the repository, or pass --samples).").ConfigureAwait(false);
            return 1;
        }

        // The demo configuration's relative paths (inboxes under data/, the CAD profile under samples/) are relative to
        // the repository root, two folders above samples/demo.
        Directory.SetCurrentDirectory(samples.Parent?.Parent?.FullName ?? Directory.GetCurrentDirectory());

        var work = Path.GetFullPath(Path.Combine("data", "demo"));
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        Directory.CreateDirectory(work);
        var app = HubApplication.Build(new HubRunSettings(
            config,
            Web: false,
            Overrides: new Dictionary<string, string?>
            {
                ["Hub:Bus:Transport"] = "in-memory",
                ["Hub:Database:Provider"] = "sqlite",
                ["Hub:Database:ConnectionString"] = $"Data Source={Path.Combine(work, "hub.db")}",
                ["Hub:Watcher:StableFor"] = "00:00:00.300",
                ["Hub:Watcher:PollInterval"] = "00:00:00.200",
                ["Logging:LogLevel:Default"] = "Warning",
            })).Validated();

        var catalog = app.Services.GetRequiredService<FeedCatalog>();
        var inputs = 0;
        foreach (var feed in catalog.All.Where(f => f.Inbox is not null))
        {
            var source = Path.Combine(samples.FullName, "input", feed.Id);
            if (!Directory.Exists(source))
            {
                continue;
            }

            Directory.CreateDirectory(feed.Inbox!);
            foreach (var file in Directory.EnumerateFiles(source))
            {
                File.Copy(file, Path.Combine(feed.Inbox!, Path.GetFileName(file)), overwrite: true);
                inputs++;
            }
        }

        await Console.Out.WriteLineAsync($"Overdose Data Hub demo: {inputs} synthetic input file(s) in {catalog.All.Count} feed inbox(es); in-memory bus, SQLite at {Path.GetRelativePath(Directory.GetCurrentDirectory(), work)}/hub.db").ConfigureAwait(false);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (catalog.All.Any(f => f.Inbox is not null && Directory.EnumerateFiles(f.Inbox).Any()) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }

            var settled = await app.Services.GetRequiredService<PipelineWaiter>().WaitAsync(TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
            await PrintAsync(app.Services, catalog, cancellationToken).ConfigureAwait(false);
            return settled ? 0 : 1;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task PrintAsync(IServiceProvider services, FeedCatalog catalog, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IIntakeStore>();
        var progress = services.GetRequiredService<PipelineProgress>();
        var output = Console.Out;
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("Ingested").ConfigureAwait(false);
        foreach (var feed in catalog.All.OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            var inputs = await store.ListSummariesAsync(feed.Id, 10_000, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(
                $"  {feed.Id,-14} {feed.Kind.ToString().ToLowerInvariant(),-7} {inputs.Count,3} file(s): overdose {inputs.Sum(s => s.Overdose),4}   not overdose {inputs.Sum(s => s.NotOverdose),4}   rejected {inputs.Sum(s => s.Rejected),3}").ConfigureAwait(false);
            foreach (var r in await store.ListRejectsAsync(feed.Id, 5, cancellationToken).ConfigureAwait(false))
            {
                await output.WriteLineAsync($"      reject: {r.Reason} at {r.Location}").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync($"Detected and routed: {progress.Processed} overdose event(s) ({progress.Failed} failed)").ConfigureAwait(false);

        var decisions = new Dictionary<string, (int Permitted, int Denied, int Delivered)>(StringComparer.Ordinal);
        var episodes = new HashSet<string>(StringComparer.Ordinal);
        var entries = 0;
        await foreach (var entry in services.GetRequiredService<ILedger>().ReadAsync(1, cancellationToken).ConfigureAwait(false))
        {
            entries++;
            var c = entry.Content;
            if (c.Action == LedgerActions.Linked && c.CorrelationId is { } episode)
            {
                episodes.Add(episode);
            }

            if (c.RecipientId is not { } recipient)
            {
                continue;
            }

            var (permitted, denied, delivered) = decisions.GetValueOrDefault(recipient);
            decisions[recipient] = c.Action switch
            {
                LedgerActions.ConsentDecided when c.DetailsJson?.Contains("\"permitted\":true", StringComparison.Ordinal) == true => (permitted + 1, denied, delivered),
                LedgerActions.ConsentDecided => (permitted, denied + 1, delivered),
                LedgerActions.Delivered => (permitted, denied, delivered + 1),
                _ => (permitted, denied, delivered),
            };
        }

        await output.WriteLineAsync($"Linked into {episodes.Count} person-episode(s)").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("Consent decisions and deliveries, per recipient").ConfigureAwait(false);
        foreach (var (recipient, (permitted, denied, delivered)) in decisions.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"  {recipient,-18} permitted {permitted,3}   denied {denied,3}   delivered {delivered,3}").ConfigureAwait(false);
        }

        var queues = services.GetService<InMemoryRecipientQueue>()?.Snapshot() ?? new Dictionary<string, IReadOnlyList<Audit.Outbox.OutboxMessage>>();
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("Recipient queues").ConfigureAwait(false);
        foreach (var (queue, messages) in queues.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            var notifications = messages.Select(m => JsonSerializer.Deserialize<OverdoseNotification>(m.PayloadJson, HubJson.Options)!).ToList();
            var updates = notifications.Count(n => n.EpisodeVersion > 1);
            await output.WriteLineAsync($"  {queue}: {notifications.Count} notification(s) about {notifications.Select(n => n.EpisodeId).Distinct().Count()} episode(s), {updates} update(s) superseding an earlier one; profile {notifications.FirstOrDefault()?.Profile.Name ?? "-"}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"Ledger: {entries} hash-chained entries in {Path.Combine("data", "demo", "hub.db")}").ConfigureAwait(false);

        // Show an episode update if there is one: it carries what several sources said about one person.
        var all = queues.Values.SelectMany(m => m).ToList();
        var sample = all.FirstOrDefault(m => m.PayloadJson.Contains("\"episodeVersion\":2", StringComparison.Ordinal)) ?? all.FirstOrDefault();
        if (sample is not null)
        {
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync($"One delivered notification (synthetic), as recipient '{sample.RecipientId}' received it:").ConfigureAwait(false);
            var pretty = JsonSerializer.Serialize(JsonSerializer.Deserialize<JsonElement>(sample.PayloadJson), HubJson.Indented);
            await output.WriteLineAsync(pretty).ConfigureAwait(false);
        }
    }
}
