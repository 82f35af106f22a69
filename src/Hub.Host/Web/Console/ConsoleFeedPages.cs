using System.Globalization;
using System.Security.Cryptography;
using Hub.Adapters.Feeds;
using Hub.Audit.Ledger;
using Hub.Audit.Storage;
using Hub.Host.Feeds;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Hub.Host.Web.Console;

/// <summary>
/// The feed teams' pages: each feed's state at a glance (last input, the last 24 hours by outcome, rejects with reason
/// and location; no patient identifiers are ever stored there), and a dry run of an uploaded file that stores and sends nothing.
/// </summary>
internal static class ConsoleFeedPages
{
    /// <summary>Inputs read to add up the last 24 hours; a feed with more in a day shows "at least".</summary>
    internal const int DayWindowInputs = 1000;

    /// <summary>Rejects and warnings listed on a dry-run result; the counts are always complete.</summary>
    internal const int DryRunListed = 500;

    public static void Map(WebApplication app)
    {
        app.MapGet("/console/feeds", FeedsAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.FeedsPolicy);
        app.MapGet("/console/feeds/dry-run", DryRunFormAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.FeedsPolicy);
        app.MapPost("/console/feeds/dry-run", DryRunAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.FeedsPolicy);
    }

    private static async Task<IResult> FeedsAsync(HttpContext ctx, FeedCatalog catalog, IIntakeStore intake, ILedger ledger, TimeProvider clock, IOptions<WatcherOptions> watcher)
    {
        var progress = ctx.RequestServices.GetService<IIntakeProgressStore>();
        await ConsoleEndpoints.ViewedAsync(ctx, ledger, "feeds").ConfigureAwait(false);
        var body = new Html();
        var feeds = catalog.All.OrderBy(f => f.Id, StringComparer.Ordinal).ToList();
        body.Raw("<p>").Link("/console/feeds/dry-run", "Test a file (dry run)").Raw("</p>");
        if (feeds.Count == 0)
        {
            body.El("p", "No feeds are configured.");
        }

        var dayAgo = clock.GetUtcNow().AddHours(-24);
        foreach (var feed in feeds)
        {
            var summaries = await intake.ListSummariesAsync(feed.Id, DayWindowInputs, ctx.RequestAborted).ConfigureAwait(false);
            var rejects = await intake.ListRejectsAsync(feed.Id, 25, ctx.RequestAborted).ConfigureAwait(false);
            var warnings = await intake.ListWarningsAsync(feed.Id, 25, ctx.RequestAborted).ConfigureAwait(false);
            var day = summaries.Where(s => s.CompletedAtUtc >= dayAgo).ToList();
            var atLeast = summaries.Count == DayWindowInputs && day.Count == summaries.Count ? "at least " : "";
            var last = summaries.Count > 0 ? summaries[0] : null;

            body.Raw("<section class=\"episode\" data-feed=\"").Text(feed.Id).Raw("\" aria-labelledby=\"feed-").Text(feed.Id).Raw("\"><h2 id=\"feed-").Text(feed.Id).Raw("\">").Text(feed.Id).Raw("</h2>")
                .Raw("<p>").Text($"Kind {feed.Kind.ToString().ToLowerInvariant()}, agency {feed.AgencyId}, time zone {feed.TimeZone}.").Raw("</p>")
                .Raw("<dl><dt>Last input</dt><dd class=\"last-input\">");
            if (last is null)
            {
                body.Text("none yet");
            }
            else
            {
                body.Text(last.SourceName == "http" ? "HTTP POST" : "file " + last.SourceName).Raw(", ").Time(last.CompletedAtUtc);
            }

            body.Raw("</dd><dt>Last 24 hours</dt><dd class=\"day-counts\">")
                .Text(string.Create(CultureInfo.InvariantCulture,
                    $"{atLeast}{day.Count} inputs: {day.Sum(s => s.Overdose)} overdose, {day.Sum(s => s.NotOverdose)} not overdose, {day.Sum(s => s.Rejected)} rejected"))
                .Raw("</dd><dt>Warnings (XSD and other non-fatal problems), last 24 hours</dt><dd class=\"day-warnings\">")
                .Text(string.Create(CultureInfo.InvariantCulture, $"{atLeast}{day.Sum(s => s.Warnings)}"))
                .Raw("</dd></dl><p>")
                .Link("/console/feeds/dry-run?feed=" + Uri.EscapeDataString(feed.Id), "Dry run for " + feed.Id).Raw(" · ")
                .Link("/console/feeds/" + Uri.EscapeDataString(feed.Id) + "/keys", "API keys of " + feed.Id).Raw("</p>")
                .El("h3", "Inputs being read");
            await ProgressAsync(body, progress, feed.Id, clock.GetUtcNow(), watcher.Value.StalledAfter, ctx.RequestAborted).ConfigureAwait(false);
            body.El("h3", "Last inputs");
            if (summaries.Count == 0)
            {
                body.El("p", "Nothing ingested yet.");
            }
            else
            {
                body.Raw("<table class=\"stack\"><thead><tr><th scope=\"col\">Completed</th><th scope=\"col\">Input</th><th scope=\"col\">Overdose</th>")
                    .Raw("<th scope=\"col\">Not overdose</th><th scope=\"col\">Rejected</th><th scope=\"col\">Warnings</th></tr></thead><tbody>");
                foreach (var s in summaries.Take(10))
                {
                    body.Raw("<tr><td data-label=\"Completed\">").Time(s.CompletedAtUtc).Raw("</td><td data-label=\"Input\">").Text(s.SourceName)
                        .Raw("</td><td data-label=\"Overdose\">").Text(s.Overdose).Raw("</td><td data-label=\"Not overdose\">").Text(s.NotOverdose)
                        .Raw("</td><td data-label=\"Rejected\">").Text(s.Rejected).Raw("</td><td data-label=\"Warnings\">").Text(s.Warnings).Raw("</td></tr>");
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
                body.Raw("<table class=\"stack\"><thead><tr><th scope=\"col\">Recorded</th><th scope=\"col\">Input</th><th scope=\"col\">Reason</th><th scope=\"col\">Location</th></tr></thead><tbody>");
                foreach (var r in rejects)
                {
                    body.Raw("<tr><td data-label=\"Recorded\">").Time(r.RecordedAtUtc).Raw("</td><td data-label=\"Input\">").Text(r.SourceName)
                        .Raw("</td><td data-label=\"Reason\">").Text(r.Reason).Raw("</td><td data-label=\"Location\">").Text(r.Location).Raw("</td></tr>");
                }

                body.Raw("</tbody></table>");
            }

            body.El("h3", "Recent warnings");
            if (warnings.Count == 0)
            {
                body.El("p", "No warnings.");
            }
            else
            {
                body.Raw("<table class=\"stack warnings\"><thead><tr><th scope=\"col\">Recorded</th><th scope=\"col\">Input</th><th scope=\"col\">Warning</th></tr></thead><tbody>");
                foreach (var w in warnings)
                {
                    body.Raw("<tr><td data-label=\"Recorded\">").Time(w.RecordedAtUtc).Raw("</td><td data-label=\"Input\">").Text(w.SourceName)
                        .Raw("</td><td data-label=\"Warning\">").Text(w.Message).Raw("</td></tr>");
                }

                body.Raw("</tbody></table>");
            }

            body.Raw("</section>");
        }

        return Html.Page(ctx, "Feeds", body);
    }

    /// <summary>Inputs running now or finished in the last 24 hours, with records per second (from <see cref="IIntakeProgressStore"/>).</summary>
    private static async Task ProgressAsync(Html body, IIntakeProgressStore? store, string feedId, DateTimeOffset now, TimeSpan stalledAfter, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            body.El("p", "Progress is not recorded by this hub.");
            return;
        }

        var rows = await store.ListAsync(feedId, now.AddHours(-24), 10, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            body.El("p", "No input is being read, and none finished in the last 24 hours.");
            return;
        }

        body.Raw("<table class=\"stack progress\"><thead><tr><th scope=\"col\">Input</th><th scope=\"col\">State</th><th scope=\"col\">Started</th>")
            .Raw("<th scope=\"col\">Done</th><th scope=\"col\">Records</th><th scope=\"col\">Records per second</th><th scope=\"col\">Instance</th></tr></thead><tbody>");
        foreach (var p in rows)
        {
            var state = p.FinishedAtUtc is not null ? "finished" : p.IsStalled(now, stalledAfter) ? "stalled" : "running";
            body.Raw("<tr data-input=\"").Text(p.SourceName).Raw("\"><td data-label=\"Input\">").Text(p.SourceName)
                .Raw("</td><td data-label=\"State\" class=\"").Raw(state == "stalled" ? "bad" : "ok").Raw("\">").Text(state)
                .Raw("</td><td data-label=\"Started\">").Time(p.StartedAtUtc)
                .Raw("</td><td data-label=\"Done\">").Text(p.PercentDone is { } pct ? pct.ToString("0.#", CultureInfo.InvariantCulture) + " %" : "size unknown")
                .Raw("</td><td data-label=\"Records\">").Text(p.RecordsDone)
                .Raw("</td><td data-label=\"Records per second\">").Text(p.RecordsPerSecond.ToString("0.#", CultureInfo.InvariantCulture))
                .Raw("</td><td data-label=\"Instance\">").Text(p.Instance).Raw("</td></tr>");
        }

        body.Raw("</tbody></table>");
    }

