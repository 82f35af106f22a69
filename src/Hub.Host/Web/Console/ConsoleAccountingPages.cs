using System.Globalization;
using System.Text;
using System.Text.Json;
using Hub.Audit.Accounting;
using Hub.Audit.Console;
using Hub.Audit.Ledger;
using Hub.Contracts.Model;
using Hub.Contracts.Serialization;
using Hub.Deidentification.Pseudonyms;
using Hub.Host.Cli;
using Hub.Routing.Recipients;
using Microsoft.AspNetCore.Antiforgery;

namespace Hub.Host.Web.Console;

/// <summary>
/// The privacy officer's accounting of disclosures (45 CFR 164.528) and disclosures-per-week chart. The person's identity
/// arrives in a POST body, is turned into pseudonyms with the same code as <c>hub audit accounting</c>
/// (<see cref="PersonPseudonyms"/>) and is never stored, logged or put in a URL or ledger entry.
/// </summary>
internal static class ConsoleAccountingPages
{
    /// <summary>Weeks the chart shows by default.</summary>
    public const int DefaultWeeks = 12;

    /// <summary>Bar colours: each at least 4.5:1 against white, so bars and legend swatches stay distinguishable.</summary>
    private static readonly string[] Palette = ["#0b4f9c", "#8a3b00", "#1e6b2d", "#6a1b9a", "#a4161a", "#00626e", "#4a4a4a"];

    public static void Map(WebApplication app)
    {
        app.MapGet("/console/audit/accounting", AccountingFormAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.AuditPolicy);
        app.MapPost("/console/audit/accounting", RunAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.AuditPolicy);
        app.MapPost("/console/audit/accounting.csv", CsvAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.AuditPolicy);
        app.MapGet("/console/audit/disclosures", ChartAsync).RequireAuthorization(ConsoleServiceCollectionExtensions.AuditPolicy);
    }

    /// <summary>The identity fields of the form, as <c>hub audit accounting</c> takes them.</summary>
    internal sealed record AccountingRequest(SubjectIdentity Subject, DateTimeOffset AsOfUtc, IReadOnlyDictionary<string, string> Values);

    private static async Task<IResult> AccountingFormAsync(HttpContext ctx, ILedger ledger, IAntiforgery antiforgery)
    {
        await ConsoleEndpoints.ViewedAsync(ctx, ledger, "audit/accounting").ConfigureAwait(false);
        var body = new Html();
        Form(body, ctx, antiforgery, new Dictionary<string, string>());
        return Html.Page(ctx, "Accounting of disclosures", body);
    }

    private static void Form(Html body, HttpContext ctx, IAntiforgery antiforgery, IReadOnlyDictionary<string, string> values)
    {
        string? V(string key) => values.GetValueOrDefault(key);
        const string Off = "autocomplete=\"off\" spellcheck=\"false\"";
        body.Raw("<p>The person's identity is turned into the pseudonyms the ledger holds and is not stored; the run and each download are recorded in the ledger without it.</p>")
            .Raw("<form method=\"post\" action=\"/console/audit/accounting\" aria-label=\"Accounting of disclosures for a person\"><fieldset><legend>The person</legend>")
            .Antiforgery(antiforgery.GetAndStoreTokens(ctx))
            .Input("family", "Family name", V("family"), "text", Off + " required")
            .Input("given", "Given name", V("given"), "text", Off + " required")
            .Input("birth", "Date of birth", V("birth"), "date", Off + " required")
            .Input("sex", "Sex as recorded (optional, e.g. F or M)", V("sex"), "text", Off)
            .Input("zip", "Home ZIP code (optional)", V("zip"), "text", Off + " inputmode=\"numeric\"")
            .Input("phone", "Phone (optional)", V("phone"), "tel", Off)
            .Input("asof", "As of (UTC date, optional; default today)", V("asof"), "date", Off)
            .Raw("</fieldset><div class=\"actions\"><button type=\"submit\">Run the accounting</button>")
            .Raw("<button type=\"submit\" formaction=\"/console/audit/accounting.csv\">Download CSV</button></div></form>");
    }

