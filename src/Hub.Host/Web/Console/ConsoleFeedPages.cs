using Hub.Audit.Ledger;
using Hub.Audit.Storage;
using Hub.Host.Feeds;

namespace Hub.Host.Web.Console;

/// <summary>The feed teams' pages: each feed's recent inputs and rejects (no patient identifiers are ever stored there).</summary>
internal static class ConsoleFeedPages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/console/feeds", FeedsAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.FeedsPolicy);
    }

    private static async Task<IResult> FeedsAsync(HttpContext ctx, FeedCatalog catalog, IIntakeStore intake, ILedger ledger)
    {
        await ConsoleEndpoints.ViewedAsync(ctx, ledger, "feeds").ConfigureAwait(false);
        var body = new Html();
        var feeds = catalog.All.OrderBy(f => f.Id, StringComparer.Ordinal).ToList();
        if (feeds.Count == 0)
        {
            body.El("p", "No feeds are configured.");
        }

        foreach (var feed in feeds)
        {
            var summaries = await intake.ListSummariesAsync(feed.Id, 10, ctx.RequestAborted).ConfigureAwait(false);
            var rejects = await intake.ListRejectsAsync(feed.Id, 25, ctx.RequestAborted).ConfigureAwait(false);
            body.Raw("<section class=\"episode\" aria-labelledby=\"feed-").Text(feed.Id).Raw("\"><h2 id=\"feed-").Text(feed.Id).Raw("\">").Text(feed.Id).Raw("</h2>")
                .Raw("<p>").Text($"Kind {feed.Kind.ToString().ToLowerInvariant()}, agency {feed.AgencyId}, time zone {feed.TimeZone}.").Raw("</p>")
                .El("h3", "Last inputs");
            if (summaries.Count == 0)
            {
                body.El("p", "Nothing ingested yet.");
            }
            else
            {
                body.Raw("<table class=\"stack\"><thead><tr><th scope=\"col\">Completed</th><th scope=\"col\">Input</th><th scope=\"col\">Overdose</th>")
                    .Raw("<th scope=\"col\">Not overdose</th><th scope=\"col\">Rejected</th></tr></thead><tbody>");
                foreach (var s in summaries)
                {
                    body.Raw("<tr><td data-label=\"Completed\">").Time(s.CompletedAtUtc).Raw("</td><td data-label=\"Input\">").Text(s.SourceName)
                        .Raw("</td><td data-label=\"Overdose\">").Text(s.Overdose).Raw("</td><td data-label=\"Not overdose\">").Text(s.NotOverdose)
                        .Raw("</td><td data-label=\"Rejected\">").Text(s.Rejected).Raw("</td></tr>");
                }

                body.Raw("</tbody></table>");
            }

            body.El("h3", "Recent rejects");
            if (rejects.Count == 0)
            {
                body.El("p", "No rejects.");
            }
            else
            {
                body.Raw("<table class=\"stack\"><thead><tr><th scope=\"col\">Recorded</th><th scope=\"col\">Reason</th><th scope=\"col\">Location</th></tr></thead><tbody>");
                foreach (var r in rejects)
                {
                    body.Raw("<tr><td data-label=\"Recorded\">").Time(r.RecordedAtUtc).Raw("</td><td data-label=\"Reason\">").Text(r.Reason)
                        .Raw("</td><td data-label=\"Location\">").Text(r.Location).Raw("</td></tr>");
                }

                body.Raw("</tbody></table>");
            }

            body.Raw("</section>");
        }

        return Html.Page(ctx, "Feeds", body);
    }
}