    // ---- dry run ------------------------------------------------------------------------------------------------

    private static async Task<IResult> DryRunFormAsync(HttpContext ctx, FeedCatalog catalog, ILedger ledger, IAntiforgery antiforgery, IOptions<ConsoleOptions> options)
    {
        await ConsoleEndpoints.ViewedAsync(ctx, ledger, "feeds/dry-run").ConfigureAwait(false);
        var body = new Html();
        DryRunForm(body, ctx, catalog, antiforgery, options.Value, ctx.Request.Query["feed"].ToString());
        return Html.Page(ctx, "Dry run", body);
    }

    private static void DryRunForm(Html body, HttpContext ctx, FeedCatalog catalog, IAntiforgery antiforgery, ConsoleOptions options, string? selected)
    {
        body.Raw("<p>").Text(string.Create(CultureInfo.InvariantCulture,
                $"Reads a file with the chosen feed's reader, exactly as `hub ingest --dry-run` does, and shows the counts and every reject with its location. Nothing is stored, ledgered as data or sent. Up to {options.DryRunMaxBytes / 1024} KiB."))
            .Raw("</p><form method=\"post\" action=\"/console/feeds/dry-run\" enctype=\"multipart/form-data\" aria-label=\"Dry run\">")
            .Antiforgery(antiforgery.GetAndStoreTokens(ctx))
            .Raw("<div class=\"field\"><label for=\"feed\">Feed</label><select id=\"feed\" name=\"feed\" required>");
        foreach (var feed in catalog.All.OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            body.Raw("<option value=\"").Text(feed.Id).Raw(feed.Id == selected ? "\" selected>" : "\">")
                .Text($"{feed.Id} ({feed.Kind.ToString().ToLowerInvariant()})").Raw("</option>");
        }

        body.Raw("</select></div>")
            .Input("file", "File", null, "file", "required")
            .Raw("<div class=\"field\"><button type=\"submit\">Run the dry run</button></div></form>");
    }

