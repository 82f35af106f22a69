using System.Runtime.CompilerServices;
using System.Text.Json;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Audit.Storage;
using Hub.Contracts.Messages;
using Hub.Contracts.Model;
using Hub.Contracts.Serialization;
using Hub.Deidentification.Methods;
using Hub.Deidentification.Pseudonyms;
using Hub.Host.Cli;
using Hub.Host.Jobs;
using Hub.Testing.RabbitMq;
using Microsoft.Playwright;

namespace Hub.Host.Tests.Console;

/// <summary>
/// A hub on loopback (SQLite, its own real RabbitMQ node for the bus) with synthetic notifications for two agencies, one intake summary and
/// reject, console users of every role, and headless Debian Chromium driven by Playwright. Shared by the console tests.
/// </summary>
public sealed class ConsoleHub() : ConsoleFixture("hub-console-")
{
    public const string AgencyA = "montco-post";
    public const string AgencyB = "bucks-outreach";
    public const string Password = "correct horse battery";
    public const string FeedId = "township-pd";
    public const string AgencyAName = "Montgomery County post-overdose outreach";
    public const string AgencyAAddress = "1430 DeKalb St, Norristown, PA";

    /// <summary>The person whose accounting of disclosures the tests run: episode one (both versions) is about them.</summary>
    public static readonly SubjectIdentity AccountingPerson = new() { FamilyName = "Quill", GivenName = "Ada", BirthDate = new DateOnly(1988, 3, 14), Sex = "F" };

