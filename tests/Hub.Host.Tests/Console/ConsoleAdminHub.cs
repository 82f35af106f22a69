using System.Security.Cryptography;
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
/// A hub on loopback (SQLite, in-memory bus) configured like a small deployment: two recipients (one with a webhook),
/// two agreements, one CAD feed with its inbox folder, bearer-token keys of all three kinds (HS256, RS256 PEM text,
/// ES256 PEM file), a notification for each agency, intake history of the feed, console users of every role, and
/// headless Debian Chromium. Shared by the feeds, admin and JWT tests.
/// </summary>
public sealed class ConsoleAdminHub() : ConsoleFixture("hub-console-admin-")
{
    public const string AgencyA = "montco-post";
    public const string AgencyB = "bucks-outreach";
    public const string Password = "correct horse battery";
    public const string FeedId = "township-pd";
    public const string Issuer = "https://idp.county.example/realms/outreach";
    public const string Audience = "hub-console";
    public const long DryRunMaxBytes = 8192;

    /// <summary>Configured secrets: none may ever appear in a console page.</summary>
    public static readonly string PseudonymKeyA = Convert.ToBase64String("admin-test-pseudonym-key-for-montco-post!"u8);
    public static readonly string PseudonymKeyB = Convert.ToBase64String("admin-test-pseudonym-key-for-bucks-outreach"u8);
    public const string WebhookSecret = "webhook-secret-never-shown-4711";
    public const string WebhookUrlToken = "url-token-never-shown-0815";





    public string ConnectionString { get; private set; } = "";

    public byte[] HmacKey { get; } = RandomNumberGenerator.GetBytes(32);

    public RSA Rsa { get; } = RSA.Create(2048);

