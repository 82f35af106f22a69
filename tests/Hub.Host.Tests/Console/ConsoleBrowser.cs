using System.Net;
using System.Net.Sockets;
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

/// <summary>
/// The life of a console fixture: a temporary folder, a free loopback port, the hub built by the subclass and started,
/// its seed data, then Chromium; disposed in reverse. Subclasses keep only their configuration and seed.
/// </summary>
/// <param name="folderPrefix">Prefix of the temporary folder's name.</param>
public abstract class ConsoleFixture(string folderPrefix) : IAsyncLifetime
{
    private IPlaywright? _playwright;

    /// <summary>The hub under test.</summary>
    public WebApplication App { get; private set; } = null!;

    /// <summary>Debian's Chromium, headless.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the hub listens (a free loopback port).</summary>
    public string BaseUrl { get; } = $"http://127.0.0.1:{FreePort()}";

    /// <summary>The fixture's own folder: database, checkpoints, inboxes; deleted at the end.</summary>
    protected string Folder { get; } = Path.Combine(Path.GetTempPath(), folderPrefix + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Saves a full-page screenshot to docs/screenshots (the folder the console's docs link to).</summary>
    public static Task ScreenshotAsync(IPage page, string name) => ConsoleBrowser.ScreenshotAsync(page, name);

    /// <summary>Every ledger entry, in order.</summary>
    public Task<List<LedgerEntry>> LedgerAsync() => ConsoleBrowser.LedgerAsync(App.Services);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        App = await BuildAsync();
        await App.StartAsync();
        await SeedAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await ConsoleBrowser.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await DisposeOwnAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Builds the hub (listening on <see cref="BaseUrl"/>, storing under <see cref="Folder"/>).</summary>
    protected abstract Task<WebApplication> BuildAsync();

    /// <summary>Writes the fixture's data through the started hub's own services.</summary>
    protected abstract Task SeedAsync();

    /// <summary>Releases what the subclass started besides the hub (a broker, keys), after the hub has stopped.</summary>
    protected virtual Task DisposeOwnAsync() => Task.CompletedTask;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