    private static async Task<IResult> DryRunAsync(
        HttpContext ctx, FeedCatalog catalog, ILedger ledger, IAntiforgery antiforgery, IOptions<ConsoleOptions> options, TimeProvider clock, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ConsoleFeedPages));
        var max = options.Value.DryRunMaxBytes;
        var allowance = max + (64 * 1024); // the form's other fields and multipart boundaries
        if (ctx.Request.ContentLength > allowance)
        {
            return TooLarge(ctx, catalog, antiforgery, options.Value, logger);
        }

        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = allowance;
        }

        // Keep the upload in memory: the framework would otherwise buffer a large file part to a temporary file.
        ctx.Features.Set<IFormFeature>(new FormFeature(ctx.Request, new FormOptions
        {
            MemoryBufferThreshold = (int)Math.Min(allowance, int.MaxValue),
            MultipartBodyLengthLimit = allowance,
        }));
        IFormCollection form;
        try
        {
            form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or InvalidDataException)
        {
            return TooLarge(ctx, catalog, antiforgery, options.Value, logger);
        }

        if (await ConsoleEndpoints.AntiforgeryFailsAsync(ctx, antiforgery, logger).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        await ConsoleEndpoints.ViewedAsync(ctx, ledger, "feeds/dry-run").ConfigureAwait(false);
        var feedId = form["feed"].ToString();
        var feed = catalog.All.FirstOrDefault(f => f.Id == feedId);
        var file = form.Files.GetFile("file");
        var body = new Html();
        if (feed is null || file is null || file.Length == 0)
        {
            body.Raw("<p class=\"error\" role=\"alert\">").Text(feed is null ? "Choose a configured feed." : "Choose a non-empty file.").Raw("</p>");
            DryRunForm(body, ctx, catalog, antiforgery, options.Value, feedId);
            return Html.Page(ctx, "Dry run", body, StatusCodes.Status400BadRequest);
        }

        if (file.Length > max)
        {
            return TooLarge(ctx, catalog, antiforgery, options.Value, logger);
        }

        var content = new MemoryStream((int)file.Length);
        await using (content.ConfigureAwait(false))
        {
            var upload = file.OpenReadStream();
            await using (upload.ConfigureAwait(false))
            {
                await upload.CopyToAsync(content, ctx.RequestAborted).ConfigureAwait(false);
            }

            var name = Path.GetFileName(file.FileName.Replace('\\', '/'));
            var sha = Convert.ToHexStringLower(SHA256.HashData(content.GetBuffer().AsSpan(0, (int)content.Length)));
            content.Position = 0;
            var result = await DryRun.ReadAsync(catalog.CreateReader(feed), content, new SourceDocument(name, sha, clock.GetUtcNow()), DryRunListed, ctx.RequestAborted)
                .ConfigureAwait(false);
            Log.DryRunCompleted(logger, feed.Id, result.Counts.Overdose, result.Counts.NotOverdose, result.Counts.Rejected);
            Render(body, feed.Id, name, result);
        }

        body.El("h2", "Another file");
        DryRunForm(body, ctx, catalog, antiforgery, options.Value, feed.Id);
        return Html.Page(ctx, "Dry run", body);
    }

    private static IResult TooLarge(HttpContext ctx, FeedCatalog catalog, IAntiforgery antiforgery, ConsoleOptions options, ILogger logger)
    {
        Log.DryRunTooLarge(logger, options.DryRunMaxBytes);
        var body = new Html();
        body.Raw("<p class=\"error\" role=\"alert\">").Text(string.Create(CultureInfo.InvariantCulture, $"The file is larger than {options.DryRunMaxBytes / 1024} KiB; nothing was read.")).Raw("</p>");
        DryRunForm(body, ctx, catalog, antiforgery, options, null);
        return Html.Page(ctx, "Dry run", body, StatusCodes.Status413PayloadTooLarge);
    }

    private static void Render(Html body, string feedId, string fileName, DryRunResult result)
    {
        var c = result.Counts;
        body.Raw("<section aria-labelledby=\"result-h\" id=\"dry-run-result\"><h2 id=\"result-h\">").Text($"Result for {fileName} on feed {feedId}").Raw("</h2>")
            .Raw("<p role=\"status\" id=\"dry-run-summary\">").Text(string.Create(CultureInfo.InvariantCulture,
                $"{c.Total} records: {c.Overdose} overdose, {c.NotOverdose} not overdose, {c.Rejected} rejected{(result.EndedEarly ? " (input ended early: not read to its end)" : "")}. Nothing was stored or sent."))
            .Raw("</p>");
        if (result.Rejects.Count > 0)
        {
            body.Raw("<table class=\"stack\" id=\"dry-run-rejects\" aria-label=\"Rejects\"><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Reason</th><th scope=\"col\">Location</th></tr></thead><tbody>");
            for (var i = 0; i < result.Rejects.Count; i++)
            {
                var r = result.Rejects[i];
                body.Raw("<tr><td data-label=\"#\">").Text(i + 1).Raw("</td><td data-label=\"Reason\">").Text(r.Reason).Raw("</td><td data-label=\"Location\">").Text(r.Location).Raw("</td></tr>");
            }

            body.Raw("</tbody></table>");
            if (c.Rejected > result.Rejects.Count)
            {
                body.El("p", string.Create(CultureInfo.InvariantCulture, $"The first {result.Rejects.Count} of {c.Rejected} rejects are listed."));
            }
        }

        if (result.Warnings.Count > 0)
        {
            body.El("h3", "Warnings (records kept)").Raw("<ul id=\"dry-run-warnings\">");
            foreach (var w in result.Warnings)
            {
                body.El("li", w);
            }

            body.Raw("</ul>");
        }

        body.Raw("</section>");
    }
}