    public ECDsa Ec { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public Guid NotificationA { get; } = Guid.NewGuid();

    public Guid NotificationB { get; } = Guid.NewGuid();

    protected override async Task<WebApplication> BuildAsync()
    {
        var inbox = Path.Combine(Folder, "inbox", FeedId);
        Directory.CreateDirectory(inbox);
        var ecPem = Path.Combine(Folder, "idp-es256.pem");
        await File.WriteAllTextAsync(ecPem, Ec.ExportSubjectPublicKeyInfoPem());
        ConnectionString = $"Data Source={Path.Combine(Folder, "hub.db")}";
        return HubApplication.Build(new HubRunSettings(null, Watch: false, Dispatch: false, Web: true, Overrides: new Dictionary<string, string?>
        {
            ["Hub:Web:Urls"] = BaseUrl,
            ["Hub:Database:Provider"] = "sqlite",
            ["Hub:Database:ConnectionString"] = ConnectionString,
            ["Hub:Audit:CheckpointFolder"] = Path.Combine(Folder, "checkpoints"),
            ["Hub:Console:DryRunMaxBytes"] = DryRunMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hub:Console:Jwt:Issuer"] = Issuer,
            ["Hub:Console:Jwt:Audience"] = Audience,
            ["Hub:Console:Jwt:Keys:0:KeyId"] = "hs-1",
            ["Hub:Console:Jwt:Keys:0:SymmetricBase64"] = Convert.ToBase64String(HmacKey),
            ["Hub:Console:Jwt:Keys:1:PublicKeyPem"] = Rsa.ExportSubjectPublicKeyInfoPem(),
            ["Hub:Console:Jwt:Keys:2:PublicKeyFile"] = ecPem,
            ["Hub:Feeds:0:Id"] = FeedId,
            ["Hub:Feeds:0:Kind"] = "Cad",
            ["Hub:Feeds:0:AgencyId"] = "township-police",
            ["Hub:Feeds:0:TimeZone"] = "America/New_York",
            ["Hub:Feeds:0:Inbox"] = inbox,
            ["Hub:Feeds:0:CadProfileFile"] = Path.Combine(AppContext.BaseDirectory, "TestData", "Cad", "township-pd.profile.json"),
            ["Hub:Recipients:0:Id"] = AgencyA,
            ["Hub:Recipients:0:Name"] = "Montgomery County Post-Overdose Outreach",
            ["Hub:Recipients:0:Kind"] = "outreach-team",
            ["Hub:Recipients:0:Jurisdiction:CountyFips:0"] = "42091",
            ["Hub:Recipients:0:Jurisdiction:ZipCodes:0"] = "19401",
            ["Hub:Recipients:0:Profile"] = "identified-outreach",
            ["Hub:Recipients:0:Delivery:Channel"] = "inbox",
            ["Hub:Recipients:0:PseudonymKey"] = PseudonymKeyA,
            ["Hub:Recipients:1:Id"] = AgencyB,
            ["Hub:Recipients:1:Name"] = "Bucks County Harm Reduction",
            ["Hub:Recipients:1:Kind"] = "harm-reduction",
            ["Hub:Recipients:1:Jurisdiction:Municipalities:0:Name"] = "Doylestown",
            ["Hub:Recipients:1:Jurisdiction:Municipalities:0:State"] = "PA",
            ["Hub:Recipients:1:Profile"] = "limited-data-set",
            ["Hub:Recipients:1:Hours:TimeZone"] = "America/New_York",
            ["Hub:Recipients:1:Hours:Days:0"] = "Monday",
            ["Hub:Recipients:1:Hours:Start"] = "08:00",
            ["Hub:Recipients:1:Hours:End"] = "17:00",
            ["Hub:Recipients:1:Hours:AfterHoursRecipientId"] = AgencyA,
            ["Hub:Recipients:1:Delivery:Channel"] = "webhook",
            ["Hub:Recipients:1:Delivery:WebhookUrl"] = "https://hooks.bucks.example/hub?token=" + WebhookUrlToken,
            ["Hub:Recipients:1:Delivery:WebhookSecret"] = WebhookSecret,
            ["Hub:Recipients:1:PseudonymKey"] = PseudonymKeyB,
            ["Hub:Agreements:0:Id"] = "dsa-montco-post-2026",
            ["Hub:Agreements:0:Name"] = "Township police / county outreach",
            ["Hub:Agreements:0:SourceAgencyIds:0"] = "township-police",
            ["Hub:Agreements:0:RecipientId"] = AgencyA,
            ["Hub:Agreements:0:MaxProfile"] = "identified-outreach",
            ["Hub:Agreements:0:EffectiveFrom"] = "2025-07-01",
            ["Hub:Agreements:0:ExpiresOn"] = "2027-06-30",
            ["Hub:Agreements:0:Version"] = "3",
            ["Hub:Agreements:1:Id"] = "dua-bucks-2026",
            ["Hub:Agreements:1:SourceAgencyIds:0"] = "township-police",
            ["Hub:Agreements:1:RecipientId"] = AgencyB,
            ["Hub:Agreements:1:MaxProfile"] = "limited-data-set",
            ["Hub:Agreements:1:LegalBasis"] = "45 CFR 164.514(e)",
        }));
    }

    protected override Task DisposeOwnAsync()
    {
        Rsa.Dispose();
        Ec.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A fresh browser context (own cookies) signed in as <paramref name="user"/>.</summary>
    public Task<IPage> SignInAsync(string user, int width = 1200) => ConsoleBrowser.SignInAsync(Browser, BaseUrl, user, Password, width);

    protected override async Task SeedAsync()
    {
        var services = App.Services;
        await services.GetRequiredService<HubDatabase>().MigrateAsync(CancellationToken.None);
        var outbox = services.GetRequiredService<IOutbox>();
        await EnqueueAsync(outbox, NotificationA, AgencyA, "Quill");
        await EnqueueAsync(outbox, NotificationB, AgencyB, "Otherside");

        // One input today, one 30 hours ago: only the first counts in "the last 24 hours".
        var intake = services.GetRequiredService<IIntakeStore>();
        var now = DateTimeOffset.UtcNow;
        await intake.AddSummaryAsync(new IntakeSummary(FeedId, "calls-yesterday.csv", new string('b', 64), 100, 100, 100, now.AddHours(-30), Warnings: 50), CancellationToken.None);
        await intake.AddSummaryAsync(new IntakeSummary(FeedId, "calls-today.csv", new string('a', 64), 3, 40, 2, now.AddMinutes(-5), Warnings: 7), CancellationToken.None);
        await intake.AddWarningsAsync(
            [new StoredWarning(FeedId, "calls-today.csv", new string('a', 64), "T-43", "disposition 'Q' is not in the profile's list", now.AddMinutes(-5))],
            CancellationToken.None);
        await intake.AddRejectsAsync(
            [new StoredReject(FeedId, "calls-today.csv", new string('a', 64), "T-42", "call type is empty", "line 17, column call_type", now.AddMinutes(-5))],
            CancellationToken.None);

        // A large input being read right now: half of its bytes, 250.5 records per second.
        await services.GetRequiredService<IIntakeProgressStore>().StartAsync(
            new IntakeProgress(FeedId, new string('c', 64), "state-export.csv", "hub-test-1", now.AddMinutes(-2), now.AddSeconds(-10), 2_000_000, 1_000_000, 1234, 250.5, null),
            CancellationToken.None);

        foreach (var (name, role, agency) in new[]
        {
            ("alice", "recipient", (string?)AgencyA), ("olivia", "privacy-officer", null), ("fran", "feed-admin", null), ("hana", "hub-admin", null),
        })
        {
            var code = await UsersCommands.AddUserAsync(services, name, role, agency, Password, TextWriter.Null, CancellationToken.None);
            Assert.Equal(0, code);
        }
    }

    private static async Task EnqueueAsync(IOutbox outbox, Guid id, string recipient, string familyName)
    {
        var notification = new OverdoseNotification
        {
            NotificationId = id,
            EpisodeId = Guid.NewGuid(),
            EpisodeVersion = 1,
            RecipientId = recipient,
            OccurredAtUtc = DateTimeOffset.UtcNow,
            SourceAgencies = ["township-police"],
            SourceKinds = [SourceKind.Police],
            AgreementId = "dsa-" + recipient,
            Purpose = "PUBHLTH",
            LegalBasis = "test statute",
            Profile = new AppliedProfile { Name = "identified-outreach", RuleSetVersion = "2026-11-01" },
            Subject = new DisclosedSubject { FamilyName = familyName, GivenName = "Test" },
            Event = new DisclosedEvent { OccurredAt = "2026-11-20T22:10:00-05:00", NaloxoneGiven = true, NaloxoneDoses = 2 },
        };
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
            new OutboxMessage
            {
                MessageId = id, RecipientId = recipient, Channel = "inbox", Destination = "", MessageType = "urn:message:hub:overdose-notification:v1",
                PayloadJson = JsonSerializer.Serialize(notification, HubJson.Options),
            },
            CancellationToken.None);
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleAdminCollection : ICollectionFixture<ConsoleAdminHub>
{
    public const string Name = "console-admin";
}
