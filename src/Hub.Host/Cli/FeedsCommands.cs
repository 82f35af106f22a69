using System.CommandLine;
using System.Globalization;
using Hub.Audit.Outbox;
using Hub.Audit.Storage;
using Hub.Host.Feeds;

namespace Hub.Host.Cli;

/// <summary><c>hub feeds list</c> and <c>hub feeds check FILE --feed ID</c>.</summary>
internal static class FeedsCommands
{
    public static Command Create()
    {
        var feeds = new Command("feeds", "Configured feeds.");
        var list = new Command("list", "List feeds with their last inputs and counts.");
        list.SetAction(async (parse, ct) =>
        {
            var app = HubApplication.Build(new HubRunSettings(HubCommandLine.ConfigFile(parse), Watch: false, Dispatch: false, Web: false));
            var catalog = app.Services.GetRequiredService<FeedCatalog>();
            var store = app.Services.GetRequiredService<IIntakeStore>();
            var progressStore = app.Services.GetRequiredService<IIntakeProgressStore>();
            var stalledAfter = app.Services.GetRequiredService<IOptions<WatcherOptions>>().Value.StalledAfter;
            var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            foreach (var feed in catalog.All.OrderBy(f => f.Id, StringComparer.Ordinal))
            {
                await Console.Out.WriteLineAsync($"{feed.Id}  kind={feed.Kind.ToString().ToLowerInvariant()}  agency={feed.AgencyId}  inbox={feed.Inbox ?? "(http only)"}  tz={feed.TimeZone}").ConfigureAwait(false);

                // Inputs being read now (not finished): none finished after the end of time, so only running rows come back.
                IReadOnlyList<IntakeProgress> running;
                try
                {
                    running = await progressStore.ListAsync(feed.Id, DateTimeOffset.MaxValue, 20, ct).ConfigureAwait(false);
                }
                catch (System.Data.Common.DbException ex)
                {
                    // Progress is advisory: a database without the table or the grant still lists the feeds.
                    running = [];
                    await Console.Out.WriteLineAsync($"    (inputs in progress unavailable: {ex.GetType().Name})").ConfigureAwait(false);
                }

                foreach (var p in running)
                {
                    await Console.Out.WriteLineAsync(FormatRunning(p, now, stalledAfter)).ConfigureAwait(false);
                }

                foreach (var s in await store.ListSummariesAsync(feed.Id, 5, ct).ConfigureAwait(false))
                {
                    await Console.Out.WriteLineAsync($"    {s.CompletedAtUtc:u}  {s.SourceName}  overdose={s.Overdose} not-overdose={s.NotOverdose} rejected={s.Rejected}").ConfigureAwait(false);
                }
            }

            var parked = await app.Services.GetRequiredService<IParkedEventStore>().CountAsync(ct).ConfigureAwait(false);
            if (parked > 0)
            {
                await Console.Out.WriteLineAsync($"Parked events: {parked} detected event(s) wait for the bus; the running hub publishes them again.").ConfigureAwait(false);
            }

            return 0;
        });
        feeds.Subcommands.Add(list);
        feeds.Subcommands.Add(FeedCheckCommand.Create());
        return feeds;
    }

    /// <summary>One line for an input being read: file, records, percent of bytes, rate, start, last update, and "stalled" when old.</summary>
    internal static string FormatRunning(IntakeProgress progress, DateTimeOffset now, TimeSpan stalledAfter)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var percent = progress.PercentDone is { } pct
            ? string.Create(CultureInfo.InvariantCulture, $"{pct:F1}% of {progress.BytesTotal} bytes")
            : "size unknown";
        var age = now - progress.UpdatedAtUtc;
        var state = progress.IsStalled(now, stalledAfter)
            ? string.Create(CultureInfo.InvariantCulture, $"STALLED (no progress for {age.TotalSeconds:F0} s; read again from the start when next found)")
            : "reading";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"    {state}  {progress.SourceName}  records={progress.RecordsDone}  {percent}  {progress.RecordsPerSecond:F0} records/s  started {progress.StartedAtUtc:u}  updated {progress.UpdatedAtUtc:u}  on {progress.Instance}");
    }
}
