using System.Globalization;
using Hub.Deidentification.DependencyInjection;
using Hub.Deidentification.Profiles;
using Hub.Host.Configuration;
using Hub.Audit.Ledger;
using Hub.Routing.Recipients;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hub.Host.Web.Console;

/// <summary>
/// The hub admin's pages, read-only: the configuration the hub runs with (recipients, jurisdictions, agreements,
/// disclosure profiles with their versions) and the health of bus, database and feeds. Configuration stays in files
/// under review, so nothing here edits it. Secrets (pseudonym keys, webhook secrets, connection strings, key hashes)
/// are never written into a page: only the fields listed here are.
/// </summary>
internal static class ConsoleAdminPages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/console/admin", ConfigurationAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.AdminPolicy);
        app.MapGet("/console/admin/health", HealthAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.AdminPolicy);
        app.MapGet("/console/api/admin/health", ApiHealthAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.AdminPolicy);
    }

    private static Html SubNav(Html body) =>
        body.Raw("<nav aria-label=\"Admin\"><p>").Link("/console/admin", "Configuration").Raw(" · ").Link("/console/admin/health", "Health").Raw("</p></nav>");

    private static string List(IEnumerable<string> values)
    {
        var text = string.Join(", ", values);
        return text.Length == 0 ? "any" : text;
    }

    private static async Task<IResult> ConfigurationAsync(
        HttpContext ctx, IOptions<RecipientsOptions> recipients, AgreementCatalog agreements, ProfileCatalog profiles, IOptions<HubPrivacyOptions> privacy, ILedger ledger)
    {
        await ConsoleEndpoints.ViewedAsync(ctx, ledger, "admin").ConfigureAwait(false);
        var body = SubNav(new Html());
        body.El("p", "Read-only: the configuration is changed in its files, under review, and takes effect when the hub restarts.")
            .Raw("<p>").Link("#recipients", "Recipients").Raw(" · ").Link("#jurisdictions", "Jurisdictions").Raw(" · ").Link("#agreements", "Agreements")
            .Raw(" · ").Link("#profiles", "Disclosure profiles").Raw("</p>");

        var list = recipients.Value.Recipients.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        body.Raw("<section aria-labelledby=\"recipients\"><h2 id=\"recipients\">Recipients</h2>");
        if (list.Count == 0)
        {
            body.El("p", "No recipients are configured.");
        }
        else
        {
            body.Raw("<table class=\"stack\" id=\"recipient-table\"><thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Name</th><th scope=\"col\">Kind</th>")
                .Raw("<th scope=\"col\">Profile asked for</th><th scope=\"col\">Delivery</th><th scope=\"col\">Hours</th><th scope=\"col\">Spike alerts</th><th scope=\"col\">Filters</th></tr></thead><tbody>");
            foreach (var r in list)
            {
                body.Raw("<tr data-recipient=\"").Text(r.Id).Raw("\"><td data-label=\"Id\">").Text(r.Id).Raw("</td><td data-label=\"Name\">").Text(r.Name)
                    .Raw("</td><td data-label=\"Kind\">").Text(r.Kind).Raw("</td><td data-label=\"Profile asked for\">").Text(r.Profile ?? "safe-harbor")
                    .Raw("</td><td data-label=\"Delivery\">").Text(Delivery(r.Delivery))
                    .Raw("</td><td data-label=\"Hours\">").Text(Hours(r.Hours))
                    .Raw("</td><td data-label=\"Spike alerts\">").Text(r.ReceivesSpikeAlerts ? "yes" : "no")
                    .Raw("</td><td data-label=\"Filters\">").Text(Filters(r.Filters)).Raw("</td></tr>");
            }

            body.Raw("</tbody></table>");
        }

        body.Raw("</section><section aria-labelledby=\"jurisdictions\"><h2 id=\"jurisdictions\">Jurisdictions</h2>");
        if (list.Count > 0)
        {
            body.Raw("<table class=\"stack\"><thead><tr><th scope=\"col\">Recipient</th><th scope=\"col\">Counties (FIPS)</th><th scope=\"col\">Municipalities</th>")
                .Raw("<th scope=\"col\">ZIP codes</th><th scope=\"col\">Polygon file</th></tr></thead><tbody>");
            foreach (var r in list)
            {
                var j = r.Jurisdiction;
                body.Raw("<tr><td data-label=\"Recipient\">").Text(r.Id).Raw("</td><td data-label=\"Counties (FIPS)\">").Text(string.Join(", ", j.CountyFips))
                    .Raw("</td><td data-label=\"Municipalities\">").Text(string.Join(", ", j.Municipalities.Select(m => m.Name + " " + m.State)))
                    .Raw("</td><td data-label=\"ZIP codes\">").Text(string.Join(", ", j.ZipCodes))
                    .Raw("</td><td data-label=\"Polygon file\">").Text(j.PolygonFile is null ? "" : Path.GetFileName(j.PolygonFile)).Raw("</td></tr>");
            }

            body.Raw("</tbody></table>");
        }
        else
        {
            body.El("p", "No jurisdictions (no recipients).");
        }

        body.Raw("</section><section aria-labelledby=\"agreements\"><h2 id=\"agreements\">Agreements</h2>");
        if (agreements.All.Count == 0)
        {
            body.El("p", "No agreements are configured: nothing is disclosed.");
        }
        else
        {
            body.Raw("<table class=\"stack\" id=\"agreement-table\"><thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Version</th><th scope=\"col\">Name</th>")
                .Raw("<th scope=\"col\">Recipient</th><th scope=\"col\">Source agencies</th><th scope=\"col\">Purpose</th><th scope=\"col\">Legal basis</th>")
                .Raw("<th scope=\"col\">Most identifying profile</th><th scope=\"col\">In force</th><th scope=\"col\">Minors</th></tr></thead><tbody>");
            foreach (var a in agreements.All.OrderBy(a => a.Id, StringComparer.Ordinal))
            {
                body.Raw("<tr data-agreement=\"").Text(a.Id).Raw("\"><td data-label=\"Id\">").Text(a.Id).Raw("</td><td data-label=\"Version\">").Text(a.Version)
                    .Raw("</td><td data-label=\"Name\">").Text(a.Name).Raw("</td><td data-label=\"Recipient\">").Text(a.RecipientId)
                    .Raw("</td><td data-label=\"Source agencies\">").Text(string.Join(", ", a.SourceAgencyIds)).Raw("</td><td data-label=\"Purpose\">").Text(a.Purpose)
                    .Raw("</td><td data-label=\"Legal basis\">").Text(a.LegalBasis).Raw("</td><td data-label=\"Most identifying profile\">").Text(a.MaxProfile)
                    .Raw("</td><td data-label=\"In force\">").Text(InForce(a.EffectiveFrom, a.ExpiresOn))
                    .Raw("</td><td data-label=\"Minors\">").Text(a.AllowsMinors ? "allowed" : "not allowed").Raw("</td></tr>");
            }

            body.Raw("</tbody></table>");
        }

        var p = privacy.Value;
        body.Raw("</section><section aria-labelledby=\"profiles\"><h2 id=\"profiles\">Disclosure profiles</h2><p>")
            .Text(string.Create(CultureInfo.InvariantCulture,
                $"Rule files: {(p.ProfileSource == "folder" ? "folder " + Path.GetFileName(Path.TrimEndingDirectorySeparator(p.ProfileFolder ?? "")) : "shipped with the hub")}; default restricted-ZIP3 list {profiles.DefaultZip3List.Version}."))
            .Raw("</p><table class=\"stack\" id=\"profile-table\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Version</th><th scope=\"col\">Level</th>")
            .Raw("<th scope=\"col\">Legal basis</th><th scope=\"col\">ZIP3 list</th><th scope=\"col\">Fields not redacted</th></tr></thead><tbody>");
        foreach (var profile in profiles.Profiles.OrderBy(x => x.Name, StringComparer.Ordinal))
        {
            var disclosed = profile.Rules.Values.Where(r => r.Method != ProfileFields.Methods.Redact).Select(r => r.Field).Order(StringComparer.Ordinal).ToList();
            body.Raw("<tr data-profile=\"").Text(profile.Name).Raw("\"><td data-label=\"Name\">").Text(profile.Name).Raw("</td><td data-label=\"Version\">").Text(profile.Version)
                .Raw("</td><td data-label=\"Level\">").Text(profile.Level.ToString()).Raw("</td><td data-label=\"Legal basis\">").Text(profile.LegalBasis)
                .Raw("</td><td data-label=\"ZIP3 list\">").Text(profiles.Zip3ListFor(profile).Version)
                .Raw("</td><td data-label=\"Fields not redacted\">").Text(string.Create(CultureInfo.InvariantCulture, $"{disclosed.Count} of {profile.Rules.Count}: {string.Join(", ", disclosed)}"))
                .Raw("</td></tr>");
        }

        body.Raw("</tbody></table></section>");
        return Html.Page(ctx, "Admin: configuration", body);
    }

    private static string Delivery(DeliveryOptions delivery) => delivery.Channel switch
    {
        // The host only: a webhook URL's path or query can carry a token.
        DeliveryChannels.Webhook => "webhook to " + (delivery.WebhookUrl?.Host ?? "(no URL)"),
        var channel => channel,
    };

    private static string Hours(HoursOptions? hours)
    {
        if (hours is null)
        {
            return "always";
        }

        var days = hours.Days.Count == 0 ? "every day" : string.Join(" ", hours.Days.Select(d => d.ToString()[..3]));
        var text = string.Create(CultureInfo.InvariantCulture, $"{days} {hours.Start:HH\\:mm}–{hours.End:HH\\:mm} {hours.TimeZone}");
        return hours.AfterHoursRecipientId is { } fallback ? text + "; after hours to " + fallback : text;
    }

    private static string Filters(RecipientFilterOptions f) =>
        $"sources {List(f.SourceKinds.Select(k => k.ToString()))}; substances {List(f.Substances.Select(s => s.ToString()))}; fatal {f.Fatal}; minors {f.Minors}; dispositions {List(f.Dispositions.Select(d => d.ToString()))}";

    private static string InForce(DateOnly? from, DateOnly? to) =>
        string.Create(CultureInfo.InvariantCulture, $"{from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "always"} to {to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "open-ended"}");

    // ---- health -------------------------------------------------------------------------------------------------

    private static async Task<IResult> HealthAsync(HttpContext ctx, HealthCheckService health, ILedger ledger)
    {
        await ConsoleEndpoints.ViewedAsync(ctx, ledger, "admin/health").ConfigureAwait(false);
        var report = await HealthEndpoints.CheckForConsoleAsync(health, ctx.RequestAborted).ConfigureAwait(false);
        var body = SubNav(new Html());
        body.Raw("<p role=\"status\" id=\"health-overall\" class=\"").Raw(report.Status == HealthStatus.Healthy ? "ok" : "bad").Raw("\">")
            .Text("Overall: " + Word(report.Status)).Raw("</p>")
            .Raw("<table class=\"stack\" id=\"health-table\"><thead><tr><th scope=\"col\">Check</th><th scope=\"col\">State</th><th scope=\"col\">Description</th>")
            .Raw("<th scope=\"col\">Part of /health/ready</th></tr></thead><tbody>");
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            body.Raw("<tr data-check=\"").Text(name).Raw("\"><th scope=\"row\" data-label=\"Check\">").Text(name).Raw("</th><td data-label=\"State\" class=\"")
                .Raw(entry.Status == HealthStatus.Healthy ? "ok" : "bad").Raw("\">").Text(Word(entry.Status))
                .Raw("</td><td data-label=\"Description\">").Text(entry.Description)
                .Raw("</td><td data-label=\"Part of /health/ready\">").Text(entry.Tags.Contains(HealthEndpoints.ReadyTag) ? "yes" : "no").Raw("</td></tr>");
            if (name == "feeds")
            {
                foreach (var (feed, state) in entry.Data.OrderBy(d => d.Key, StringComparer.Ordinal))
                {
                    body.Raw("<tr data-feed=\"").Text(feed).Raw("\"><th scope=\"row\" data-label=\"Check\">").Text("feed " + feed)
                        .Raw("</th><td data-label=\"State\"></td><td data-label=\"Description\">").Text(state.ToString()).Raw("</td><td data-label=\"Part of /health/ready\">no</td></tr>");
                }
            }
        }

        body.Raw("</tbody></table>");
        return Html.Page(ctx, "Admin: health", body);
    }

    private static async Task<IResult> ApiHealthAsync(HttpContext ctx, HealthCheckService health, ILedger ledger)
    {
        await ConsoleEndpoints.ViewedAsync(ctx, ledger, "api/admin/health").ConfigureAwait(false);
        var report = await HealthEndpoints.CheckForConsoleAsync(health, ctx.RequestAborted).ConfigureAwait(false);
        ctx.Response.Headers.CacheControl = "no-store";
        return Results.Json(new
        {
            status = Word(report.Status),
            checks = report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new
            {
                name = e.Key,
                status = Word(e.Value.Status),
                description = e.Value.Description,
                ready = e.Value.Tags.Contains(HealthEndpoints.ReadyTag),
            }),
        });
    }

    private static string Word(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
