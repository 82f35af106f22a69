using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Audit.Storage;
using Hub.Contracts.Messages;
using Hub.Contracts.Model;
using Hub.Contracts.Serialization;
using Hub.Host.Cli;
using Microsoft.Playwright;

namespace Hub.Host.Tests.Console;

/// <summary>
/// A hub on loopback (SQLite, in-memory bus) with synthetic notifications for two agencies, one intake summary and
/// reject, console users of every role, and headless Debian Chromium driven by Playwright. Shared by the console tests.
/// </summary>
public sealed class ConsoleHub : IAsyncLifetime
{
    public const string AgencyA = "montco-post";
    public const string AgencyB = "bucks-outreach";
    public const string Password = "correct horse battery";
    public const string FeedId = "township-pd";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hub-console-" + Guid.NewGuid().ToString("N")[..12]);
    private IPlaywright? _playwright;

    public WebApplication App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Agency A's episode 1: version 1 (superseded) then version 2.</summary>
    public Guid EpisodeOneV1 { get; } = Guid.NewGuid();

    public Guid EpisodeOneV2 { get; } = Guid.NewGuid();

    /// <summary>Agency A's second episode (one version).</summary>
    public Guid EpisodeTwo { get; } = Guid.NewGuid();

    /// <summary>Agency B's only notification.</summary>
    public Guid OtherAgency { get; } = Guid.NewGuid();

    /// <summary>Where screenshots go: the repository's docs/screenshots, found from this source file, not from bin.</summary>
    public static string ScreenshotFolder([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "..", "docs", "screenshots"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        App = HubApplication.Build(new HubRunSettings(null, Watch: false, Dispatch: false, Web: true, Overrides: new Dictionary<string, string?>
        {
            ["Hub:Web:Urls"] = BaseUrl,
            ["Hub:Database:Provider"] = "sqlite",
            ["Hub:Database:ConnectionString"] = $"Data Source={Path.Combine(_folder, "hub.db")}",
            ["Hub:Audit:CheckpointFolder"] = Path.Combine(_folder, "checkpoints"),
            ["Hub:Feeds:0:Id"] = FeedId,
            ["Hub:Feeds:0:Kind"] = "Cad",
            ["Hub:Feeds:0:AgencyId"] = "township-police",
            ["Hub:Feeds:0:TimeZone"] = "America/New_York",
            ["Hub:Feeds:0:Inbox"] = Path.Combine(_folder, "inbox", FeedId),
            ["Hub:Feeds:0:CadProfileFile"] = Path.Combine(AppContext.BaseDirectory, "TestData", "Cad", "township-pd.profile.json"),
        }));
        await App.StartAsync();
        await SeedAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
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
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A fresh browser context (own cookies) signed in as <paramref name="user"/>.</summary>
    public async Task<IPage> SignInAsync(string user, string password = Password, int width = 1200)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = width, Height = 900 } });

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

    public async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        Directory.CreateDirectory(ScreenshotFolder());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder(), name + ".png"), FullPage = true });
    }

    /// <summary>Every ledger entry, in order.</summary>
    public async Task<List<LedgerEntry>> LedgerAsync()
    {
        var list = new List<LedgerEntry>();
        await foreach (var e in App.Services.GetRequiredService<ILedger>().ReadAsync(1, CancellationToken.None))
        {
            list.Add(e);
        }

        return list;
    }

    private async Task SeedAsync()
    {
        var services = App.Services;
        await services.GetRequiredService<HubDatabase>().MigrateAsync(CancellationToken.None);
        var outbox = services.GetRequiredService<IOutbox>();
        var episodeOne = Guid.NewGuid();
        await EnqueueAsync(outbox, EpisodeOneV1, episodeOne, 1, null, AgencyA, "Quill");
        await EnqueueAsync(outbox, EpisodeTwo, Guid.NewGuid(), 1, null, AgencyA, "Marsh");
        await EnqueueAsync(outbox, EpisodeOneV2, episodeOne, 2, EpisodeOneV1, AgencyA, "Quill");
        await EnqueueAsync(outbox, OtherAgency, Guid.NewGuid(), 1, null, AgencyB, "Otherside");

        var intake = services.GetRequiredService<IIntakeStore>();
        var now = DateTimeOffset.UtcNow;
        await intake.AddSummaryAsync(new IntakeSummary(FeedId, "calls-2026-11-20.csv", new string('a', 64), 3, 40, 1, now), CancellationToken.None);
        await intake.AddRejectsAsync(
            [new StoredReject(FeedId, "calls-2026-11-20.csv", new string('a', 64), "42", "call type is empty", "line 17, column CallType", now)],
            CancellationToken.None);

        foreach (var (name, role, agency) in new[]
        {
            ("alice", "recipient", (string?)AgencyA), ("bob", "recipient", AgencyB), ("olivia", "privacy-officer", null), ("fran", "feed-admin", null),
        })
        {
            var code = await UsersCommands.AddUserAsync(services, name, role, agency, Password, TextWriter.Null, CancellationToken.None);
            Assert.Equal(0, code);
        }
    }

    private static async Task EnqueueAsync(IOutbox outbox, Guid id, Guid episode, int version, Guid? supersedes, string recipient, string familyName)
    {
        var notification = new OverdoseNotification
        {
            NotificationId = id,
            EpisodeId = episode,
            EpisodeVersion = version,
            Supersedes = supersedes,
            RecipientId = recipient,
            OccurredAtUtc = DateTimeOffset.UtcNow,
            SourceAgencies = ["township-police"],
            SourceKinds = [SourceKind.Police],
            AgreementId = "dsa-" + recipient,
            Purpose = "PUBHLTH",
            LegalBasis = "test statute",
            Profile = new AppliedProfile { Name = "identified-outreach", RuleSetVersion = "2026-11-01" },
            Subject = new DisclosedSubject { FamilyName = familyName, GivenName = "<b>Test</b>" },
            Event = new DisclosedEvent { OccurredAt = "2026-11-20T22:10:00-05:00", NaloxoneGiven = true, NaloxoneDoses = 2 },
        };
        var payload = JsonSerializer.Serialize(notification, HubJson.Options);
        await outbox.EnqueueAsync(
            new LedgerEntryDraft
            {
                Actor = "hub",
                Action = LedgerActions.Disclosed,
                CorrelationId = id.ToString(),
                RecipientId = recipient,
                AgreementId = notification.AgreementId,
                Purpose = notification.Purpose,
                Profile = "identified-outreach@2026-11-01",
                PersonPseudonym = "p-" + familyName,
                Fields = ["subject.familyName", "subject.givenName", "event.occurredAt"],
            },
            new OutboxMessage { MessageId = id, RecipientId = recipient, Channel = "inbox", Destination = "", MessageType = "urn:message:hub:overdose-notification:v1", PayloadJson = payload },
            CancellationToken.None);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleHub>
{
    public const string Name = "console";
}
