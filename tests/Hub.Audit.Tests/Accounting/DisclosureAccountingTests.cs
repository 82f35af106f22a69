using Hub.Audit.Accounting;
using Hub.Audit.Ledger;
using Hub.Audit.Tests.Reports;
using Hub.Audit.Tests.Storage;
using Hub.Testing.Postgres;

namespace Hub.Audit.Tests.Accounting;

public abstract class DisclosureAccountingTests(ITestEngine engine) : EngineTests(engine)
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Person = ["tok-a", "tok-a-ed"];

    private static readonly Dictionary<string, RecipientContact> Directory = new()
    {
        ["r-outreach"] = new("r-outreach", "Harbor County Outreach", "12 Quay Road, Harbor"),
        ["r-health"] = new("r-health", "State Health Department", null),
        ["r-evil"] = new("r-evil", "=HYPERLINK(\"http://x\",\"click\")", "1 Main St, Springfield"),
    };

    [Fact]
    public async Task Given_disclosures_over_seven_years_When_accounted_Then_exactly_the_six_year_window_is_listed_with_correct_summaries()
    {
        var clock = new ManualClock(AsOf.AddYears(-7));
        await using var db = await Engine.CreateAsync("accounting", clock);
        var written = await SeedAsync(db, clock);
        var accounting = new Hub.Audit.Accounting.DisclosureAccounting(db.Database, db.WrappedAuditOptions);

        var report = await accounting.BuildAsync(Person, AsOf, Directory, CancellationToken.None);

        var windowStart = AsOf.AddYears(-6);
        var expected = written
            .Where(w => Person.Contains(w.Draft.PersonPseudonym) && w.At >= windowStart && w.At <= AsOf && !w.Draft.Profile!.StartsWith("limited-data-set", StringComparison.Ordinal))
            .GroupBy(w => (w.Draft.RecipientId, w.Draft.Purpose))
            .ToDictionary(g => g.Key.RecipientId!, g => (First: g.Min(w => w.At), Last: g.Max(w => w.At), Count: g.Count()));

        Assert.Equal(windowStart, report.FromUtc);
        Assert.Equal(3, report.Lines.Count);
        Assert.Equal(expected.Values.Sum(v => v.Count), report.Disclosures);
        Assert.Equal(3, report.ExcludedLimitedDataSet);
        foreach (var line in report.Lines)
        {
            var (first, last, count) = expected[line.RecipientId];
            Assert.Equal(first, line.FirstUtc);
            Assert.Equal(last, line.LastUtc);
            Assert.Equal(count, line.Count);
            Assert.Equal(Directory[line.RecipientId].Name, line.RecipientName);
        }

        var outreach = report.Lines.Single(l => l.RecipientId == "r-outreach");
        Assert.True(outreach.Count > 60, "monthly disclosures over six years are summarized on one line");
        Assert.True(outreach.FirstUtc >= windowStart && outreach.FirstUtc < windowStart.AddDays(30));
        Assert.Equal("incident.time, incident.location, patient.name", outreach.Description);
        Assert.Equal(["dsa-2026-01"], outreach.Agreements);
        var health = report.Lines.Single(l => l.RecipientId == "r-health");
        Assert.Equal((windowStart.AddDays(1), AsOf.AddYears(-1), 2), (health.FirstUtc, health.LastUtc, health.Count));

        var text = Hub.Audit.Accounting.DisclosureAccounting.RenderText(report);
        Assert.Contains($"Repeated disclosures: {outreach.Count}, first {outreach.FirstUtc:yyyy-MM-dd}, last {outreach.LastUtc:yyyy-MM-dd}", text, StringComparison.Ordinal);
        Assert.Contains("Address: 12 Quay Road, Harbor", text, StringComparison.Ordinal);
        Assert.Contains("3 limited-data-set", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-a", text, StringComparison.Ordinal);

        using var csvText = new StringWriter();
        Hub.Audit.Accounting.DisclosureAccounting.WriteCsv(report, csvText);
        var rows = Rfc4180.Parse(csvText.ToString());
        Assert.Equal(4, rows.Count);
        Assert.Equal("recipient", rows[0][3]);
        var evil = rows.Single(r => r[3].Contains("HYPERLINK", StringComparison.Ordinal));
        Assert.Equal("'=HYPERLINK(\"http://x\",\"click\")", evil[3]);
        Assert.Equal("1 Main St, Springfield", evil[4]);
        Assert.Equal("'-2+3", evil[5]);
        Assert.All(rows.SelectMany(r => r), cell => Assert.False(cell.Length > 0 && "=+-@\t\r\n".Contains(cell[0], StringComparison.Ordinal)));
        Assert.Equal(outreach.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), rows.Single(r => r[3] == "Harbor County Outreach")[2]);
    }

    [Fact]
    public async Task Given_limited_data_set_exclusion_turned_off_When_accounted_Then_those_disclosures_are_listed()
    {
        var clock = new ManualClock(AsOf.AddYears(-7));
        await using var db = await Engine.CreateAsync("accounting-lds", clock);
        await SeedAsync(db, clock);
        db.AuditOptions.ExcludeLimitedDataSetFromAccounting = false;

        var report = await new Hub.Audit.Accounting.DisclosureAccounting(db.Database, db.WrappedAuditOptions).BuildAsync(Person, AsOf, Directory, CancellationToken.None);

        Assert.Equal(0, report.ExcludedLimitedDataSet);
        var lds = report.Lines.Single(l => l.RecipientId == "r-lds");
        Assert.Equal(3, lds.Count);
        Assert.Equal("unknown recipient (r-lds)", lds.RecipientName);
    }

    [Fact]
    public async Task Given_entries_of_one_action_When_the_latest_is_asked_Then_the_last_appended_is_returned_and_none_for_an_absent_action()
    {
        await using var db = await Engine.CreateAsync("latest");
        var queries = new DisclosureQueries(db.Database);
        Assert.Null(await queries.FindLatestAsync(LedgerActions.ConfigurationChanged, CancellationToken.None));
        await db.Ledger.AppendAsync(
            [
                new LedgerEntryDraft { Actor = "hub", Action = LedgerActions.ConfigurationChanged, DetailsJson = "{\"digest\":\"a\"}" },
                Drafts.Event(1),
                new LedgerEntryDraft { Actor = "hub", Action = LedgerActions.ConfigurationChanged, DetailsJson = "{\"digest\":\"b\"}" },
                Drafts.Event(2),
            ],
            CancellationToken.None);

        var latest = await queries.FindLatestAsync(LedgerActions.ConfigurationChanged, CancellationToken.None);

        Assert.NotNull(latest);
        Assert.Equal(3, latest.Sequence);
        Assert.Equal("{\"digest\":\"b\"}", latest.Content.DetailsJson);
    }

    [Fact]
    public async Task Given_disclosures_When_a_recipient_view_and_a_paged_search_are_asked_Then_they_return_exactly_the_matching_entries()
    {
        var clock = new ManualClock(AsOf.AddYears(-7));
        await using var db = await Engine.CreateAsync("queries", clock);
        var written = await SeedAsync(db, clock);
        var queries = new DisclosureQueries(db.Database);
        var from = AsOf.AddYears(-2);

        var view = await queries.ListByRecipientAsync("r-outreach", from, AsOf, CancellationToken.None);
        Assert.Equal(written.Count(w => w.Draft.RecipientId == "r-outreach" && w.At >= from && w.At < AsOf), view.Count);
        Assert.All(view, e => Assert.Equal(LedgerActions.Disclosed, e.Content.Action));

        var seen = new List<LedgerEntry>();
        var search = new LedgerSearch { AgreementId = "dsa-2026-01", Action = LedgerActions.Disclosed, PageSize = 7 };
        while (true)
        {
            var page = await queries.SearchAsync(search, CancellationToken.None);
            Assert.True(page.Entries.Count <= 7);
            seen.AddRange(page.Entries);
            if (page.NextAfterSequence is null)
            {
                break;
            }

            search = search with { AfterSequence = page.NextAfterSequence.Value };
        }

        Assert.Equal(written.Count, seen.Count);
        Assert.Equal(seen.Select(e => e.Sequence).Order(), seen.Select(e => e.Sequence));
        Assert.Equal(seen.Count, seen.Select(e => e.Sequence).Distinct().Count());
    }

    /// <summary>Appends the disclosures in time order, moving the clock; returns what was written and when.</summary>
    private static async Task<List<(DateTimeOffset At, LedgerEntryDraft Draft)>> SeedAsync(TestDatabase db, ManualClock clock)
    {
        var plan = new List<(DateTimeOffset At, LedgerEntryDraft Draft)>();
        var month = 0;
        for (var at = AsOf.AddYears(-7).AddDays(3); at <= AsOf; at = at.AddDays(30))
        {
            plan.Add((at, Drafts.Disclosure(Person[month++ % 2], "r-outreach")));
            plan.Add((at.AddHours(1), Drafts.Disclosure("tok-b", "r-outreach")));
        }

        var windowStart = AsOf.AddYears(-6);
        plan.Add((windowStart.AddDays(-1), Drafts.Disclosure("tok-a", "r-health", "surveillance")));
        plan.Add((windowStart.AddDays(1), Drafts.Disclosure("tok-a", "r-health", "surveillance")));
        plan.Add((AsOf.AddYears(-1), Drafts.Disclosure("tok-a-ed", "r-health", "surveillance")));
        plan.Add((AsOf.AddYears(-5), Drafts.Disclosure("tok-a", "r-lds", "research", "limited-data-set@2026-01-01")));
        plan.Add((AsOf.AddYears(-3), Drafts.Disclosure("tok-a", "r-lds", "research", "limited-data-set@2026-01-01")));
        plan.Add((AsOf.AddYears(-2), Drafts.Disclosure("tok-a", "r-lds", "research", "limited-data-set")));
        plan.Add((AsOf.AddDays(-10), Drafts.Disclosure("tok-a", "r-evil", "-2+3")));

        plan.Sort((a, b) => a.At.CompareTo(b.At));
        foreach (var (at, draft) in plan)
        {
            clock.Now = at;
            await db.Ledger.AppendAsync([draft, Drafts.Event(0) with { Action = LedgerActions.Viewed }], CancellationToken.None);
        }

        return plan;
    }
}

public sealed class SqliteDisclosureAccountingTests() : DisclosureAccountingTests(new SqliteEngine());

[Collection(PostgresNode.Collection)]
[Trait("Category", "Integration")]
public sealed class PostgresDisclosureAccountingTests(PostgresNode node) : DisclosureAccountingTests(new PostgresEngine(node));
