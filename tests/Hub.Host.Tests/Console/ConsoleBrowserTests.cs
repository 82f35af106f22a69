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
            new[] { hub.EpisodeOneV2, hub.EpisodeOneV1, hub.EpisodeTwo }.Select(g => g.ToString()),
            ids);
        Assert.DoesNotContain(hub.OtherAgency.ToString(), await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await page.Locator("section.episode").CountAsync());
        await Assertions.Expect(page.Locator($"tr[data-notification='{hub.EpisodeOneV1}'] .superseded")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator($"tr[data-notification='{hub.EpisodeOneV2}'] .superseded").CountAsync());
        await hub.ScreenshotAsync(page, "inbox");

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
        await hub.ScreenshotAsync(page, "notification");

        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Assertions.Expect(page.Locator("#ack-status")).ToHaveTextAsync("acknowledged");

        var ack = Assert.Single(await hub.LedgerAsync(), e => e.Content.Action == LedgerActions.Acknowledged && e.Content.CorrelationId == hub.EpisodeTwo.ToString());
        Assert.Equal(ConsoleHub.AgencyA, ack.Content.Actor);
        Assert.Equal(ConsoleHub.AgencyA, ack.Content.RecipientId);
        using var details = JsonDocument.Parse(ack.Content.DetailsJson!);
        Assert.Equal("alice", details.RootElement.GetProperty("by").GetString());

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
        Assert.Equal(3, listed.Count);
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

        var rows = page.Locator("#ledger-results tbody tr");
        Assert.Equal(3, await rows.CountAsync());
        foreach (var row in await rows.AllAsync())
        {
            await Assertions.Expect(row).ToContainTextAsync(ConsoleHub.AgencyA);
            await Assertions.Expect(row).ToContainTextAsync(LedgerActions.Disclosed);
        }

        await hub.ScreenshotAsync(page, "audit");

        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the ledger chain" }).ClickAsync();
        await Assertions.Expect(page.Locator("#verify-result")).ToHaveTextAsync("The ledger chain is intact.");
        await hub.ScreenshotAsync(page, "audit-verify");

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
        await hub.ScreenshotAsync(page, "feeds-phone");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_wrong_password_When_signing_in_Then_it_is_refused_and_no_page_opens()
    {
        var page = await hub.SignInAsync("alice", "not the password!");
        Assert.EndsWith("/console/signin", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The user name or password is not right.");
        await hub.ScreenshotAsync(page, "signin-refused");

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
}
