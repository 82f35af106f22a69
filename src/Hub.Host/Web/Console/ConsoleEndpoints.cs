using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Hub.Audit.Accounting;
using Hub.Audit.Console;
using Hub.Audit.Ledger;
using Hub.Audit.Storage;
using Hub.Contracts.Messages;
using Hub.Contracts.Serialization;
using Hub.Host.Delivery;
using Hub.Host.Feeds;
using Hub.Host.Jobs;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Hub.Host.Web.Console;

/// <summary>
/// The console's pages and JSON endpoints. Authorization is per endpoint (role policies); agency scoping is per object,
/// in the query (<see cref="ConsoleQueries"/> always filters by the signed-in user's agency), so another agency's
/// notification id answers 404 exactly like an id that does not exist.
/// </summary>
internal static class ConsoleEndpoints
{
    private const string Actor = "console";

    public static void Map(WebApplication app)
    {
        app.MapGet("/console/console.css", (HttpContext ctx) =>
        {
            ctx.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(Html.Css, "text/css; charset=utf-8");
        });
        app.MapGet("/console", (HttpContext ctx) => Results.Redirect(Home(ctx.User)));
        app.MapGet("/console/signin", SignInPage);
        app.MapPost("/console/signin", SignInAsync);
        app.MapPost("/console/signout", SignOutAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.AnyUserPolicy);
        app.MapGet("/console/denied", (HttpContext ctx) =>
            Html.Page(ctx, "Not allowed", new Html().El("p", "Your role does not give access to this page."), StatusCodes.Status403Forbidden));

        app.MapGet("/console/inbox", InboxAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.InboxPolicy);
        app.MapGet("/console/inbox/{id}", NotificationAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.InboxPolicy);
        app.MapPost("/console/inbox/{id}/acknowledge", AcknowledgeAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.InboxPolicy);
        app.MapPost("/console/inbox/{id}/outcome", ReportOutcomeAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.InboxPolicy);
        app.MapGet("/console/api/notifications/{id}/feedback", ApiFeedbackAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.InboxPolicy);
        app.MapGet("/console/api/notifications", ApiListAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.InboxPolicy);
        app.MapGet("/console/api/notifications/{id}", ApiGetAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.InboxPolicy);

        app.MapGet("/console/audit", AuditAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.AuditPolicy);
        app.MapPost("/console/audit/verify", VerifyAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.AuditPolicy);

        ConsoleMapPages.Map(app);
        ConsoleAccountingPages.Map(app);
    }