/// <summary>What a dry run found: counts by outcome and the first rejects and warnings (no events: those carry PHI).</summary>
internal sealed record DryRunResult(IngestCounts Counts, IReadOnlyList<RecordReject> Rejects, IReadOnlyList<string> Warnings, bool EndedEarly);

/// <summary>
/// The console's dry run: the feed's own reader over the uploaded bytes, counted like <c>hub ingest --dry-run</c>
/// (<see cref="IngestRun.Add"/>), with no intake claim, no store, no ledger data entry and no bus message.
/// </summary>
internal static class DryRun
{
    public static async Task<DryRunResult> ReadAsync(IFeedReader reader, Stream content, SourceDocument source, int listed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var counts = new IngestCounts(0, 0, 0);
        var rejects = new List<RecordReject>();
        var warnings = new List<string>();
        var endedEarly = false;
        await foreach (var outcome in reader.ReadAsync(content, source, cancellationToken).ConfigureAwait(false))
        {
            counts = IngestRun.Add(counts, outcome.Kind);
            endedEarly |= outcome.EndsInput;
            if (outcome.Reject is { } reject && rejects.Count < listed)
            {
                rejects.Add(reject);
            }

            foreach (var warning in outcome.Warnings)
            {
                if (warnings.Count < listed)
                {
                    warnings.Add(warning);
                }
            }
        }

        return new DryRunResult(counts, rejects, warnings, endedEarly);
    }
}
