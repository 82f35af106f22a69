using System.Text.Json;
using Hub.Audit.Console;
using Hub.Audit.Ledger;
using Hub.Contracts.Serialization;
using Hub.Host.Feeds;
using Microsoft.AspNetCore.Antiforgery;

namespace Hub.Host.Web.Console;

/// <summary>
/// A feed's HTTP API keys (feed-admin, hub-admin): list, create (the key is shown once, in the answer to the POST, and
/// only its hash is stored) and revoke. Creating and revoking are <c>configuration-changed</c> ledger entries whose actor
/// is the console user; the key itself never reaches the ledger, a log or a later page.
/// </summary>
internal static class ConsoleApiKeyPages
{
    internal const int MaxLabelLength = 80;

    public static void Map(WebApplication app)
    {
        app.MapGet("/console/feeds/{feedId}/keys", ListAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.FeedsPolicy);
        app.MapPost("/console/feeds/{feedId}/keys", CreateAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.FeedsPolicy);
        app.MapPost("/console/feeds/{feedId}/keys/{keyId}/revoke", RevokeAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.FeedsPolicy);
    }

    private static string KeysPath(string feedId) => "/console/feeds/" + Uri.EscapeDataString(feedId) + "/keys";

    private static IResult NoSuchFeed(HttpContext ctx) =>
        Html.Page(ctx, "Not found", new Html().El("p", "There is no such feed."), StatusCodes.Status404NotFound);

