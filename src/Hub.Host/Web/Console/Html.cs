using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;

namespace Hub.Host.Web.Console;

/// <summary>
/// Builds the console's HTML. Every value goes through <see cref="HtmlEncoder"/>; only the fixed markup of this
/// folder is written raw, so data from feeds and payloads can never become markup.
/// </summary>
internal sealed class Html
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;
    private readonly StringBuilder _sb = new();

    /// <summary>Fixed markup from this folder's code, never data.</summary>
    public Html Raw(string markup)
    {
        _sb.Append(markup);
        return this;
    }

    /// <summary>A value, encoded.</summary>
    public Html Text(string? value)
    {
        _sb.Append(Encoder.Encode(value ?? string.Empty));
        return this;
    }

    public Html Text(long value) => Text(value.ToString(CultureInfo.InvariantCulture));

    public Html Time(DateTimeOffset? value) => Text(value?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "");

    /// <summary>An element with encoded text content.</summary>
    public Html El(string tag, string? text, string? cssClass = null)
    {
        _sb.Append('<').Append(tag);
        if (cssClass is not null)
        {
            _sb.Append(" class=\"").Append(Encoder.Encode(cssClass)).Append('"');
        }

        _sb.Append('>').Append(Encoder.Encode(text ?? string.Empty)).Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>A link; the href is built from fixed paths and escaped values, then encoded as an attribute.</summary>
    public Html Link(string href, string text, string? cssClass = null)
    {
        _sb.Append("<a href=\"").Append(Encoder.Encode(href)).Append('"');
        if (cssClass is not null)
        {
            _sb.Append(" class=\"").Append(Encoder.Encode(cssClass)).Append('"');
        }

        _sb.Append('>').Append(Encoder.Encode(text)).Append("</a>");
        return this;
    }

    /// <summary>A hidden antiforgery field.</summary>
    public Html Antiforgery(Microsoft.AspNetCore.Antiforgery.AntiforgeryTokenSet tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return Raw("<input type=\"hidden\" name=\"").Text(tokens.FormFieldName).Raw("\" value=\"").Text(tokens.RequestToken).Raw("\">");
    }

    /// <summary>A labelled text input (label bound by id, value encoded).</summary>
    public Html Input(string id, string label, string? value, string type = "text", string? extra = null)
    {
        Raw("<div class=\"field\"><label for=\"").Text(id).Raw("\">").Text(label).Raw("</label>");
        Raw("<input id=\"").Text(id).Raw("\" name=\"").Text(id).Raw("\" type=\"").Text(type).Raw("\" value=\"").Text(value).Raw("\"");
        if (extra is not null)
        {
            Raw(" ").Raw(extra);
        }

        return Raw("></div>");
    }

    public override string ToString() => _sb.ToString();

    /// <summary>The page frame: skip link, banner with navigation for the user's role, main landmark, footer.</summary>
    public static IResult Page(HttpContext context, string title, Html body, int status = StatusCodes.Status200OK, PageAssets? assets = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        var user = context.User;
        var page = new Html();
        page.Raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Raw("<title>").Text(title).Raw(" · Overdose Data Hub</title>");
        foreach (var style in assets?.Styles ?? [])
        {
            page.Raw("<link rel=\"stylesheet\" href=\"").Text(style).Raw("\">");
        }

        page.Raw("<link rel=\"stylesheet\" href=\"/console/console.css\"></head><body>")
            .Raw("<a class=\"skip\" href=\"#main\">Skip to content</a>")
            .Raw("<header role=\"banner\"><div class=\"brand\">Overdose Data Hub</div>");
        if (user.Identity?.IsAuthenticated == true)
        {
            page.Raw("<nav aria-label=\"Console\"><ul>");
            if (user.IsInRole(ConsoleRoles.Recipient))
            {
                page.Raw("<li>").Link("/console/inbox", "Inbox").Raw("</li><li>").Link("/console/map", "Map").Raw("</li>");
            }

            if (user.IsInRole(ConsoleRoles.PrivacyOfficer))
            {
                page.Raw("<li>").Link("/console/audit", "Audit").Raw("</li><li>").Link("/console/audit/accounting", "Accounting")
                    .Raw("</li><li>").Link("/console/audit/disclosures", "Disclosures per week").Raw("</li>");
            }

            if (user.IsInRole(ConsoleRoles.FeedAdmin) || user.IsInRole(ConsoleRoles.HubAdmin))
            {
                page.Raw("<li>").Link("/console/feeds", "Feeds").Raw("</li>");
            }

            if (user.IsInRole(ConsoleRoles.HubAdmin))
            {
                page.Raw("<li>").Link("/console/admin", "Admin").Raw("</li>");
            }

            page.Raw("</ul></nav><div class=\"who\">").Text(user.Identity.Name).Raw(" (").Text(user.FindFirstValue(ClaimTypes.Role)).Raw(")");
            var af = context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().GetAndStoreTokens(context);
            page.Raw("<form method=\"post\" action=\"/console/signout\" class=\"inline\">").Antiforgery(af)
                .Raw("<button type=\"submit\">Sign out</button></form></div>");
        }

        page.Raw("</header><main id=\"main\" tabindex=\"-1\"><h1>").Text(title).Raw("</h1>").Raw(body.ToString())
            .Raw("</main><footer role=\"contentinfo\">Every page view is recorded in the disclosure ledger.</footer>");
        foreach (var script in assets?.Scripts ?? [])
        {
            page.Raw("<script src=\"").Text(script).Raw("\"></script>");
        }

        page.Raw("</body></html>");
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var images = assets is { ImageSources.Count: > 0 } ? "; img-src 'self' data: " + string.Join(' ', assets.ImageSources) : "; img-src 'self' data:";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'" + images;
        return Results.Content(page.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The console's stylesheet: readable on a phone, visible focus, WCAG AA contrast.</summary>
    public const string Css = """
        :root { --fg:#1a1a1a; --bg:#ffffff; --link:#0b4f9c; --muted:#4a4a4a; --line:#c8c8c8; --accent:#8a3b00; --ok:#1e6b2d; --bad:#a4161a; }
        * { box-sizing: border-box; }
        body { margin:0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
        a { color:var(--link); }
        a:focus, button:focus, input:focus, select:focus, summary:focus, main:focus { outline:3px solid #ffbf47; outline-offset:2px; }
        .skip { position:absolute; left:-999px; } .skip:focus { left:8px; top:8px; background:#fff; padding:4px 8px; z-index:2; }
        header { display:flex; flex-wrap:wrap; gap:.5rem 1.5rem; align-items:center; padding:.75rem 1rem; background:#0b2545; color:#fff; }
        header a { color:#fff; } .brand { font-weight:700; }
        nav ul { list-style:none; display:flex; gap:1rem; margin:0; padding:0; }
        .who { margin-left:auto; display:flex; gap:.5rem; align-items:center; }
        main { padding:1rem; max-width:72rem; overflow-x:auto; }
        footer { padding:1rem; color:var(--muted); border-top:1px solid var(--line); font-size:.9rem; }
        table { border-collapse:collapse; width:100%; margin:.5rem 0 1rem; }
        th, td { text-align:left; padding:.4rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; overflow-wrap:break-word; }
        th { background:#f0f0f0; }
        dt { font-weight:600; } dd { margin:0 0 .25rem 1rem; }
        .field { display:flex; flex-direction:column; margin:.5rem 0; max-width:24rem; }
        label { font-weight:600; }
        input, select, button { font:inherit; padding:.4rem .5rem; border:1px solid #6b6b6b; border-radius:4px; }
        button { background:#0b4f9c; color:#fff; border-color:#0b4f9c; cursor:pointer; }
        header button { background:#fff; color:#0b2545; }
        .inline { display:inline; }
        .filters { display:flex; flex-wrap:wrap; gap:0 1rem; align-items:flex-end; }
        .badge { display:inline-block; padding:0 .4rem; border-radius:4px; font-size:.85rem; font-weight:600; border:1px solid currentColor; }
        .new { color:var(--accent); } .superseded { color:var(--muted); } .ok { color:var(--ok); } .bad { color:var(--bad); }
        .episode { border:1px solid var(--line); border-radius:6px; padding:.5rem 1rem; margin:.75rem 0; }
        .error { color:var(--bad); font-weight:600; }
        .muted { color:var(--muted); }
        #map { height:28rem; width:100%; background:#f4f1ea; border:1px solid var(--line); border-radius:6px; }
        #map:focus { outline:3px solid #ffbf47; }
        .chart { max-width:100%; height:auto; }
        .chart text { font: 12px system-ui, sans-serif; fill:#1a1a1a; }
        .legend { display:flex; flex-wrap:wrap; gap:.25rem 1rem; list-style:none; padding:0; }
        .swatch { display:inline-block; width:1rem; height:1rem; margin-right:.35rem; vertical-align:-.15rem; border:1px solid #1a1a1a; }
        fieldset { border:1px solid var(--line); border-radius:6px; margin:.75rem 0; }
        .actions { display:flex; flex-wrap:wrap; gap:.5rem; margin:.5rem 0; }
        @media (max-width: 40rem) {
          table.stack thead { display:none; }
          table.stack tr { display:block; border-bottom:2px solid var(--line); padding:.25rem 0; }
          table.stack td { display:block; border:0; padding:.15rem .25rem; }
          table.stack td::before { content: attr(data-label) ": "; font-weight:600; }
          .who { margin-left:0; }
          #map { height:20rem; }
        }
        """;
}

/// <summary>Extra stylesheets, scripts (all served by the hub itself) and image origins (a configured tile server) of one page.</summary>
internal sealed record PageAssets
{
    public IReadOnlyList<string> Styles { get; init; } = [];

    public IReadOnlyList<string> Scripts { get; init; } = [];

    /// <summary>Origins added to the page's <c>img-src</c> (map tiles); empty keeps images to the hub.</summary>
    public IReadOnlyList<string> ImageSources { get; init; } = [];
}
