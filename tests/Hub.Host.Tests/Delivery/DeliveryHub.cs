using Hub.Testing.RabbitMq;

namespace Hub.Host.Tests.Delivery;

/// <summary>
/// A hub for the delivery tests, like EndToEnd.HubUnderTest (CAD feed, one queue recipient in county 42091 with its
/// agreement, SQLite) but with the extra delivery settings a test passes in.
/// </summary>
internal sealed class DeliveryHub : IAsyncDisposable
{
    private const string FeedId = "township-pd";

    private DeliveryHub(string folder, WebApplication app)
    {
        Folder = folder;
        App = app;
    }

    public string Folder { get; }

    public string Inbox => Path.Combine(Folder, "inbox", FeedId);

    public WebApplication App { get; }

    public static DeliveryHub Create(RabbitMqVirtualHost rabbit, IReadOnlyDictionary<string, string?> extra)
    {
        var folder = Path.Combine(Path.GetTempPath(), "hub-delivery-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var data = Path.Combine(AppContext.BaseDirectory, "TestData", "Cad");
        var settings = new Dictionary<string, string?>
        {
            ["Hub:Database:Provider"] = "sqlite",
            ["Hub:Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "hub.db")}",
            ["Hub:Audit:CheckpointFolder"] = Path.Combine(folder, "checkpoints"),
            ["Hub:Watcher:PollInterval"] = "00:00:00.100",
            ["Hub:Watcher:StableFor"] = "00:00:00.200",
            ["Hub:Feeds:0:Id"] = FeedId,
            ["Hub:Feeds:0:Kind"] = "Cad",
            ["Hub:Feeds:0:AgencyId"] = "township-police",
            ["Hub:Feeds:0:TimeZone"] = "America/New_York",
            ["Hub:Feeds:0:Inbox"] = Path.Combine(folder, "inbox", FeedId),
            ["Hub:Feeds:0:CadProfileFile"] = Path.Combine(data, "township-pd.profile.json"),
            ["Hub:Recipients:0:Id"] = "montco-post",
            ["Hub:Recipients:0:Name"] = "Montgomery County post-overdose outreach",
            ["Hub:Recipients:0:Kind"] = "outreach-team",
            ["Hub:Recipients:0:Address"] = "1430 DeKalb St, Norristown, PA",
            ["Hub:Recipients:0:Jurisdiction:CountyFips:0"] = "42091",
            ["Hub:Recipients:0:Profile"] = "identified-outreach",
            ["Hub:Recipients:0:Delivery:Channel"] = "queue",
            ["Hub:Recipients:0:PseudonymKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            ["Hub:Agreements:0:Id"] = "dsa-township-post",
            ["Hub:Agreements:0:Name"] = "Township police / county outreach data-sharing agreement",
            ["Hub:Agreements:0:SourceAgencyIds:0"] = "township-police",
            ["Hub:Agreements:0:RecipientId"] = "montco-post",
            ["Hub:Agreements:0:Purpose"] = "PUBHLTH",
            ["Hub:Agreements:0:LegalBasis"] = "State overdose response statute; police data (not PHI)",
            ["Hub:Agreements:0:MaxProfile"] = "identified-outreach",
            ["Hub:Agreements:0:EffectiveFrom"] = "2025-01-01",
            ["Hub:Bus:Transport"] = "rabbitmq",
            ["Hub:Bus:Host"] = rabbit.Host,
            ["Hub:Bus:Port"] = rabbit.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hub:Bus:VirtualHost"] = rabbit.Name,
            ["Hub:Bus:Username"] = rabbit.UserName,
            ["Hub:Bus:Password"] = rabbit.Password,
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var app = HubApplication.Build(new HubRunSettings(null, Watch: true, Dispatch: true, Web: false, Overrides: settings));
        return new DeliveryHub(folder, app);
    }

    public void Drop(string sourceFile, string asName) => HostTestSupport.Drop(Inbox, sourceFile, asName);

    public Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout) =>
        HostTestSupport.WaitUntilAsync(condition, timeout, pollMilliseconds: 200);

    public async ValueTask DisposeAsync() => await HostTestSupport.StopAndDeleteAsync(App, Folder);
}