    private static string Home(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated != true ? "/console/signin"
        : user.IsInRole(ConsoleRoles.Recipient) ? "/console/inbox"
        : user.IsInRole(ConsoleRoles.PrivacyOfficer) ? "/console/audit"
        : "/console/feeds";

    // ---- sign-in ----------------------------------------------------------------------------------------------

    private static IResult SignInPage(HttpContext ctx, IAntiforgery antiforgery) => SignInForm(ctx, antiforgery, null, StatusCodes.Status200OK);

    private static IResult SignInForm(HttpContext ctx, IAntiforgery antiforgery, string? error, int status)
    {
        var body = new Html();
        if (error is not null)
        {
            body.Raw("<p class=\"error\" role=\"alert\" id=\"signin-error\">").Text(error).Raw("</p>");
        }

        body.Raw("<form method=\"post\" action=\"/console/signin\" aria-label=\"Sign in\">").Antiforgery(antiforgery.GetAndStoreTokens(ctx))
            .Input("name", "User name", null, "text", "autocomplete=\"username\" required")
            .Input("password", "Password", null, "password", "autocomplete=\"current-password\" required")
            .Raw("<button type=\"submit\">Sign in</button></form>");
        return Html.Page(ctx, "Sign in", body, status);
    }

    private static async Task<IResult> SignInAsync(
        HttpContext ctx, IAntiforgery antiforgery, ConsoleUserStore users, IPasswordHasher<ConsoleUser> hasher, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ConsoleEndpoints));
        if (await AntiforgeryFailsAsync(ctx, antiforgery, logger).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        var name = form["name"].ToString();
        var password = form["password"].ToString();
        var user = await ConsoleCredentials.VerifyAsync(users, hasher, name, password, ctx.RequestAborted).ConfigureAwait(false);
        var verified = user is not null
            && ConsoleRoles.All.Contains(user.Role)
            && (user.Role != ConsoleRoles.Recipient || !string.IsNullOrEmpty(user.AgencyId));
        if (!verified || user is null)
        {
            Log.SignInRefused(logger);
            return SignInForm(ctx, antiforgery, "The user name or password is not right.", StatusCodes.Status401Unauthorized);
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, user.Name), new(ClaimTypes.Role, user.Role) };
        if (user.Role == ConsoleRoles.Recipient && user.AgencyId is not null)
        {
            claims.Add(new Claim(ConsoleRoles.AgencyClaim, user.AgencyId));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ConsoleServiceCollectionExtensions.Scheme, ClaimTypes.Name, ClaimTypes.Role));
        await ctx.SignInAsync(ConsoleServiceCollectionExtensions.Scheme, principal).ConfigureAwait(false);
        Log.SignedIn(logger, user.Role);
        return Results.Redirect(Home(principal));
    }

    private static async Task<IResult> SignOutAsync(HttpContext ctx, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        if (await AntiforgeryFailsAsync(ctx, antiforgery, loggers.CreateLogger(typeof(ConsoleEndpoints))).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        await ctx.SignOutAsync(ConsoleServiceCollectionExtensions.Scheme).ConfigureAwait(false);
        return Results.Redirect("/console/signin");
    }

    internal static async Task<IResult?> AntiforgeryFailsAsync(HttpContext ctx, IAntiforgery antiforgery, ILogger logger)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(ctx).ConfigureAwait(false);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            Log.AntiforgeryRefused(logger);
            return Results.Text("The form expired or did not come from this console. Go back, reload the page and try again.", "text/plain", statusCode: StatusCodes.Status400BadRequest);
        }
    }

    // ---- ledger of page views ---------------------------------------------------------------------------------

    /// <summary>Records a page view: who, which page, which agency and object. Never a query value that could carry PHI.</summary>
    internal static async Task ViewedAsync(HttpContext ctx, ILedger ledger, string page, string? recipientId = null, string? objectId = null) =>
        await ledger.AppendAsync(
            [
                new LedgerEntryDraft
                {
                    Actor = ctx.User.Identity?.Name ?? Actor,
                    Action = LedgerActions.Viewed,
                    RecipientId = recipientId,
                    CorrelationId = objectId,
                    DetailsJson = JsonSerializer.Serialize(new Dictionary<string, string> { ["page"] = page }, HubJson.Options),
                },
            ],
            ctx.RequestAborted).ConfigureAwait(false);

    internal static string Agency(HttpContext ctx) =>
        ctx.User.FindFirstValue(ConsoleRoles.AgencyClaim) ?? throw new InvalidOperationException("The inbox policy requires the agency claim.");

    // ---- inbox --------------------------------------------------------------------------------------------------

    private static async Task<IResult> InboxAsync(HttpContext ctx, ConsoleQueries queries, ILedger ledger, IOptions<ConsoleOptions> options)
    {
        var agency = Agency(ctx);
        var rows = await queries.ListForRecipientAsync(agency, SpikeAlertWriter.MessageType, excludeType: true, options.Value.InboxSize, ctx.RequestAborted).ConfigureAwait(false);
        var spikes = await ConsoleMapPages.SpikesAsync(ctx, queries).ConfigureAwait(false);
        await ViewedAsync(ctx, ledger, "inbox", agency).ConfigureAwait(false);
        var episodes = NotificationView.Group(rows.Select(NotificationView.From));
        var body = new Html();
        var unacknowledged = rows.Count(r => !r.Acknowledged);
        body.Raw("<p>").Text($"{rows.Count} notifications for {agency} in {episodes.Count} episodes; {unacknowledged} not acknowledged. ")
            .Link("/console/map", "See them on the map").Raw("</p>");
        ConsoleMapPages.SpikeTable(body, spikes);
        body.El("h2", "Notifications");
        if (rows.Count == 0)
        {
            body.El("p", "No notifications yet.");
        }

        foreach (var episode in episodes)
        {
            var head = episode[0];
            body.Raw("<section class=\"episode\" aria-labelledby=\"ep-").Text(head.Row.MessageId.ToString()).Raw("\">")
                .Raw("<h3 id=\"ep-").Text(head.Row.MessageId.ToString()).Raw("\">Episode ").Text(head.EpisodeId?.ToString() ?? "(unknown)").Raw("</h3>")
                .Raw("<table class=\"stack\"><thead><tr><th scope=\"col\">Notification</th><th scope=\"col\">Version</th><th scope=\"col\">Disclosed</th>")
                .Raw("<th scope=\"col\">Profile</th><th scope=\"col\">Status</th></tr></thead><tbody>");
            for (var i = 0; i < episode.Count; i++)
            {
                var n = episode[i];
                var id = n.Row.MessageId.ToString();
                body.Raw("<tr data-notification=\"").Text(id).Raw("\"><td data-label=\"Notification\">").Link("/console/inbox/" + id, "Open " + id[..8]).Raw("</td>")
                    .Raw("<td data-label=\"Version\">").Text(n.EpisodeVersion).Raw("</td>")
                    .Raw("<td data-label=\"Disclosed\">").Time(n.Row.CreatedAtUtc).Raw("</td>")
                    .Raw("<td data-label=\"Profile\">").Text(n.Profile).Raw("</td><td data-label=\"Status\">");
                if (i > 0)
                {
                    body.Raw("<span class=\"badge superseded\">superseded</span> ");
                }

                body.Raw(n.Row.Acknowledged ? "<span class=\"badge ok\">acknowledged</span>" : "<span class=\"badge new\">not acknowledged</span>")
                    .Raw("</td></tr>");
            }

            body.Raw("</tbody></table></section>");
        }

        return Html.Page(ctx, "Inbox", body);
    }

    private static async Task<ConsoleNotification?> FindOwnAsync(HttpContext ctx, ConsoleQueries queries, string id, ILoggerFactory loggers)
    {
        if (!Guid.TryParse(id, CultureInfo.InvariantCulture, out var messageId))
        {
            return null;
        }

        var row = await queries.GetForRecipientAsync(Agency(ctx), messageId, ctx.RequestAborted).ConfigureAwait(false);
        if (row is null)
        {
            Log.NotificationNotFound(loggers.CreateLogger(typeof(ConsoleEndpoints)), messageId.ToString());
        }

        return row;
    }

    private static IResult NotFoundPage(HttpContext ctx) =>
        Html.Page(ctx, "Not found", new Html().El("p", "There is no such notification in your agency's inbox."), StatusCodes.Status404NotFound);

    private static async Task<IResult> NotificationAsync(
        HttpContext ctx, string id, ConsoleQueries queries, ILedger ledger, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        var row = await FindOwnAsync(ctx, queries, id, loggers).ConfigureAwait(false);
        if (row is null)
        {
            return NotFoundPage(ctx);
        }

        var feedback = await queries.FeedbackForRecipientAsync(row.RecipientId, row.MessageId, ctx.RequestAborted).ConfigureAwait(false);
        await ViewedAsync(ctx, ledger, "notification", row.RecipientId, row.MessageId.ToString()).ConfigureAwait(false);
        var view = NotificationView.From(row);
        var isSpike = row.MessageType == SpikeAlertWriter.MessageType;
        var body = new Html();
        body.Raw("<p>").Link("/console/inbox", "Back to the inbox").Raw("</p>");
        body.Raw("<dl><dt>Notification</dt><dd>").Text(row.MessageId.ToString()).Raw("</dd><dt>Episode</dt><dd>").Text(view.EpisodeId?.ToString())
            .Raw(" (version ").Text(view.EpisodeVersion).Raw(")</dd><dt>Disclosed</dt><dd>").Time(row.CreatedAtUtc)
            .Raw("</dd><dt>Status</dt><dd id=\"ack-status\">").Text(row.Acknowledged ? "acknowledged" : "not acknowledged").Raw("</dd></dl>");
        var tokens = antiforgery.GetAndStoreTokens(ctx);
        if (!row.Acknowledged)
        {
            body.Raw("<form method=\"post\" action=\"/console/inbox/").Text(row.MessageId.ToString()).Raw("/acknowledge\">")
                .Antiforgery(tokens).Raw("<button type=\"submit\">Acknowledge</button></form>");
        }

        if (!isSpike)
        {
            OutcomeSection(body, row, feedback, tokens);
        }

        body.El("h2", "What was disclosed");
        if (row.PayloadJson is null)
        {
            body.El("p", "The payload was purged under the retention policy; the ledger keeps its hash.");
        }
        else
        {
            body.Raw("<table class=\"stack\" aria-label=\"Disclosed fields\"><thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Value</th></tr></thead><tbody>");
            foreach (var (path, value) in NotificationView.Flatten(row.PayloadJson))
            {
                body.Raw("<tr><th scope=\"row\" data-label=\"Field\">").Text(path).Raw("</th><td data-label=\"Value\">").Text(value).Raw("</td></tr>");
            }

            body.Raw("</tbody></table>");
        }

        return Html.Page(ctx, "Notification", body);
    }

    /// <summary>Outreach outcome codes as the contract defines them, with the words an outreach worker reads.</summary>
    internal static readonly IReadOnlyList<(OutreachOutcome Code, string Label)> Outcomes =
    [
        (OutreachOutcome.Contacted, "Contacted: the person was reached"),
        (OutreachOutcome.KitLeft, "Kit left: naloxone left with the person or household"),
        (OutreachOutcome.ReferredToTreatment, "Referred to treatment or peer recovery"),
        (OutreachOutcome.Declined, "Declined services"),
        (OutreachOutcome.Unreachable, "Unreachable: the person could not be reached"),
    ];

    private static void OutcomeSection(Html body, ConsoleNotification row, IReadOnlyList<ConsoleFeedback> feedback, AntiforgeryTokenSet tokens)
    {
        body.Raw("<section aria-labelledby=\"outcome-h\"><h2 id=\"outcome-h\">Outreach</h2>");
        if (feedback.Count == 0)
        {
            body.Raw("<p id=\"feedback-none\">").Text("No acknowledgment or outcome reported yet.").Raw("</p>");
        }
        else
        {
            body.Raw("<table class=\"stack\" id=\"feedback\"><thead><tr><th scope=\"col\">Recorded</th><th scope=\"col\">What</th><th scope=\"col\">Outcome</th>")
                .Raw("<th scope=\"col\">By</th><th scope=\"col\">Channel</th></tr></thead><tbody>");
            foreach (var f in feedback)
            {
                var (outcome, by, channel) = FeedbackDetails(f.DetailsJson);
                body.Raw("<tr data-action=\"").Text(f.Action).Raw("\"><td data-label=\"Recorded\">").Time(f.TimestampUtc)
                    .Raw("</td><td data-label=\"What\">").Text(f.Action)
                    .Raw("</td><td data-label=\"Outcome\" class=\"outcome\">").Text(outcome ?? "")
                    .Raw("</td><td data-label=\"By\">").Text(by ?? "")
                    .Raw("</td><td data-label=\"Channel\">").Text(channel ?? "").Raw("</td></tr>");
            }

            body.Raw("</tbody></table>");
        }

        body.Raw("<form method=\"post\" action=\"/console/inbox/").Text(row.MessageId.ToString()).Raw("/outcome\" aria-label=\"Report an outreach outcome\">")
            .Antiforgery(tokens)
            .Raw("<div class=\"field\"><label for=\"outcome\">Outreach outcome</label><select id=\"outcome\" name=\"outcome\" required><option value=\"\">(choose)</option>");
        foreach (var (code, label) in Outcomes)
        {
            body.Raw("<option value=\"").Text(code.ToString()).Raw("\">").Text(label).Raw("</option>");
        }

        body.Raw("</select></div><button type=\"submit\">Report outcome</button></form></section>");
    }

    private static (string? Outcome, string? By, string? Channel) FeedbackDetails(string? json)
    {
        if (json is null)
        {
            return (null, null, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            var r = doc.RootElement;
            string? S(string n) => r.ValueKind == JsonValueKind.Object && r.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return (S("outcome"), S("by"), S("channel"));
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    /// <summary>
    /// Records an outreach outcome through <see cref="FeedbackRecorder"/>, the path the bus and the HTTP reply path use,
    /// so the console and the bus write the same ledger entry (channel <c>console</c>).
    /// </summary>
    private static async Task<IResult> ReportOutcomeAsync(
        HttpContext ctx, string id, ConsoleQueries queries, IAntiforgery antiforgery, FeedbackRecorder recorder, TimeProvider clock, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ConsoleEndpoints));
        if (await AntiforgeryFailsAsync(ctx, antiforgery, logger).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var row = await FindOwnAsync(ctx, queries, id, loggers).ConfigureAwait(false);
        if (row is null || row.MessageType == SpikeAlertWriter.MessageType)
        {
            return NotFoundPage(ctx);
        }

        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        var text = form["outcome"].ToString();
        if (!Outcomes.Any(o => o.Code.ToString() == text) || !Enum.TryParse<OutreachOutcome>(text, ignoreCase: false, out var outcome))
        {
            return Html.Page(ctx, "Outcome not recorded", new Html().Raw("<p class=\"error\" role=\"alert\">").Text("Choose one of the listed outcomes.").Raw("</p><p>")
                .Link("/console/inbox/" + row.MessageId.ToString(), "Back to the notification").Raw("</p>"), StatusCodes.Status400BadRequest);
        }

        var view = NotificationView.From(row);
        var result = await recorder.ReportOutcomeAsync(
            row.RecipientId,
            new OutreachOutcomeReported
            {
                NotificationId = row.MessageId,
                EpisodeId = view.EpisodeId ?? Guid.Empty,
                RecipientId = row.RecipientId,
                Outcome = outcome,
                OccurredAtUtc = clock.GetUtcNow(),
                ReportedBy = ctx.User.Identity?.Name,
            },
            FeedbackChannel,
            ctx.RequestAborted).ConfigureAwait(false);
        Log.OutcomeReported(logger, row.MessageId.ToString(), outcome.ToString(), result.ToString());
        return result == FeedbackResult.Recorded ? Results.Redirect("/console/inbox/" + row.MessageId.ToString() + "#outcome-h") : NotFoundPage(ctx);
    }

    /// <summary>The <c>channel</c> the console's replies carry in the ledger details.</summary>
    public const string FeedbackChannel = "console";

    private static async Task<IResult> ApiFeedbackAsync(HttpContext ctx, string id, ConsoleQueries queries, ILedger ledger, ILoggerFactory loggers)
    {
        var row = await FindOwnAsync(ctx, queries, id, loggers).ConfigureAwait(false);
        if (row is null)
        {
            return Results.NotFound();
        }

        var feedback = await queries.FeedbackForRecipientAsync(row.RecipientId, row.MessageId, ctx.RequestAborted).ConfigureAwait(false);
        await ViewedAsync(ctx, ledger, "api/feedback", row.RecipientId, row.MessageId.ToString()).ConfigureAwait(false);
        ctx.Response.Headers.CacheControl = "no-store";
        return Results.Json(
            feedback.Select(f =>
            {
                var (outcome, by, channel) = FeedbackDetails(f.DetailsJson);
                return new { sequence = f.Sequence, recordedAtUtc = f.TimestampUtc, action = f.Action, outcome, by, channel };
            }),
            HubJson.Options);
    }

    private static async Task<IResult> AcknowledgeAsync(
        HttpContext ctx, string id, ConsoleQueries queries, FeedbackRecorder recorder, IAntiforgery antiforgery, TimeProvider clock, ILoggerFactory loggers)
    {
        if (await AntiforgeryFailsAsync(ctx, antiforgery, loggers.CreateLogger(typeof(ConsoleEndpoints))).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var row = await FindOwnAsync(ctx, queries, id, loggers).ConfigureAwait(false);
        if (row is null)
        {
            return NotFoundPage(ctx);
        }

        if (!row.Acknowledged)
        {
            var view = NotificationView.From(row);

            // The same path (and ledger entry) as an acknowledgment that arrives over the bus or the HTTP reply path.
            await recorder.AcknowledgeAsync(
                row.RecipientId,
                new NotificationAcknowledged
                {
                    NotificationId = row.MessageId,
                    EpisodeId = view.EpisodeId ?? Guid.Empty,
                    RecipientId = row.RecipientId,
                    OccurredAtUtc = clock.GetUtcNow(),
                    AcknowledgedBy = ctx.User.Identity?.Name,
                },
                FeedbackChannel,
                ctx.RequestAborted).ConfigureAwait(false);
        }

        return Results.Redirect("/console/inbox/" + row.MessageId.ToString());
    }

    private static async Task<IResult> ApiListAsync(HttpContext ctx, ConsoleQueries queries, ILedger ledger, IOptions<ConsoleOptions> options)
    {
        var agency = Agency(ctx);
        var rows = await queries.ListForRecipientAsync(agency, SpikeAlertWriter.MessageType, excludeType: true, options.Value.InboxSize, ctx.RequestAborted).ConfigureAwait(false);
        await ViewedAsync(ctx, ledger, "api/notifications", agency).ConfigureAwait(false);
        ctx.Response.Headers.CacheControl = "no-store";
        return Results.Json(
            rows.Select(NotificationView.From).Select(v => new
            {
                notificationId = v.Row.MessageId,
                episodeId = v.EpisodeId,
                episodeVersion = v.EpisodeVersion,
                disclosedAtUtc = v.Row.CreatedAtUtc,
                acknowledged = v.Row.Acknowledged,
            }),
            HubJson.Options);
    }

    private static async Task<IResult> ApiGetAsync(HttpContext ctx, string id, ConsoleQueries queries, ILedger ledger, ILoggerFactory loggers)
    {
        var row = await FindOwnAsync(ctx, queries, id, loggers).ConfigureAwait(false);
        if (row is null)
        {
            return Results.NotFound();
        }

        await ViewedAsync(ctx, ledger, "api/notification", row.RecipientId, row.MessageId.ToString()).ConfigureAwait(false);
        ctx.Response.Headers.CacheControl = "no-store";
        return row.PayloadJson is null ? Results.StatusCode(StatusCodes.Status410Gone) : Results.Text(row.PayloadJson, "application/json; charset=utf-8");
    }

    // ---- audit --------------------------------------------------------------------------------------------------

    private static async Task<IResult> AuditAsync(HttpContext ctx, DisclosureQueries disclosures, ILedger ledger)
    {
        var q = ctx.Request.Query;
        string? Value(string key) => string.IsNullOrWhiteSpace(q[key]) ? null : q[key].ToString().Trim();
        var errors = new List<string>();
        DateTimeOffset? Date(string key, string label)
        {
            if (Value(key) is not { } text)
            {
                return null;
            }

            if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
            {
                return d;
            }

            errors.Add(label + " must be a date (YYYY-MM-DD).");
            return null;
        }

        var from = Date("from", "From");
        var to = Date("to", "To");
        var after = long.TryParse(Value("after"), NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
        var search = new LedgerSearch
        {
            RecipientId = Value("recipient"),
            AgreementId = Value("agreement"),
            Action = Value("action"),
            FromUtc = from,
            ToUtc = to?.AddDays(1),
            AfterSequence = after,
            PageSize = 50,
        };
        await ViewedAsync(ctx, ledger, "audit").ConfigureAwait(false);

        var body = new Html();
        body.Raw("<section aria-labelledby=\"search-h\"><h2 id=\"search-h\">Search the ledger</h2>")
            .Raw("<form method=\"get\" action=\"/console/audit\" class=\"filters\" role=\"search\">")
            .Input("recipient", "Recipient", search.RecipientId)
            .Input("agreement", "Agreement", search.AgreementId)
            .Raw("<div class=\"field\"><label for=\"action\">Action</label><select id=\"action\" name=\"action\"><option value=\"\">(any)</option>");
        foreach (var action in Actions)
        {
            body.Raw("<option value=\"").Text(action).Raw(action == search.Action ? "\" selected>" : "\">").Text(action).Raw("</option>");
        }

        body.Raw("</select></div>")
            .Input("from", "From (UTC date)", Value("from"), "date")
            .Input("to", "To (UTC date, inclusive)", Value("to"), "date")
            .Raw("<div class=\"field\"><button type=\"submit\">Search</button></div></form>");
        foreach (var error in errors)
        {
            body.Raw("<p class=\"error\" role=\"alert\">").Text(error).Raw("</p>");
        }

        if (errors.Count == 0)
        {
            var page = await disclosures.SearchAsync(search, ctx.RequestAborted).ConfigureAwait(false);
            body.Raw("<p id=\"result-count\">").Text($"{page.Entries.Count} entries on this page.").Raw("</p>")
                .Raw("<table class=\"stack\" id=\"ledger-results\"><thead><tr><th scope=\"col\">Seq</th><th scope=\"col\">Time</th><th scope=\"col\">Actor</th>")
                .Raw("<th scope=\"col\">Action</th><th scope=\"col\">Recipient</th><th scope=\"col\">Agreement</th><th scope=\"col\">Profile</th><th scope=\"col\">Correlation</th></tr></thead><tbody>");
            foreach (var e in page.Entries)
            {
                var c = e.Content;
                body.Raw("<tr><td data-label=\"Seq\">").Text(e.Sequence).Raw("</td><td data-label=\"Time\">").Time(e.TimestampUtc)
                    .Raw("</td><td data-label=\"Actor\">").Text(c.Actor).Raw("</td><td data-label=\"Action\">").Text(c.Action)
                    .Raw("</td><td data-label=\"Recipient\">").Text(c.RecipientId).Raw("</td><td data-label=\"Agreement\">").Text(c.AgreementId)
                    .Raw("</td><td data-label=\"Profile\">").Text(c.Profile).Raw("</td><td data-label=\"Correlation\">").Text(c.CorrelationId).Raw("</td></tr>");
            }

            body.Raw("</tbody></table>");
            if (page.NextAfterSequence is { } next)
            {
                var link = "/console/audit?" + string.Join('&', SearchKeys
                    .Where(k => Value(k) is not null)
                    .Select(k => k + "=" + Uri.EscapeDataString(Value(k)!))
                    .Append("after=" + next.ToString(CultureInfo.InvariantCulture)));
                body.Raw("<p>").Link(link, "Next page").Raw("</p>");
            }
        }

        body.Raw("</section><section aria-labelledby=\"verify-h\"><h2 id=\"verify-h\">Chain verification</h2>")
            .Raw("<form method=\"post\" action=\"/console/audit/verify\">").Antiforgery(ctx.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(ctx))
            .Raw("<button type=\"submit\">Verify the ledger chain</button></form></section>");
        return Html.Page(ctx, "Audit", body);
    }

    private static readonly string[] SearchKeys = ["recipient", "agreement", "action", "from", "to"];

    private static readonly string[] Actions =
    [
        LedgerActions.Received, LedgerActions.Detected, LedgerActions.Linked, LedgerActions.ConsentDecided, LedgerActions.Disclosed,
        LedgerActions.Delivered, LedgerActions.Acknowledged, LedgerActions.OutcomeReported, LedgerActions.Viewed, LedgerActions.ConfigurationChanged,
    ];

    private static async Task<IResult> VerifyAsync(HttpContext ctx, LedgerVerifier verifier, ILedger ledger, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        if (await AntiforgeryFailsAsync(ctx, antiforgery, loggers.CreateLogger(typeof(ConsoleEndpoints))).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        await ViewedAsync(ctx, ledger, "audit/verify").ConfigureAwait(false);
        var result = await verifier.VerifyAsync(ctx.RequestAborted).ConfigureAwait(false);
        var body = new Html();
        body.Raw("<p id=\"verify-result\" role=\"status\" class=\"").Raw(result.Intact ? "ok" : "bad").Raw("\">")
            .Text(result.Intact ? "The ledger chain is intact." : "The ledger chain is NOT intact.").Raw("</p>")
            .Raw("<table><tbody><tr><th scope=\"row\">Entries checked</th><td>").Text(result.EntriesChecked)
            .Raw("</td></tr><tr><th scope=\"row\">Checkpoints checked</th><td>").Text(result.CheckpointsChecked)
            .Raw("</td></tr><tr><th scope=\"row\">First bad sequence</th><td>").Text(result.FirstBadSequence?.ToString(CultureInfo.InvariantCulture) ?? "none")
            .Raw("</td></tr><tr><th scope=\"row\">Reason</th><td>").Text(result.Reason ?? "none")
            .Raw("</td></tr><tr><th scope=\"row\">Last checkpoint</th><td>")
            .Text(result.LastCheckpoint is { } cp ? string.Create(CultureInfo.InvariantCulture, $"sequence {cp.Sequence} at {cp.CreatedAtUtc:u}") : "none")
            .Raw("</td></tr></tbody></table><p>").Link("/console/audit", "Back to the ledger search").Raw("</p>");
        return Html.Page(ctx, "Chain verification", body);
    }
}
