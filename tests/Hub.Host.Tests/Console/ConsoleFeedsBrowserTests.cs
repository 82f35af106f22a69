using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hub.Audit.Console;
using Hub.Audit.Ledger;
using Hub.Audit.Storage;
using Microsoft.Playwright;

namespace Hub.Host.Tests.Console;

/// <summary>The feed teams' pages in a real browser: state at a glance, dry run of an uploaded file, API keys.</summary>
[Collection(ConsoleAdminCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ConsoleFeedsBrowserTests(ConsoleAdminHub hub)
{
    /// <summary>A CAD export of the township feed with two good rows and two bad ones (synthetic; no real people).</summary>
    internal const string BadCad = """
        incident_id,call_type,received_at,block_address,city,zip,disposition
        T-2001,OD,2026-03-14 02:41:00,1200 BLOCK OF SYNTHETIC AVE,Norristown,19401,REFUSED
        T-2002,TRAFFIC STOP,2026-03-14 03:02:00,100 BLOCK OF EXAMPLE RD,Norristown,19401,CLEARED
        ,OD,2026-03-14 04:00:00,300 BLOCK OF TEST ST,Norristown,19401,TRANSPORTED
        T-2004,OD,yesterday night,400 BLOCK OF SAMPLE LN,Norristown,19401,REFUSED
        """;

    [Fact]
    public async Task Given_a_feed_admin_When_it_opens_feeds_Then_it_sees_the_last_input_the_24_hour_counts_and_rejects_with_location()
    {
        var page = await hub.SignInAsync("fran");
        Assert.EndsWith("/console/feeds", page.Url, StringComparison.Ordinal);
        var feed = page.Locator($"section[data-feed='{ConsoleAdminHub.FeedId}']");
        await Assertions.Expect(feed.Locator(".last-input")).ToContainTextAsync("file calls-today.csv");

        // The input of 30 hours ago (100/100/100) is outside the window.
        await Assertions.Expect(feed.Locator(".day-counts")).ToHaveTextAsync("1 inputs: 3 overdose, 40 not overdose, 2 rejected");
        await Assertions.Expect(feed).ToContainTextAsync("call type is empty");
        await Assertions.Expect(feed).ToContainTextAsync("line 17, column call_type");

        var running = feed.Locator("tr[data-input='state-export.csv']");
        await Assertions.Expect(running.Locator("td[data-label='State']")).ToHaveTextAsync("running");
        await Assertions.Expect(running.Locator("td[data-label='Done']")).ToHaveTextAsync("50 %");
        await Assertions.Expect(running.Locator("td[data-label='Records']")).ToHaveTextAsync("1234");
        await Assertions.Expect(running.Locator("td[data-label='Records per second']")).ToHaveTextAsync("250.5");

        // Warnings: the 24-hour count (the input of 30 hours ago had 50) and the stored warning, without its record id.
        await Assertions.Expect(feed.Locator(".day-warnings")).ToHaveTextAsync("7");
        await Assertions.Expect(feed.Locator("table.warnings")).ToContainTextAsync("disposition 'Q' is not in the profile's list");

        // The stored reject's and warning's record ids are not shown.
        Assert.DoesNotContain("T-42", await feed.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("T-43", await feed.InnerTextAsync(), StringComparison.Ordinal);
        await ConsoleAdminHub.ScreenshotAsync(page, "feeds");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_feed_admin_When_it_uploads_a_bad_file_for_a_dry_run_Then_it_sees_counts_and_rejects_with_locations_and_nothing_is_stored()
    {
        var intake = hub.App.Services.GetRequiredService<IIntakeStore>();
        var summariesBefore = (await intake.ListSummariesAsync(ConsoleAdminHub.FeedId, 100, CancellationToken.None)).Count;
        var rejectsBefore = (await intake.ListRejectsAsync(ConsoleAdminHub.FeedId, 100, CancellationToken.None)).Count;

        var page = await hub.SignInAsync("fran");
        await page.GetByRole(AriaRole.Link, new() { Name = "Dry run for " + ConsoleAdminHub.FeedId }).ClickAsync();
        await page.GetByLabel("Feed").SelectOptionAsync(ConsoleAdminHub.FeedId);
        await page.GetByLabel("File").SetInputFilesAsync(new FilePayload { Name = "calls-bad.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(BadCad) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the dry run" }).ClickAsync();

        await Assertions.Expect(page.Locator("#dry-run-summary")).ToHaveTextAsync("4 records: 1 overdose, 1 not overdose, 2 rejected. Nothing was stored or sent.");
        var rows = page.Locator("#dry-run-rejects tbody tr");
        Assert.Equal(2, await rows.CountAsync());
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("missing incident id");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("line 4, column incident_id");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("line 5, column received_at");

        // Neither the addresses nor the incident ids of the file are echoed.
        var shown = await page.Locator("#dry-run-result").InnerTextAsync();
        Assert.DoesNotContain("SAMPLE LN", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("T-2004", shown, StringComparison.Ordinal);
        await ConsoleAdminHub.ScreenshotAsync(page, "feeds-dry-run");

        Assert.Equal(summariesBefore, (await intake.ListSummariesAsync(ConsoleAdminHub.FeedId, 100, CancellationToken.None)).Count);
        Assert.Equal(rejectsBefore, (await intake.ListRejectsAsync(ConsoleAdminHub.FeedId, 100, CancellationToken.None)).Count);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(BadCad)));
        Assert.True(await intake.TryClaimAsync(ConsoleAdminHub.FeedId, sha, "probe", CancellationToken.None), "the dry run must not claim the file");
        var ledger = await hub.LedgerAsync();
        Assert.DoesNotContain(ledger, e => e.Content.Action is LedgerActions.Received or LedgerActions.Detected);
        Assert.Contains(ledger, e => e.Content.Action == LedgerActions.Viewed && e.Content.Actor == "fran" && e.Content.DetailsJson == "{\"page\":\"feeds/dry-run\"}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_file_over_the_limit_or_a_post_without_the_token_When_a_dry_run_is_asked_Then_413_or_400_and_nothing_is_read()
    {
        var page = await hub.SignInAsync("fran");
        var big = page.Context.APIRequest.CreateFormData();
        big.Set("feed", ConsoleAdminHub.FeedId);
        big.Set("file", new FilePayload { Name = "big.csv", MimeType = "text/csv", Buffer = new byte[ConsoleAdminHub.DryRunMaxBytes + 80_000] });
        var tooLarge = await page.Context.APIRequest.PostAsync("/console/feeds/dry-run", new() { Multipart = big });
        Assert.Equal(413, tooLarge.Status);

        var form = page.Context.APIRequest.CreateFormData();
        form.Set("feed", ConsoleAdminHub.FeedId);
        form.Set("file", new FilePayload { Name = "calls-bad.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(BadCad) });
        var unprotected = await page.Context.APIRequest.PostAsync("/console/feeds/dry-run", new() { Multipart = form });
        Assert.Equal(400, unprotected.Status);
        Assert.DoesNotContain("records:", await unprotected.TextAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_feed_admin_When_it_creates_and_revokes_an_api_key_Then_the_key_is_shown_once_works_until_revoked_and_both_are_ledgered()
    {
        var store = hub.App.Services.GetRequiredService<IFeedApiKeyStore>();
        var page = await hub.SignInAsync("fran");
        await page.GetByRole(AriaRole.Link, new() { Name = "API keys of " + ConsoleAdminHub.FeedId }).ClickAsync();
        await page.GetByLabel("Label (for example the sending system)").FillAsync("Township RMS export");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        var secret = await page.GetByLabel("API key").InputValueAsync();
        Assert.StartsWith(SqlFeedApiKeyStore.KeyPrefix, secret, StringComparison.Ordinal);
        Assert.Equal(ConsoleAdminHub.FeedId, await store.FeedOfKeyAsync(secret, CancellationToken.None));
        var info = Assert.Single(await store.ListAsync(ConsoleAdminHub.FeedId, CancellationToken.None), k => k.Label == "Township RMS export");
        Assert.Equal("fran", info.CreatedBy);

        // Shown once: the list page never carries the key or its hash again.
        await page.GotoAsync($"/console/feeds/{ConsoleAdminHub.FeedId}/keys");
        var html = await page.ContentAsync();
        Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), html, StringComparison.Ordinal);
        var row = page.Locator($"tr[data-key='{info.KeyId}']");
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync("active");

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke " + info.KeyId }).ClickAsync();
        await Assertions.Expect(page.Locator($"tr[data-key='{info.KeyId}'] .state")).ToContainTextAsync("revoked");
        Assert.Null(await store.FeedOfKeyAsync(secret, CancellationToken.None));
        await ConsoleAdminHub.ScreenshotAsync(page, "feeds-api-keys");

        var ledger = await hub.LedgerAsync();
        foreach (var change in new[] { "feed-api-key-created", "feed-api-key-revoked" })
        {
            var entry = Assert.Single(ledger, e => e.Content.Action == LedgerActions.ConfigurationChanged && e.Content.CorrelationId == info.KeyId
                && JsonDocument.Parse(e.Content.DetailsJson!).RootElement.GetProperty("change").GetString() == change);
            Assert.Equal("fran", entry.Content.Actor);
            Assert.Equal(ConsoleAdminHub.FeedId, entry.Content.FeedId);
        }

        Assert.DoesNotContain(ledger, e => (e.Content.DetailsJson ?? "").Contains(secret, StringComparison.Ordinal) || e.Content.Actor.Contains(secret, StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    public static TheoryData<string> OtherRoles => new() { "alice", "olivia" };

    [Theory]
    [MemberData(nameof(OtherRoles))]
    public async Task Given_a_recipient_or_privacy_officer_When_it_opens_feed_and_admin_pages_Then_it_gets_the_denied_page_and_no_key_is_made(string user)
    {
        var page = await hub.SignInAsync(user);
        foreach (var path in new[] { "/console/feeds", "/console/feeds/dry-run", $"/console/feeds/{ConsoleAdminHub.FeedId}/keys", "/console/admin", "/console/admin/health" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(403, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
        }

        // A POST carrying a valid antiforgery token of this session (from a page the role may open) is still refused by role.
        await page.GotoAsync(user == "alice" ? "/console/inbox" : "/console/audit");
        var token = await page.Locator("input[name='__af']").First.InputValueAsync();
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("__af", token);
        form.Set("label", "sneaky " + user);
        var create = await page.Context.APIRequest.PostAsync($"/console/feeds/{ConsoleAdminHub.FeedId}/keys", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(302, create.Status);
        Assert.StartsWith("/console/denied", new Uri(create.Headers["location"], UriKind.RelativeOrAbsolute) is { IsAbsoluteUri: true } u ? u.PathAndQuery : create.Headers["location"], StringComparison.Ordinal);
        var api = await page.Context.APIRequest.GetAsync("/console/api/admin/health");
        Assert.Equal(403, api.Status);
        Assert.DoesNotContain(await hub.App.Services.GetRequiredService<IFeedApiKeyStore>().ListAsync(null, CancellationToken.None), k => k.Label == "sneaky " + user);
        await page.Context.CloseAsync();
    }
}
