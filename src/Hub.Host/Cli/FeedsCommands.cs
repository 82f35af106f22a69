using System.CommandLine;
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
            foreach (var feed in catalog.All.OrderBy(f => f.Id, StringComparer.Ordinal))
            {
                await Console.Out.WriteLineAsync($"{feed.Id}  kind={feed.Kind.ToString().ToLowerInvariant()}  agency={feed.AgencyId}  inbox={feed.Inbox ?? "(http only)"}  tz={feed.TimeZone}").ConfigureAwait(false);
                foreach (var s in await store.ListSummariesAsync(feed.Id, 5, ct).ConfigureAwait(false))
                {
                    await Console.Out.WriteLineAsync($"    {s.CompletedAtUtc:u}  {s.SourceName}  overdose={s.Overdose} not-overdose={s.NotOverdose} rejected={s.Rejected}").ConfigureAwait(false);
                }
            }

            return 0;
        });
        feeds.Subcommands.Add(list);
        feeds.Subcommands.Add(FeedCheckCommand.Create());
        return feeds;
    }
}