    /// <summary>Reads and checks the form; errors name the field, never echo its value.</summary>
    internal static (AccountingRequest? Request, IReadOnlyList<string> Errors) Parse(IFormCollection form, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(form);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in new[] { "family", "given", "birth", "sex", "zip", "phone", "asof" })
        {
            var v = form[key].ToString().Trim();
            if (v.Length > 0)
            {
                values[key] = v.Length > 200 ? v[..200] : v;
            }
        }

        var errors = new List<string>();
        if (!values.ContainsKey("family"))
        {
            errors.Add("Family name is required.");
        }

        if (!values.ContainsKey("given"))
        {
            errors.Add("Given name is required.");
        }

        DateOnly birth = default;
        if (!values.TryGetValue("birth", out var b) || !DateOnly.TryParseExact(b, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out birth))
        {
            errors.Add("Date of birth is required as YYYY-MM-DD.");
        }

        var asOf = now;
        if (values.TryGetValue("asof", out var a))
        {
            if (DateOnly.TryParseExact(a, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                asOf = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1).AddTicks(-1);
            }
            else
            {
                errors.Add("As of must be a date (YYYY-MM-DD).");
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var subject = new SubjectIdentity
        {
            FamilyName = values["family"],
            GivenName = values["given"],
            BirthDate = birth,
            Sex = values.GetValueOrDefault("sex"),
            Phone = values.GetValueOrDefault("phone"),
            HomeAddress = values.TryGetValue("zip", out var zip) ? new PostalAddress { Zip = zip } : null,
        };
        return (new AccountingRequest(subject, asOf, values), errors);
    }

    private static async Task<(AccountingRequest? Request, IReadOnlyList<string> Errors, AccountingReport? Report)> BuildAsync(HttpContext ctx)
    {
        var services = ctx.RequestServices;
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        var (request, errors) = Parse(form, services.GetRequiredService<TimeProvider>().GetUtcNow());
        if (request is null)
        {
            return (null, errors, null);
        }

        var recipients = services.GetRequiredService<IOptions<RecipientsOptions>>().Value.Recipients;
        var pseudonyms = PersonPseudonyms.For(services.GetRequiredService<IPersonTokenizer>(), request.Subject, recipients);
        var directory = recipients.ToDictionary(
            r => r.Id, r => new RecipientContact(r.Id, string.IsNullOrWhiteSpace(r.Name) ? r.Id : r.Name, r.Address), StringComparer.Ordinal);
        var report = await services.GetRequiredService<DisclosureAccounting>().BuildAsync(pseudonyms, request.AsOfUtc, directory, ctx.RequestAborted).ConfigureAwait(false);
        return (request, errors, report);
    }

    /// <summary>The run or download as a ledger entry: who, counts, whether a CSV left the hub. No identity.</summary>
    private static async Task RecordAsync(HttpContext ctx, ILedger ledger, AccountingReport report, bool csv) =>
        await ledger.AppendAsync(
            [
                new LedgerEntryDraft
                {
                    Actor = ctx.User.Identity?.Name ?? "console",
                    Action = LedgerActions.Viewed,
                    DetailsJson = JsonSerializer.Serialize(
                        new { page = csv ? "audit/accounting.csv" : "audit/accounting", kind = "accounting-of-disclosures", lines = report.Lines.Count, disclosures = report.Disclosures, csv },
                        HubJson.Options),
                },
            ],
            ctx.RequestAborted).ConfigureAwait(false);

    private static async Task<IResult> RunAsync(HttpContext ctx, ILedger ledger, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ConsoleAccountingPages));
        if (await ConsoleEndpoints.AntiforgeryFailsAsync(ctx, antiforgery, logger).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var (request, errors, report) = await BuildAsync(ctx).ConfigureAwait(false);
        var body = new Html();
        if (request is null || report is null)
        {
            foreach (var error in errors)
            {
                body.Raw("<p class=\"error\" role=\"alert\">").Text(error).Raw("</p>");
            }

            Form(body, ctx, antiforgery, new Dictionary<string, string>());
            return Html.Page(ctx, "Accounting of disclosures", body, StatusCodes.Status400BadRequest);
        }

        await RecordAsync(ctx, ledger, report, csv: false).ConfigureAwait(false);
        Log.AccountingRun(logger, report.Lines.Count, report.Disclosures, false);
        body.Raw("<section aria-labelledby=\"report-h\"><h2 id=\"report-h\">Report</h2><p id=\"accounting-summary\" role=\"status\">")
            .Text(string.Create(CultureInfo.InvariantCulture, $"Period {report.FromUtc:yyyy-MM-dd} to {report.ToUtc:yyyy-MM-dd} (UTC): {report.Disclosures} disclosures in {report.Lines.Count} lines."))
            .Raw("</p>");
        if (report.ExcludedLimitedDataSet > 0)
        {
            body.Raw("<p>").Text(string.Create(CultureInfo.InvariantCulture, $"Not listed: {report.ExcludedLimitedDataSet} limited-data-set disclosures (exempt from accounting).")).Raw("</p>");
        }

        body.Raw("<table class=\"stack\" id=\"accounting-lines\"><thead><tr><th scope=\"col\">First</th><th scope=\"col\">Last</th><th scope=\"col\">Count</th>")
            .Raw("<th scope=\"col\">Recipient</th><th scope=\"col\">Address</th><th scope=\"col\">Purpose</th><th scope=\"col\">Information disclosed</th><th scope=\"col\">Agreements</th></tr></thead><tbody>");
        foreach (var line in report.Lines)
        {
            body.Raw("<tr><td data-label=\"First\">").Time(line.FirstUtc).Raw("</td><td data-label=\"Last\">").Time(line.LastUtc)
                .Raw("</td><td data-label=\"Count\">").Text(line.Count).Raw("</td><td data-label=\"Recipient\">").Text(line.RecipientName)
                .Raw("</td><td data-label=\"Address\">").Text(line.RecipientAddress).Raw("</td><td data-label=\"Purpose\">").Text(line.Purpose)
                .Raw("</td><td data-label=\"Information disclosed\">").Text(line.Description)
                .Raw("</td><td data-label=\"Agreements\">").Text(string.Join("; ", line.Agreements)).Raw("</td></tr>");
        }

        body.Raw("</tbody></table></section>");
        body.El("h2", "Run again or download");
        Form(body, ctx, antiforgery, request.Values);
        return Html.Page(ctx, "Accounting of disclosures", body);
    }

