using System.Text.Json;
using Hub.Audit.Ledger;
using Microsoft.Playwright;

namespace Hub.Host.Tests.Console;

/// <summary>The web console in a real browser (Debian Chromium, headless) against the hub on loopback.</summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ConsoleBrowserTests(ConsoleHub hub)
{
    [Fact]
    public async Task Given_a_recipient_When_it_signs_in_Then_the_inbox_lists_only_its_agency_grouped_by_episode_and_the_view_is_ledgered()
    {
        var page = await hub.SignInAsync("alice");
        Assert.EndsWith("/console/inbox", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Exact = true })).ToBeVisibleAsync();

        var rows = page.Locator("tr[data-notification]");
        var ids = new List<string>();
        foreach (var row in await rows.AllAsync())
        {
            ids.Add((await row.GetAttributeAsync("data-notification"))!);
        }

        Assert.Equal(
            new[] { hub.EpisodeThree, hub.EpisodeOneV2, hub.EpisodeOneV1, hub.EpisodeTwo }.Select(g => g.ToString()),
            ids);
        Assert.DoesNotContain(hub.OtherAgency.ToString(), await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(3, await page.Locator("section.episode").CountAsync());

        // Spike alerts are listed apart, only the agency's own.
        var spikes = page.Locator("#spike-alerts tbody tr");
        Assert.Equal(1, await spikes.CountAsync());
        Assert.Equal(hub.SpikeA.ToString(), await spikes.First.GetAttributeAsync("data-spike"));
        await Assertions.Expect(spikes.First).ToContainTextAsync("Montgomery County, PA");
        Assert.DoesNotContain("Bucks County", await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator($"tr[data-notification='{hub.EpisodeOneV1}'] .superseded")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator($"tr[data-notification='{hub.EpisodeOneV2}'] .superseded").CountAsync());
        await ConsoleHub.ScreenshotAsync(page, "inbox");

        var ledger = await hub.LedgerAsync();
        Assert.Contains(ledger, e => e.Content.Action == LedgerActions.Viewed && e.Content.Actor == "alice" && e.Content.RecipientId == ConsoleHub.AgencyA
            && e.Content.DetailsJson == "{\"page\":\"inbox\"}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_recipient_When_it_opens_and_acknowledges_a_notification_Then_the_disclosed_fields_show_encoded_and_the_ledger_has_the_acknowledgment()
    {
        var page = await hub.SignInAsync("alice");
        await page.GetByRole(AriaRole.Link, new() { Name = "Open " + hub.EpisodeTwo.ToString()[..8] }).ClickAsync();
        await Assertions.Expect(page.Locator("#ack-status")).ToHaveTextAsync("not acknowledged");
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Disclosed fields" });
        await Assertions.Expect(table.GetByRole(AriaRole.Row).Filter(new() { HasText = "subject.familyName" })).ToContainTextAsync("Marsh");

        // A value that looks like markup is shown as text, never rendered.
        await Assertions.Expect(table.GetByRole(AriaRole.Row).Filter(new() { HasText = "subject.givenName" })).ToContainTextAsync("<b>Test</b>");
        Assert.Equal(0, await page.Locator("main b").CountAsync());
        await ConsoleHub.ScreenshotAsync(page, "notification");

        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Assertions.Expect(page.Locator("#ack-status")).ToHaveTextAsync("acknowledged");

        var ack = Assert.Single(await hub.LedgerAsync(), e => e.Content.Action == LedgerActions.Acknowledged && e.Content.CorrelationId == hub.EpisodeTwo.ToString());
        Assert.Equal(ConsoleHub.AgencyA, ack.Content.Actor);
        Assert.Equal(ConsoleHub.AgencyA, ack.Content.RecipientId);
        using var details = JsonDocument.Parse(ack.Content.DetailsJson!);
        Assert.Equal("alice", details.RootElement.GetProperty("by").GetString());
        Assert.Equal("console", details.RootElement.GetProperty("channel").GetString());

        // The page shows the ledger entry it wrote, read back from the ledger.
        await Assertions.Expect(page.Locator("#feedback tr[data-action='acknowledged']")).ToContainTextAsync("alice");

        await page.GotoAsync("/console/inbox");
        await Assertions.Expect(page.Locator($"tr[data-notification='{hub.EpisodeTwo}'] .ok")).ToHaveTextAsync("acknowledged");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_recipient_of_agency_A_When_it_asks_for_agency_B_notification_by_url_or_api_Then_it_gets_404_and_no_data()
    {
        var page = await hub.SignInAsync("alice");
        var other = hub.OtherAgency.ToString();

        var byUrl = await page.GotoAsync("/console/inbox/" + other);
        Assert.Equal(404, byUrl!.Status);
        Assert.DoesNotContain("Otherside", await page.ContentAsync(), StringComparison.Ordinal);

        var byApi = await page.Context.APIRequest.GetAsync("/console/api/notifications/" + other);
        Assert.Equal(404, byApi.Status);
        Assert.DoesNotContain("Otherside", await byApi.TextAsync(), StringComparison.Ordinal);

        var list = await page.Context.APIRequest.GetAsync("/console/api/notifications");
        Assert.Equal(200, list.Status);
        var listed = JsonDocument.Parse(await list.TextAsync()).RootElement.EnumerateArray().Select(e => e.GetProperty("notificationId").GetString()).ToList();
        Assert.Equal(4, listed.Count);
        Assert.DoesNotContain(other, listed);

        var own = await page.Context.APIRequest.GetAsync("/console/api/notifications/" + hub.EpisodeOneV2);
        Assert.Equal(200, own.Status);
        Assert.Contains("Quill", await own.TextAsync(), StringComparison.Ordinal);

        // Agency B's own user does see it: the 404 above is scoping, not a missing row.
        var bob = await hub.SignInAsync("bob");
        var bobs = await bob.Context.APIRequest.GetAsync("/console/api/notifications/" + other);
        Assert.Equal(200, bobs.Status);

        // A recipient is not an auditor.
        var audit = await page.GotoAsync("/console/audit");
        Assert.Equal(403, audit!.Status);
        await page.Context.CloseAsync();
        await bob.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_privacy_officer_When_it_searches_the_ledger_and_verifies_the_chain_Then_it_sees_the_disclosures_and_an_intact_chain()
    {
        var page = await hub.SignInAsync("olivia");
        Assert.EndsWith("/console/audit", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Recipient").FillAsync(ConsoleHub.AgencyA);
        await page.GetByLabel("Action").SelectOptionAsync(LedgerActions.Disclosed);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.WaitForURLAsync("**/console/audit?*");

        // Four notifications and one spike alert were disclosed to agency A.
        var rows = page.Locator("#ledger-results tbody tr");
        Assert.Equal(5, await rows.CountAsync());
        foreach (var row in await rows.AllAsync())
        {
            await Assertions.Expect(row).ToContainTextAsync(ConsoleHub.AgencyA);
            await Assertions.Expect(row).ToContainTextAsync(LedgerActions.Disclosed);
        }

        await ConsoleHub.ScreenshotAsync(page, "audit");

        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the ledger chain" }).ClickAsync();
        await Assertions.Expect(page.Locator("#verify-result")).ToHaveTextAsync("The ledger chain is intact.");
        await ConsoleHub.ScreenshotAsync(page, "audit-verify");

        Assert.Contains(await hub.LedgerAsync(), e => e.Content.Action == LedgerActions.Viewed && e.Content.Actor == "olivia" && e.Content.DetailsJson == "{\"page\":\"audit/verify\"}");
        var inbox = await page.GotoAsync("/console/inbox");
        Assert.Equal(403, inbox!.Status);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_feed_admin_When_it_opens_feeds_Then_it_sees_the_last_input_counts_and_rejects_with_reason_and_location()
    {
        var page = await hub.SignInAsync("fran", width: 390);
        Assert.EndsWith("/console/feeds", page.Url, StringComparison.Ordinal);
        var feed = page.Locator("section.episode").Filter(new() { HasText = ConsoleHub.FeedId });
        await Assertions.Expect(feed).ToContainTextAsync("calls-2026-11-20.csv");
        await Assertions.Expect(feed).ToContainTextAsync("call type is empty");
        await Assertions.Expect(feed).ToContainTextAsync("line 17, column CallType");
        await ConsoleHub.ScreenshotAsync(page, "feeds-phone");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_wrong_password_When_signing_in_Then_it_is_refused_and_no_page_opens()
    {
        var page = await hub.SignInAsync("alice", "not the password!");
        Assert.EndsWith("/console/signin", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The user name or password is not right.");
        await ConsoleHub.ScreenshotAsync(page, "signin-refused");

        var inbox = await page.GotoAsync("/console/inbox");
        Assert.EndsWith("/console/signin?ReturnUrl=%2Fconsole%2Finbox", page.Url, StringComparison.Ordinal);
        Assert.Equal(200, inbox!.Status);
        var api = await page.Context.APIRequest.GetAsync("/console/api/notifications");
        Assert.Equal(401, api.Status);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_post_without_the_antiforgery_token_When_it_arrives_Then_it_is_refused_with_400()
    {
        var page = await hub.SignInAsync("alice");
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("nothing", "here");
        var response = await page.Context.APIRequest.PostAsync($"/console/inbox/{hub.EpisodeOneV1}/acknowledge", new() { Form = form });
        Assert.Equal(400, response.Status);
        Assert.DoesNotContain(await hub.LedgerAsync(), e => e.Content.Action == LedgerActions.Acknowledged && e.Content.CorrelationId == hub.EpisodeOneV1.ToString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_recipient_When_it_reports_an_outreach_outcome_Then_the_feedback_recorder_writes_it_and_the_notification_shows_it()
    {
        var page = await hub.SignInAsync("alice");
        await page.GotoAsync("/console/inbox/" + hub.EpisodeThree);
        await Assertions.Expect(page.Locator("#feedback-none")).ToBeVisibleAsync();
        await page.GetByLabel("Outreach outcome", new() { Exact = true }).SelectOptionAsync("ReferredToTreatment");
        await page.GetByRole(AriaRole.Button, new() { Name = "Report outcome" }).ClickAsync();
        var row = page.Locator("#feedback tr[data-action='outcome-reported']");
        await Assertions.Expect(row.Locator(".outcome")).ToHaveTextAsync("ReferredToTreatment");
        await Assertions.Expect(row).ToContainTextAsync("alice");
        await Assertions.Expect(row).ToContainTextAsync("console");
        await ConsoleHub.ScreenshotAsync(page, "notification-outcome");

        // The same entry FeedbackRecorder writes for an outcome that arrives over the bus: actor and recipient the agency.
        var entry = Assert.Single(await hub.LedgerAsync(), e => e.Content.Action == LedgerActions.OutcomeReported && e.Content.CorrelationId == hub.EpisodeThree.ToString());
        Assert.Equal(ConsoleHub.AgencyA, entry.Content.Actor);
        Assert.Equal(ConsoleHub.AgencyA, entry.Content.RecipientId);
        using (var details = JsonDocument.Parse(entry.Content.DetailsJson!))
        {
            Assert.Equal("ReferredToTreatment", details.RootElement.GetProperty("outcome").GetString());
            Assert.Equal("alice", details.RootElement.GetProperty("by").GetString());
        }

        var api = await page.Context.APIRequest.GetAsync($"/console/api/notifications/{hub.EpisodeThree}/feedback");
        Assert.Equal(200, api.Status);
        var reported = JsonDocument.Parse(await api.TextAsync()).RootElement.EnumerateArray().Single(e => e.GetProperty("action").GetString() == LedgerActions.OutcomeReported);
        Assert.Equal("ReferredToTreatment", reported.GetProperty("outcome").GetString());

        // An outcome code the contract does not define is refused, nothing written.
        var token = await page.Locator("input[name='__af']").First.GetAttributeAsync("value");
        var bad = page.Context.APIRequest.CreateFormData();
        bad.Set("__af", token!);
        bad.Set("outcome", "Arrested");
        Assert.Equal(400, (await page.Context.APIRequest.PostAsync($"/console/inbox/{hub.EpisodeThree}/outcome", new() { Form = bad })).Status);
        Assert.Single(await hub.LedgerAsync(), e => e.Content.Action == LedgerActions.OutcomeReported && e.Content.CorrelationId == hub.EpisodeThree.ToString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_agency_A_When_it_reports_an_outcome_or_reads_feedback_or_a_spike_alert_of_agency_B_Then_404_and_nothing_is_written()
    {
        var page = await hub.SignInAsync("alice");
        var token = await page.Locator("input[name='__af']").First.GetAttributeAsync("value");
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("__af", token!);
        form.Set("outcome", "Contacted");

        var outcome = await page.Context.APIRequest.PostAsync($"/console/inbox/{hub.OtherAgency}/outcome", new() { Form = form });
        Assert.Equal(404, outcome.Status);
        Assert.DoesNotContain("Otherside", await outcome.TextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await hub.LedgerAsync(), e => e.Content.Action == LedgerActions.OutcomeReported && e.Content.CorrelationId == hub.OtherAgency.ToString());

        var feedback = await page.Context.APIRequest.GetAsync($"/console/api/notifications/{hub.OtherAgency}/feedback");
        Assert.Equal(404, feedback.Status);

        // Agency B's spike alert: by URL and by API, 404; agency A's own: 200.
        Assert.Equal(404, (await page.GotoAsync("/console/inbox/" + hub.SpikeB))!.Status);
        Assert.DoesNotContain("Bucks County", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(404, (await page.Context.APIRequest.GetAsync("/console/api/notifications/" + hub.SpikeB)).Status);
        var spikes = JsonDocument.Parse(await (await page.Context.APIRequest.GetAsync("/console/api/spikes")).TextAsync()).RootElement;
        Assert.Equal(new[] { hub.SpikeA.ToString() }, spikes.EnumerateArray().Select(s => s.GetProperty("alertId").GetString()));
        Assert.Equal(200, (await page.GotoAsync("/console/inbox/" + hub.SpikeA))!.Status);

        // A recipient cannot run the accounting or see the disclosure chart, by page or by POST.
        Assert.Equal(403, (await page.GotoAsync("/console/audit/accounting"))!.Status);
        Assert.Equal(403, (await page.GotoAsync("/console/audit/disclosures"))!.Status);
        var csv = page.Context.APIRequest.CreateFormData();
        csv.Set("family", "Quill");
        csv.Set("given", "Ada");
        csv.Set("birth", "1988-03-14");
        var download = await page.Context.APIRequest.PostAsync("/console/audit/accounting.csv", new() { Form = csv, MaxRedirects = 0 });
        Assert.NotEqual(200, download.Status);
        Assert.DoesNotContain("first_disclosure_utc", await download.TextAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();

        // Bob does get his own spike alert and map, never agency A's.
        var bob = await hub.SignInAsync("bob");
        var bobs = JsonDocument.Parse(await (await bob.Context.APIRequest.GetAsync("/console/api/spikes")).TextAsync()).RootElement;
        Assert.Equal(new[] { hub.SpikeB.ToString() }, bobs.EnumerateArray().Select(s => s.GetProperty("alertId").GetString()));
        var bobMap = JsonDocument.Parse(await (await bob.Context.APIRequest.GetAsync("/console/api/map")).TextAsync()).RootElement;
        Assert.Equal(new[] { hub.OtherAgency.ToString() }, bobMap.EnumerateArray().Select(f => f.GetProperty("notificationId").GetString()));
        await bob.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_recipient_When_it_opens_the_map_Then_only_its_own_disclosed_points_and_cells_are_drawn_at_the_disclosed_precision()
    {
        var page = await hub.SignInAsync("alice");
        await page.GotoAsync("/console/map");
        await Assertions.Expect(page.Locator("#map[data-ready]")).ToHaveAttributeAsync("data-ready", "2");
        Assert.True(await page.EvaluateAsync<bool>("typeof L !== 'undefined' && L.version === '1.9.4'"));
        await Assertions.Expect(page.Locator("#map .leaflet-control-scale")).ToBeVisibleAsync();

        // Episode two's displaced point as a circle marker; episode one's newest version as its grid cell; episode three
        // (tract only) and the superseded version are not drawn; agency B's point is nowhere.
        var drawn = new Dictionary<string, string>();
        foreach (var shape in await page.Locator("#map [data-notification]").AllAsync())
        {
            drawn[(await shape.GetAttributeAsync("data-notification"))!] = (await shape.GetAttributeAsync("class"))!;
        }

        Assert.Equal(new[] { hub.EpisodeOneV2.ToString(), hub.EpisodeTwo.ToString() }.Order(StringComparer.Ordinal), drawn.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("hub-perturbed", drawn[hub.EpisodeTwo.ToString()], StringComparison.Ordinal);
        Assert.Contains("hub-cell", drawn[hub.EpisodeOneV2.ToString()], StringComparison.Ordinal);

        // The map's data is the disclosed coordinates, unchanged and no finer.
        using var island = JsonDocument.Parse(await page.Locator("#map-data").TextContentAsync() ?? "");
        var features = island.RootElement.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("id").GetString()!);
        Assert.Equal(ConsoleHub.CellCentre.Lat, features[hub.EpisodeOneV2.ToString()].GetProperty("lat").GetDouble());
        Assert.Equal(ConsoleHub.CellCentre.Lon, features[hub.EpisodeOneV2.ToString()].GetProperty("lon").GetDouble());
        Assert.Equal(0.01, features[hub.EpisodeOneV2.ToString()].GetProperty("cellDegrees").GetDouble());
        Assert.Equal(ConsoleHub.PerturbedPoint.Lat, features[hub.EpisodeTwo.ToString()].GetProperty("lat").GetDouble());

        var table = page.Locator("#map-events tbody tr");
        Assert.Equal(3, await table.CountAsync());
        await Assertions.Expect(page.Locator($"#map-events tr[data-notification='{hub.EpisodeThree}']")).ToContainTextAsync("census tract 42091203800");
        await Assertions.Expect(page.Locator($"#map-events tr[data-notification='{hub.EpisodeThree}']")).ToContainTextAsync("no point disclosed");
        var html = await page.ContentAsync();
        Assert.DoesNotContain(hub.OtherAgency.ToString(), html, StringComparison.Ordinal);
        Assert.DoesNotContain("40.3101", html, StringComparison.Ordinal);
        Assert.DoesNotContain(hub.EpisodeOneV1.ToString(), html, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#spike-alerts")).ToContainTextAsync("Montgomery County, PA");
        await ConsoleHub.ScreenshotAsync(page, "map");

        Assert.Contains(await hub.LedgerAsync(), e => e.Content.Action == LedgerActions.Viewed && e.Content.Actor == "alice" && e.Content.DetailsJson == "{\"page\":\"map\"}");
        await page.Context.CloseAsync();

        var phone = await hub.SignInAsync("alice", width: 390);
        await phone.GotoAsync("/console/map");
        await Assertions.Expect(phone.Locator("#map[data-ready]")).ToHaveAttributeAsync("data-ready", "2");
        await ConsoleHub.ScreenshotAsync(phone, "map-phone");
        await phone.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_privacy_officer_When_it_runs_the_accounting_and_downloads_the_csv_Then_both_list_the_seeded_disclosures_and_are_ledgered_without_identity()
    {
        var page = await hub.SignInAsync("olivia");
        await page.GotoAsync("/console/audit/accounting");
        await page.GetByLabel("Family name").FillAsync("Quill");
        await page.GetByLabel("Given name").FillAsync("Ada");
        await page.GetByLabel("Date of birth").FillAsync("1988-03-14");
        await page.GetByLabel("Sex as recorded (optional, e.g. F or M)").FillAsync("F");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the accounting" }).ClickAsync();
        await Assertions.Expect(page.Locator("#accounting-summary")).ToContainTextAsync("2 disclosures in 1 lines");
        var line = page.Locator("#accounting-lines tbody tr");
        await Assertions.Expect(line).ToHaveCountAsync(1);
        await Assertions.Expect(line).ToContainTextAsync(ConsoleHub.AgencyAName);
        await Assertions.Expect(line).ToContainTextAsync("subject.familyName, subject.givenName, event.occurredAt");
        await ConsoleHub.ScreenshotAsync(page, "accounting");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }).ClickAsync());
        Assert.StartsWith("accounting-of-disclosures-", download.SuggestedFilename, StringComparison.Ordinal);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);

        // Expected from the ledger itself: episode one's two disclosures to agency A.
        var ledger = await hub.LedgerAsync();
        var disclosed = ledger.Where(e => e.Content.Action == LedgerActions.Disclosed
            && (e.Content.CorrelationId == hub.EpisodeOneV1.ToString() || e.Content.CorrelationId == hub.EpisodeOneV2.ToString())).OrderBy(e => e.Sequence).ToList();
        Assert.Equal(2, disclosed.Count);
        static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            "first_disclosure_utc,last_disclosure_utc,count,recipient,recipient_address,purpose,description,agreements\r\n"
            + $"{Utc(disclosed[0].TimestampUtc)},{Utc(disclosed[1].TimestampUtc)},2,{ConsoleHub.AgencyAName},\"{ConsoleHub.AgencyAAddress}\",PUBHLTH,"
            + $"\"subject.familyName, subject.givenName, event.occurredAt\",dsa-{ConsoleHub.AgencyA}\r\n",
            csv);

        // Someone else's identity finds nothing.
        await page.GotoAsync("/console/audit/accounting");
        await page.GetByLabel("Family name").FillAsync("Quill");
        await page.GetByLabel("Given name").FillAsync("Ada");
        await page.GetByLabel("Date of birth").FillAsync("1988-03-15");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the accounting" }).ClickAsync();
        await Assertions.Expect(page.Locator("#accounting-summary")).ToContainTextAsync("0 disclosures in 0 lines");

        // Each run and the download are ledger entries with counts only; the identity is nowhere in the ledger.
        ledger = await hub.LedgerAsync();
        var runs = ledger.Where(e => e.Content.Action == LedgerActions.Viewed && e.Content.Actor == "olivia" && e.Content.DetailsJson!.Contains("accounting-of-disclosures", StringComparison.Ordinal)).ToList();
        Assert.Contains(runs, e => e.Content.DetailsJson!.Contains("\"disclosures\":2", StringComparison.Ordinal) && e.Content.DetailsJson.Contains("\"csv\":false", StringComparison.Ordinal));
        Assert.Contains(runs, e => e.Content.DetailsJson!.Contains("\"disclosures\":2", StringComparison.Ordinal) && e.Content.DetailsJson.Contains("\"csv\":true", StringComparison.Ordinal));
        Assert.Contains(runs, e => e.Content.DetailsJson!.Contains("\"disclosures\":0", StringComparison.Ordinal));
        Assert.All(ledger, e => Assert.DoesNotContain("1988-03-1", JsonSerializer.Serialize(e.Content), StringComparison.Ordinal));
        Assert.All(ledger.Where(e => e.Content.Action == LedgerActions.Viewed), e => Assert.DoesNotContain("Quill", JsonSerializer.Serialize(e.Content), StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_privacy_officer_When_it_opens_the_disclosures_chart_Then_the_svg_bars_and_the_table_match_the_ledger()
    {
        var page = await hub.SignInAsync("olivia");
        await page.GotoAsync("/console/audit/disclosures");
        var ledger = await hub.LedgerAsync();
        foreach (var agency in new[] { ConsoleHub.AgencyA, ConsoleHub.AgencyB })
        {
            var expected = ledger.Count(e => e.Content.Action == LedgerActions.Disclosed && e.Content.RecipientId == agency);
            var bars = 0;
            foreach (var bar in await page.Locator($"#disclosure-chart rect.bar[data-recipient='{agency}']").AllAsync())
            {
                bars += int.Parse((await bar.GetAttributeAsync("data-count"))!, System.Globalization.CultureInfo.InvariantCulture);
            }

            var cells = 0;
            foreach (var cell in await page.Locator($"#chart-table td[data-recipient='{agency}']").AllAsync())
            {
                cells += int.Parse(await cell.TextContentAsync() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            }

            Assert.Equal(expected, bars);
            Assert.Equal(expected, cells);
        }

        Assert.Equal(5, ledger.Count(e => e.Content.Action == LedgerActions.Disclosed && e.Content.RecipientId == ConsoleHub.AgencyA));
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Disclosures per recipient per week" })).ToBeVisibleAsync();
        await ConsoleHub.ScreenshotAsync(page, "disclosures-chart");
        Assert.Contains(ledger, e => e.Content.Action == LedgerActions.Viewed && e.Content.Actor == "olivia" && e.Content.DetailsJson == "{\"page\":\"audit/disclosures\"}");
        await page.Context.CloseAsync();
    }
}
