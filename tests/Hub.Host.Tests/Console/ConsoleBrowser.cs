using Hub.Audit.Ledger;
using Microsoft.Playwright;

namespace Hub.Host.Tests.Console;

/// <summary>
/// What every console fixture does with the browser: launch Debian's Chromium headless, sign a user in through the
/// form, save screenshots to docs/screenshots, and read the hub's ledger back.
/// </summary>
internal static class ConsoleBrowser
{
    /// <summary>Debian's Chromium (no browser download), headless and sandbox-free as the CI container needs.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context (own cookies) signed in as <paramref name="user"/>.</summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, string baseUrl, string user, string password, int width)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = width, Height = 900 } });

        // Generous bounds for waits, not timing assertions: CI runs the browser beside brokers and databases on 2 cores.
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/signin");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);

        // Wait for the form POST's answer (a redirect to the landing page, or the sign-in page again when refused),
        // then for the page it leads to.
        var posted = page.WaitForResponseAsync(r => r.Request.Method == "POST" && r.Url.Contains("/console/signin", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await posted;
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return page;
    }

    /// <summary>Saves a full-page screenshot to docs/screenshots (the folder the console's docs link to).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        Directory.CreateDirectory(ConsoleHub.ScreenshotFolder());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleHub.ScreenshotFolder(), name + ".png"), FullPage = true });
    }

    /// <summary>Every ledger entry, in order.</summary>
    public static async Task<List<LedgerEntry>> LedgerAsync(IServiceProvider services)
    {
        var list = new List<LedgerEntry>();
        await foreach (var e in services.GetRequiredService<ILedger>().ReadAsync(1, CancellationToken.None))
        {
            list.Add(e);
        }

        return list;
    }
}