    private static async Task<IResult> ListAsync(HttpContext ctx, string feedId, FeedCatalog catalog, IFeedApiKeyStore keys, ILedger ledger, IAntiforgery antiforgery)
    {
        if (!catalog.All.Any(f => f.Id == feedId))
        {
            return NoSuchFeed(ctx);
        }

        await ConsoleEndpoints.ViewedAsync(ctx, ledger, "feeds/keys").ConfigureAwait(false);
        return await PageAsync(ctx, feedId, keys, antiforgery, null, null, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    private static async Task<IResult> PageAsync(
        HttpContext ctx, string feedId, IFeedApiKeyStore keys, IAntiforgery antiforgery, CreatedFeedApiKey? created, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(ctx);
        var body = new Html();
        body.Raw("<p>").Link("/console/feeds", "Back to the feeds").Raw("</p>");
        if (created is not null)
        {
            body.Raw("<section class=\"episode\" aria-labelledby=\"new-key-h\" id=\"new-key\"><h2 id=\"new-key-h\">New key</h2>")
                .Raw("<p role=\"status\">").Text($"Key {created.Info.KeyId} (\u201c{created.Info.Label}\u201d) was created. Copy it now: it is shown only this once and the hub keeps only its hash.").Raw("</p>")
                .Raw("<p><label for=\"secret\">API key</label><br><input id=\"secret\" readonly size=\"60\" value=\"").Text(created.Secret).Raw("\"></p>")
                .Raw("<p>").Text("Send it as the X-API-Key header (or Authorization: ApiKey …) with POST /fhir for this feed.").Raw("</p></section>");
        }

        if (error is not null)
        {
            body.Raw("<p class=\"error\" role=\"alert\">").Text(error).Raw("</p>");
        }

        body.Raw("<section aria-labelledby=\"create-h\"><h2 id=\"create-h\">Create a key</h2><form method=\"post\" action=\"").Text(KeysPath(feedId)).Raw("\">")
            .Antiforgery(tokens)
            .Input("label", "Label (for example the sending system)", null, "text", "required maxlength=\"80\"")
            .Raw("<div class=\"field\"><button type=\"submit\">Create key</button></div></form></section>");

        var list = await keys.ListAsync(feedId, ctx.RequestAborted).ConfigureAwait(false);
        body.Raw("<section aria-labelledby=\"keys-h\"><h2 id=\"keys-h\">Keys</h2>");
        if (list.Count == 0)
        {
            body.El("p", "No keys were created in the console for this feed.");
        }
        else
        {
            body.Raw("<table class=\"stack\" id=\"keys\"><thead><tr><th scope=\"col\">Key id</th><th scope=\"col\">Label</th><th scope=\"col\">Created</th>")
                .Raw("<th scope=\"col\">By</th><th scope=\"col\">State</th><th scope=\"col\">Action</th></tr></thead><tbody>");
            foreach (var k in list)
            {
                body.Raw("<tr data-key=\"").Text(k.KeyId).Raw("\"><td data-label=\"Key id\">").Text(k.KeyId).Raw("</td><td data-label=\"Label\">").Text(k.Label)
                    .Raw("</td><td data-label=\"Created\">").Time(k.CreatedAtUtc).Raw("</td><td data-label=\"By\">").Text(k.CreatedBy)
                    .Raw("</td><td data-label=\"State\" class=\"state\">");
                if (k.RevokedAtUtc is { } revoked)
                {
                    body.Raw("<span class=\"badge superseded\">revoked</span> ").Time(revoked).Raw("</td><td data-label=\"Action\"></td></tr>");
                    continue;
                }

                body.Raw("<span class=\"badge ok\">active</span></td><td data-label=\"Action\"><form method=\"post\" class=\"inline\" action=\"")
                    .Text(KeysPath(feedId) + "/" + Uri.EscapeDataString(k.KeyId) + "/revoke").Raw("\">").Antiforgery(tokens)
                    .Raw("<button type=\"submit\" aria-label=\"Revoke ").Text(k.KeyId).Raw("\">Revoke</button></form></td></tr>");
            }

            body.Raw("</tbody></table>");
        }

        body.Raw("</section>");
        return Html.Page(ctx, "API keys of " + feedId, body, status);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext ctx, string feedId, FeedCatalog catalog, IFeedApiKeyStore keys, ILedger ledger, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ConsoleApiKeyPages));
        if (await ConsoleEndpoints.AntiforgeryFailsAsync(ctx, antiforgery, logger).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        if (!catalog.All.Any(f => f.Id == feedId))
        {
            return NoSuchFeed(ctx);
        }

        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        var label = form["label"].ToString().Trim();
        if (label.Length is 0 or > MaxLabelLength || label.Any(char.IsControl))
        {
            return await PageAsync(ctx, feedId, keys, antiforgery, null, $"The label must be 1 to {MaxLabelLength} characters, without control characters.", StatusCodes.Status400BadRequest)
                .ConfigureAwait(false);
        }

        var user = User(ctx);
        var created = await keys.CreateAsync(feedId, label, user, ctx.RequestAborted).ConfigureAwait(false);
        await LedgerAsync(ctx, ledger, user, feedId, created.Info.KeyId, "feed-api-key-created").ConfigureAwait(false);
        Log.ApiKeyCreated(logger, created.Info.KeyId, feedId);
        return await PageAsync(ctx, feedId, keys, antiforgery, created, null, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    private static async Task<IResult> RevokeAsync(
        HttpContext ctx, string feedId, string keyId, FeedCatalog catalog, IFeedApiKeyStore keys, ILedger ledger, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ConsoleApiKeyPages));
        if (await ConsoleEndpoints.AntiforgeryFailsAsync(ctx, antiforgery, logger).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        if (!catalog.All.Any(f => f.Id == feedId))
        {
            return NoSuchFeed(ctx);
        }

        // The key must belong to the feed named in the URL: a key id of another feed is "not found" here.
        var own = await keys.ListAsync(feedId, ctx.RequestAborted).ConfigureAwait(false);
        if (!own.Any(k => k.KeyId == keyId && k.RevokedAtUtc is null))
        {
            return await PageAsync(ctx, feedId, keys, antiforgery, null, "There is no such active key for this feed.", StatusCodes.Status404NotFound).ConfigureAwait(false);
        }

        var user = User(ctx);
        if (await keys.RevokeAsync(keyId, user, ctx.RequestAborted).ConfigureAwait(false))
        {
            await LedgerAsync(ctx, ledger, user, feedId, keyId, "feed-api-key-revoked").ConfigureAwait(false);
            Log.ApiKeyRevoked(logger, keyId, feedId);
        }

        return Results.Redirect(KeysPath(feedId));
    }

    private static string User(HttpContext ctx) => ctx.User.Identity?.Name ?? throw new InvalidOperationException("The feeds policy requires a signed-in user.");

    private static async Task LedgerAsync(HttpContext ctx, ILedger ledger, string user, string feedId, string keyId, string change) =>
        await ledger.AppendAsync(
            [
                new LedgerEntryDraft
                {
                    Actor = user,
                    Action = LedgerActions.ConfigurationChanged,
                    FeedId = feedId,
                    CorrelationId = keyId,
                    DetailsJson = JsonSerializer.Serialize(new Dictionary<string, string> { ["change"] = change, ["keyId"] = keyId }, HubJson.Options),
                },
            ],
            ctx.RequestAborted).ConfigureAwait(false);
}