    private static async Task<IResult> CsvAsync(HttpContext ctx, ILedger ledger, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ConsoleAccountingPages));
        if (await ConsoleEndpoints.AntiforgeryFailsAsync(ctx, antiforgery, logger).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var (request, errors, report) = await BuildAsync(ctx).ConfigureAwait(false);
        if (request is null || report is null)
        {
            return Results.Text(string.Join(' ', errors), "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        DisclosureAccounting.WriteCsv(report, writer);
        await RecordAsync(ctx, ledger, report, csv: true).ConfigureAwait(false);
        Log.AccountingRun(logger, report.Lines.Count, report.Disclosures, true);
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.Headers.XContentTypeOptions = "nosniff";
        var name = string.Create(CultureInfo.InvariantCulture, $"accounting-of-disclosures-{report.ToUtc:yyyy-MM-dd}.csv");
        return Results.File(new UTF8Encoding(false).GetBytes(writer.ToString()), "text/csv; charset=utf-8", name);
    }

    // ---- disclosures per recipient per week -----------------------------------------------------------------------

    private static async Task<IResult> ChartAsync(HttpContext ctx, ConsoleQueries queries, ILedger ledger, TimeProvider clock)
    {
        var weeks = int.TryParse(ctx.Request.Query["weeks"], NumberStyles.None, CultureInfo.InvariantCulture, out var w) && w is >= 1 and <= 104 ? w : DefaultWeeks;
        var thisWeek = ConsoleQueries.WeekStart(clock.GetUtcNow());
        var first = thisWeek.AddDays(-7 * (weeks - 1));
        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = new DateTimeOffset(thisWeek.AddDays(7).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var data = await queries.DisclosuresPerWeekAsync(from, to, ctx.RequestAborted).ConfigureAwait(false);
        await ConsoleEndpoints.ViewedAsync(ctx, ledger, "audit/disclosures").ConfigureAwait(false);

        var weekList = Enumerable.Range(0, weeks).Select(i => first.AddDays(7 * i)).ToList();
        var recipients = data.Select(d => d.RecipientId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var counts = data.ToDictionary(d => (d.WeekStartUtc, d.RecipientId), d => d.Count);
        var body = new Html();
        body.Raw("<form method=\"get\" action=\"/console/audit/disclosures\" class=\"filters\">")
            .Input("weeks", "Weeks", weeks.ToString(CultureInfo.InvariantCulture), "number", "min=\"1\" max=\"104\"")
            .Raw("<div class=\"field\"><button type=\"submit\">Show</button></div></form>")
            .Raw("<p id=\"chart-summary\">").Text(string.Create(CultureInfo.InvariantCulture,
                $"{data.Sum(d => d.Count)} disclosures to {recipients.Count} recipients in the {weeks} weeks from {first:yyyy-MM-dd} (weeks start Monday, UTC)."))
            .Raw("</p>");
        Chart(body, weekList, recipients, counts);

        body.Raw("<h2 id=\"table-h\">The same data as a table</h2><table class=\"stack\" id=\"chart-table\" aria-labelledby=\"table-h\"><thead><tr><th scope=\"col\">Week of</th>");
        foreach (var r in recipients)
        {
            body.Raw("<th scope=\"col\">").Text(r).Raw("</th>");
        }

        body.Raw("<th scope=\"col\">Total</th></tr></thead><tbody>");
        foreach (var week in weekList)
        {
            var label = week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            body.Raw("<tr data-week=\"").Text(label).Raw("\"><th scope=\"row\" data-label=\"Week of\">").Text(label).Raw("</th>");
            var total = 0;
            foreach (var r in recipients)
            {
                var n = counts.GetValueOrDefault((week, r));
                total += n;
                body.Raw("<td data-label=\"").Text(r).Raw("\" data-recipient=\"").Text(r).Raw("\">").Text(n).Raw("</td>");
            }

            body.Raw("<td data-label=\"Total\">").Text(total).Raw("</td></tr>");
        }

        body.Raw("</tbody></table>");
        return Html.Page(ctx, "Disclosures per recipient per week", body);
    }

    /// <summary>A grouped bar chart as inline SVG (no script): one group per week, one bar per recipient.</summary>
    internal static void Chart(Html body, IReadOnlyList<DateOnly> weeks, IReadOnlyList<string> recipients, IReadOnlyDictionary<(DateOnly, string), int> counts)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(weeks);
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(counts);
        const double Width = 760, Height = 320, Left = 48, Right = 12, Top = 16, Bottom = 56;
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        var max = Math.Max(1, counts.Count == 0 ? 0 : counts.Values.Max());
        var step = NiceStep(max);
        var top = Math.Ceiling(max / (double)step) * step;
        string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

        body.Raw("<figure><svg class=\"chart\" id=\"disclosure-chart\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" viewBox=\"0 0 ")
            .Raw(N(Width)).Raw(" ").Raw(N(Height)).Raw("\" width=\"").Raw(N(Width)).Raw("\" height=\"").Raw(N(Height)).Raw("\" xmlns=\"http://www.w3.org/2000/svg\">")
            .Raw("<title id=\"chart-title\">Disclosures per recipient per week</title><desc id=\"chart-desc\">Grouped bars, one group per week, one bar per recipient; the table below has the same numbers.</desc>");
        for (var t = 0.0; t <= top; t += step)
        {
            var y = Top + plotH - (t / top * plotH);
            body.Raw("<line x1=\"").Raw(N(Left)).Raw("\" x2=\"").Raw(N(Width - Right)).Raw("\" y1=\"").Raw(N(y)).Raw("\" y2=\"").Raw(N(y)).Raw("\" stroke=\"#c8c8c8\"/>")
                .Raw("<text x=\"").Raw(N(Left - 6)).Raw("\" y=\"").Raw(N(y + 4)).Raw("\" text-anchor=\"end\">").Raw(N(t)).Raw("</text>");
        }

        var groupW = plotW / Math.Max(1, weeks.Count);
        var barW = groupW * 0.8 / Math.Max(1, recipients.Count);
        for (var i = 0; i < weeks.Count; i++)
        {
            var gx = Left + (i * groupW) + (groupW * 0.1);
            var week = weeks[i].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            for (var j = 0; j < recipients.Count; j++)
            {
                var n = counts.GetValueOrDefault((weeks[i], recipients[j]));
                if (n == 0)
                {
                    continue;
                }

                var h = n / top * plotH;
                body.Raw("<rect class=\"bar\" x=\"").Raw(N(gx + (j * barW))).Raw("\" y=\"").Raw(N(Top + plotH - h)).Raw("\" width=\"").Raw(N(Math.Max(1, barW - 1)))
                    .Raw("\" height=\"").Raw(N(h)).Raw("\" fill=\"").Raw(Palette[j % Palette.Length]).Raw("\" data-recipient=\"").Text(recipients[j])
                    .Raw("\" data-week=\"").Raw(week).Raw("\" data-count=\"").Text(n).Raw("\"><title>").Text(recipients[j]).Raw(", week of ").Raw(week).Raw(": ").Text(n).Raw("</title></rect>");
            }

            if (weeks.Count <= 16 || i % 2 == 0)
            {
                body.Raw("<text x=\"").Raw(N(gx + (groupW * 0.4))).Raw("\" y=\"").Raw(N(Height - Bottom + 16)).Raw("\" text-anchor=\"middle\">")
                    .Raw(weeks[i].ToString("MM-dd", CultureInfo.InvariantCulture)).Raw("</text>");
            }
        }

        body.Raw("<line x1=\"").Raw(N(Left)).Raw("\" x2=\"").Raw(N(Width - Right)).Raw("\" y1=\"").Raw(N(Top + plotH)).Raw("\" y2=\"").Raw(N(Top + plotH)).Raw("\" stroke=\"#1a1a1a\"/>")
            .Raw("<text x=\"").Raw(N(Left + (plotW / 2))).Raw("\" y=\"").Raw(N(Height - 12)).Raw("\" text-anchor=\"middle\">Week starting (month-day, UTC)</text></svg>")
            .Raw("<figcaption><ul class=\"legend\">");
        for (var j = 0; j < recipients.Count; j++)
        {
            body.Raw("<li><svg width=\"16\" height=\"16\" aria-hidden=\"true\"><rect width=\"16\" height=\"16\" fill=\"").Raw(Palette[j % Palette.Length])
                .Raw("\"/></svg> ").Text(recipients[j]).Raw("</li>");
        }

        body.Raw("</ul></figcaption></figure>");
    }

    private static int NiceStep(int max)
    {
        if (max <= 5)
        {
            return 1;
        }

        var power = (int)Math.Pow(10, Math.Floor(Math.Log10(max)));
        return max / power <= 2 ? power / 2 : max / power <= 5 ? power : power * 2;
    }
}
