using Hub.Audit.Ledger;
using Microsoft.Playwright;

namespace Hub.Host.Tests.Console;

/// <summary>The hub admin's read-only pages in a real browser: configuration with versions, health; no secrets.</summary>
[Collection(ConsoleAdminCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ConsoleAdminBrowserTests(ConsoleAdminHub hub)
{
    [Fact]
    public async Task Given_a_hub_admin_When_it_opens_admin_Then_it_sees_recipients_jurisdictions_agreements_and_profiles_with_versions_and_no_secret()
    {
        var page = await hub.SignInAsync("hana");
        await page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Admin: configuration" })).ToBeVisibleAsync();

        var montco = page.Locator($"tr[data-recipient='{ConsoleAdminHub.AgencyA}']");
        await Assertions.Expect(montco).ToContainTextAsync("Montgomery County Post-Overdose Outreach");
        await Assertions.Expect(montco).ToContainTextAsync("identified-outreach");
        var bucks = page.Locator($"tr[data-recipient='{ConsoleAdminHub.AgencyB}']");
        await Assertions.Expect(bucks).ToContainTextAsync("webhook to hooks.bucks.example");
        await Assertions.Expect(bucks).ToContainTextAsync("Mon 08:00–17:00 America/New_York; after hours to montco-post");

        var jurisdictions = page.Locator("section[aria-labelledby='jurisdictions']");
        await Assertions.Expect(jurisdictions).ToContainTextAsync("42091");
        await Assertions.Expect(jurisdictions).ToContainTextAsync("Doylestown PA");

        var agreement = page.Locator("tr[data-agreement='dsa-montco-post-2026']");
        await Assertions.Expect(agreement.Locator("td[data-label='Version']")).ToHaveTextAsync("3");
        await Assertions.Expect(agreement).ToContainTextAsync("2025-07-01 to 2027-06-30");
        await Assertions.Expect(page.Locator("tr[data-agreement='dua-bucks-2026'] td[data-label='Legal basis']")).ToHaveTextAsync("45 CFR 164.514(e)");

        foreach (var profile in new[] { "identified-outreach", "limited-data-set", "safe-harbor" })
        {
            var version = await page.Locator($"tr[data-profile='{profile}'] td[data-label='Version']").InnerTextAsync();
            Assert.False(string.IsNullOrWhiteSpace(version), profile + " shows its rule-set version");
        }

        var html = await page.ContentAsync();
        foreach (var secret in new[]
        {
            ConsoleAdminHub.PseudonymKeyA, ConsoleAdminHub.PseudonymKeyB, ConsoleAdminHub.WebhookSecret, ConsoleAdminHub.WebhookUrlToken,
            Convert.ToBase64String(hub.HmacKey), hub.ConnectionString, "hub.db",
        })
        {
            Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        }

        await ConsoleAdminHub.ScreenshotAsync(page, "admin");
        Assert.Contains(await hub.LedgerAsync(), e => e.Content.Action == LedgerActions.Viewed && e.Content.Actor == "hana" && e.Content.DetailsJson == "{\"page\":\"admin\"}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_hub_admin_When_it_opens_health_Then_the_database_and_feeds_are_healthy_and_each_feed_is_listed()
    {
        var page = await hub.SignInAsync("hana");
        await page.GotoAsync("/console/admin/health");
        await Assertions.Expect(page.Locator("tr[data-check='database'] td[data-label='State']")).ToHaveTextAsync("healthy");
        await Assertions.Expect(page.Locator("tr[data-check='database'] td[data-label='Part of /health/ready']")).ToHaveTextAsync("yes");
        await Assertions.Expect(page.Locator("tr[data-check='feeds'] td[data-label='State']")).ToHaveTextAsync("healthy");
        await Assertions.Expect(page.Locator("tr[data-check='feeds'] td[data-label='Description']")).ToHaveTextAsync("1 feeds configured.");
        await Assertions.Expect(page.Locator($"tr[data-feed='{ConsoleAdminHub.FeedId}']")).ToContainTextAsync("inbox folder present; last input");

        // Every check behind /health/ready is on the page.
        var ready = await page.Context.APIRequest.GetAsync("/health/ready");
        Assert.Equal(200, ready.Status);
        Assert.True(await page.Locator("td[data-label='Part of /health/ready']").Filter(new() { HasText = "yes" }).CountAsync() >= 1);
        Assert.DoesNotContain("hub.db", await page.ContentAsync(), StringComparison.Ordinal);
        await ConsoleAdminHub.ScreenshotAsync(page, "admin-health");

        // A hub admin also sees the feeds page; a feed admin does not see admin pages.
        var feeds = await page.GotoAsync("/console/feeds");
        Assert.Equal(200, feeds!.Status);
        var fran = await hub.SignInAsync("fran");
        var admin = await fran.GotoAsync("/console/admin");
        Assert.Equal(403, admin!.Status);
        var health = await fran.Context.APIRequest.GetAsync("/console/api/admin/health");
        Assert.Equal(403, health.Status);
        await page.Context.CloseAsync();
        await fran.Context.CloseAsync();
    }
}