    /// <summary>Pseudonym keys of the two agencies (test keys, not secrets).</summary>
    private static readonly byte[] KeyA = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly byte[] KeyB = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];


    /// <summary>The bus: a rabbitmq-server node of this fixture's own (the console collection runs beside the others).</summary>
    private readonly RabbitMqNode _rabbit = new();




    /// <summary>Agency A's episode 1: version 1 (superseded) then version 2.</summary>
    public Guid EpisodeOneV1 { get; } = Guid.NewGuid();

    public Guid EpisodeOneV2 { get; } = Guid.NewGuid();

    /// <summary>Agency A's second episode (one version).</summary>
    public Guid EpisodeTwo { get; } = Guid.NewGuid();

    /// <summary>Agency B's only notification.</summary>
    public Guid OtherAgency { get; } = Guid.NewGuid();

    /// <summary>Agency A's third episode: disclosed with a census tract only (no coordinates).</summary>
    public Guid EpisodeThree { get; } = Guid.NewGuid();

    /// <summary>Spike alerts: one for agency A's county, one for agency B's.</summary>
    public Guid SpikeA { get; private set; }

    public Guid SpikeB { get; private set; }

    /// <summary>Disclosed coordinates: episode two's displaced point, episode one v2's grid cell centre, agency B's kept point.</summary>
    public static (double Lat, double Lon) PerturbedPoint { get; } = (40.1221, -75.3431);

    public static (double Lat, double Lon) CellCentre { get; } = (40.105, -75.355);

    public static (double Lat, double Lon) OtherAgencyPoint { get; } = (40.3101, -75.1302);

    /// <summary>Where screenshots go: the repository's docs/screenshots, found from this source file, not from bin.</summary>
    public static string ScreenshotFolder([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "..", "docs", "screenshots"));

    protected override async Task<WebApplication> BuildAsync()
    {
        await _rabbit.InitializeAsync();
        var vhost = await _rabbit.CreateVirtualHostAsync("console");
        return HubApplication.Build(new HubRunSettings(null, Watch: false, Dispatch: false, Web: true, Overrides: new Dictionary<string, string?>
        {
            ["Hub:Web:Urls"] = BaseUrl,
            ["Hub:Bus:Transport"] = "rabbitmq",
            ["Hub:Bus:Host"] = vhost.Host,
            ["Hub:Bus:Port"] = vhost.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hub:Bus:VirtualHost"] = vhost.Name,
            ["Hub:Bus:Username"] = vhost.UserName,
            ["Hub:Bus:Password"] = vhost.Password,
            ["Hub:Database:Provider"] = "sqlite",
            ["Hub:Database:ConnectionString"] = $"Data Source={Path.Combine(Folder, "hub.db")}",
            ["Hub:Audit:CheckpointFolder"] = Path.Combine(Folder, "checkpoints"),
            ["Hub:Feeds:0:Id"] = FeedId,
            ["Hub:Feeds:0:Kind"] = "Cad",
            ["Hub:Feeds:0:AgencyId"] = "township-police",
            ["Hub:Feeds:0:TimeZone"] = "America/New_York",
            ["Hub:Feeds:0:Inbox"] = Path.Combine(Folder, "inbox", FeedId),
            ["Hub:Feeds:0:CadProfileFile"] = Path.Combine(AppContext.BaseDirectory, "TestData", "Cad", "township-pd.profile.json"),
            ["Hub:Recipients:0:Id"] = AgencyA,
            ["Hub:Recipients:0:Name"] = AgencyAName,
            ["Hub:Recipients:0:Kind"] = "outreach-team",
            ["Hub:Recipients:0:Address"] = AgencyAAddress,
            ["Hub:Recipients:0:Jurisdiction:CountyFips:0"] = "42091",
            ["Hub:Recipients:0:Profile"] = "identified-outreach",
            ["Hub:Recipients:0:Delivery:Channel"] = "inbox",
            ["Hub:Recipients:0:ReceivesSpikeAlerts"] = "true",
            ["Hub:Recipients:0:PseudonymKey"] = Convert.ToBase64String(KeyA),
            ["Hub:Recipients:1:Id"] = AgencyB,
            ["Hub:Recipients:1:Name"] = "Bucks County outreach",
            ["Hub:Recipients:1:Kind"] = "outreach-team",
            ["Hub:Recipients:1:Jurisdiction:CountyFips:0"] = "42017",
            ["Hub:Recipients:1:Profile"] = "identified-outreach",
            ["Hub:Recipients:1:Delivery:Channel"] = "inbox",
            ["Hub:Recipients:1:ReceivesSpikeAlerts"] = "true",
            ["Hub:Recipients:1:PseudonymKey"] = Convert.ToBase64String(KeyB),
            ["Hub:Agreements:0:Id"] = "dsa-" + AgencyA,
            ["Hub:Agreements:0:Name"] = "Township police / Montgomery outreach",
            ["Hub:Agreements:0:SourceAgencyIds:0"] = "township-police",
            ["Hub:Agreements:0:RecipientId"] = AgencyA,
            ["Hub:Agreements:0:Purpose"] = "PUBHLTH",
            ["Hub:Agreements:0:LegalBasis"] = "test statute",
            ["Hub:Agreements:0:MaxProfile"] = "identified-outreach",
            ["Hub:Agreements:0:EffectiveFrom"] = "2025-01-01",
            ["Hub:Agreements:1:Id"] = "dsa-" + AgencyB,
            ["Hub:Agreements:1:Name"] = "Township police / Bucks outreach",
            ["Hub:Agreements:1:SourceAgencyIds:0"] = "township-police",
            ["Hub:Agreements:1:RecipientId"] = AgencyB,
            ["Hub:Agreements:1:Purpose"] = "PUBHLTH",
            ["Hub:Agreements:1:LegalBasis"] = "test statute",
            ["Hub:Agreements:1:MaxProfile"] = "identified-outreach",
            ["Hub:Agreements:1:EffectiveFrom"] = "2025-01-01",
        }));
    }

    protected override Task DisposeOwnAsync() => _rabbit.DisposeAsync();

    /// <summary>A fresh browser context (own cookies) signed in as <paramref name="user"/>.</summary>
    public Task<IPage> SignInAsync(string user, string password = Password, int width = 1200) => ConsoleBrowser.SignInAsync(Browser, BaseUrl, user, password, width);

    protected override async Task SeedAsync()
    {
        var services = App.Services;
        await services.GetRequiredService<HubDatabase>().MigrateAsync(CancellationToken.None);
        var outbox = services.GetRequiredService<IOutbox>();
        var episodeOne = Guid.NewGuid();

        // Episode one is about AccountingPerson: its disclosures carry the pseudonym agency A's key gives that person,
        // computed with the hub's own tokenizer, as the privacy stage would.
        var tokens = services.GetRequiredService<IPersonTokenizer>().Tokenize(AccountingPerson, new EventLocation());
        var quill = Keyed.HmacHex(KeyA, "person|" + tokens[0].Value);
        await EnqueueAsync(outbox, EpisodeOneV1, episodeOne, 1, null, AgencyA, "Quill",
            new EventLocation { Precision = LocationPrecision.County, CountyFips = "42091", State = "PA" }, "keep", quill);
        await EnqueueAsync(outbox, EpisodeTwo, Guid.NewGuid(), 1, null, AgencyA, "Marsh",
            new EventLocation { Precision = LocationPrecision.Point, Latitude = PerturbedPoint.Lat, Longitude = PerturbedPoint.Lon, CountyFips = "42091" }, "perturb");
        await EnqueueAsync(outbox, EpisodeOneV2, episodeOne, 2, EpisodeOneV1, AgencyA, "Quill",
            new EventLocation { Precision = LocationPrecision.Point, Latitude = CellCentre.Lat, Longitude = CellCentre.Lon, CountyFips = "42091" }, "generalize:grid", quill);
        await EnqueueAsync(outbox, OtherAgency, Guid.NewGuid(), 1, null, AgencyB, "Otherside",
            new EventLocation { Precision = LocationPrecision.Point, Latitude = OtherAgencyPoint.Lat, Longitude = OtherAgencyPoint.Lon, CountyFips = "42017" }, "keep");
        await EnqueueAsync(outbox, EpisodeThree, Guid.NewGuid(), 1, null, AgencyA, "Fernsby",
            new EventLocation { Precision = LocationPrecision.CensusTract, CensusTract = "42091203800", CountyFips = "42091" }, "redact");
        SpikeA = await EnqueueSpikeAsync(outbox, AgencyA, "42091", "Montgomery County, PA", 7);
        SpikeB = await EnqueueSpikeAsync(outbox, AgencyB, "42017", "Bucks County, PA", 5);

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

    /// <summary>A spike alert exactly as <see cref="SpikeAlertWriter"/> queues it (message id, type, ledger profile and fields).</summary>
    private static async Task<Guid> EnqueueSpikeAsync(IOutbox outbox, string recipient, string jurisdiction, string name, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var spike = new OverdoseSpikeDetected
        {
            SpikeId = Guid.NewGuid(),
            JurisdictionId = jurisdiction,
            JurisdictionName = name,
            WindowStartUtc = now.AddHours(-24),
            WindowEndUtc = now,
            EventCount = count,
            FatalCount = 1,
            NaloxoneCount = count - 1,
            Threshold = 4,
            Method = "fixed",
            OccurredAtUtc = now,
        };
        var id = SpikeAlertWriter.MessageIdOf(spike.SpikeId, recipient);
        await outbox.EnqueueAsync(
            new LedgerEntryDraft
            {
                Actor = "hub",
                Action = LedgerActions.Disclosed,
                CorrelationId = id.ToString(),
                RecipientId = recipient,
                Purpose = SpikeAlertWriter.Purpose,
                Profile = SpikeAlertWriter.Profile,
                Fields = SpikeAlertWriter.Fields,
            },
            new OutboxMessage { MessageId = id, RecipientId = recipient, Channel = "inbox", Destination = "", MessageType = SpikeAlertWriter.MessageType, PayloadJson = JsonSerializer.Serialize(spike, HubJson.Options) },
            CancellationToken.None);
        return id;
    }

    private static async Task EnqueueAsync(
        IOutbox outbox, Guid id, Guid episode, int version, Guid? supersedes, string recipient, string familyName, EventLocation location, string pointMethod, string? pseudonym = null)
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
            Profile = new AppliedProfile
            {
                Name = "identified-outreach",
                RuleSetVersion = "2026-11-01",
                Methods = [new AppliedMethod { Field = "event.location.point", Method = pointMethod }],
            },
            Subject = new DisclosedSubject { FamilyName = familyName, GivenName = "<b>Test</b>" },
            Event = new DisclosedEvent { OccurredAt = "2026-11-20T22:10:00-05:00", NaloxoneGiven = true, NaloxoneDoses = 2, Location = location },
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
                PersonPseudonym = pseudonym ?? "p-" + familyName,
                Fields = ["subject.familyName", "subject.givenName", "event.occurredAt"],
            },
            new OutboxMessage { MessageId = id, RecipientId = recipient, Channel = "inbox", Destination = "", MessageType = "urn:message:hub:overdose-notification:v1", PayloadJson = payload },
            CancellationToken.None);
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleHub>
{
    public const string Name = "console";
}
