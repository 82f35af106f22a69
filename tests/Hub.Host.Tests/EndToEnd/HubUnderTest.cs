using System.Text;
using Hub.Audit.Ledger;
using Hub.Testing.Postgres;
using Hub.Testing.RabbitMq;
using RabbitMQ.Client;

namespace Hub.Host.Tests.EndToEnd;

/// <summary>
/// A hub configured for one test: its own folder (inbox, database, checkpoints), a CAD feed, one recipient in
/// Montgomery County PA (42091) with its agreement, and the bus and database the test chooses.
/// </summary>
internal sealed class HubUnderTest : IAsyncDisposable
{
    public const string FeedId = "township-pd";
    public const string RecipientId = "montco-post";
    public const string Queue = "hub.recipient." + RecipientId;

    /// <summary>A township CAD export with overdose and other calls.</summary>
    public static readonly string CadFile = Path.Combine(AppContext.BaseDirectory, "TestData", "Cad", "township-pd-2026-03-14.csv");

    private HubUnderTest(string folder, WebApplication app)
    {
        Folder = folder;
        App = app;
    }

    public string Folder { get; }

    public string Inbox => Path.Combine(Folder, "inbox", FeedId);

    public WebApplication App { get; }

    public static HubUnderTest Create(RabbitMqVirtualHost? rabbit, string? postgresConnectionString, string profile = "identified-outreach", IReadOnlyDictionary<string, string?>? extra = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "hub-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var data = Path.Combine(AppContext.BaseDirectory, "TestData", "Cad");
        var settings = new Dictionary<string, string?>
        {
            ["Hub:Database:Provider"] = postgresConnectionString is null ? "sqlite" : "postgresql",
            ["Hub:Database:ConnectionString"] = postgresConnectionString ?? $"Data Source={Path.Combine(folder, "hub.db")}",
            ["Hub:Audit:CheckpointFolder"] = Path.Combine(folder, "checkpoints"),
            ["Hub:Watcher:PollInterval"] = "00:00:00.100",
            ["Hub:Watcher:StableFor"] = "00:00:00.200",
            ["Hub:Feeds:0:Id"] = FeedId,
            ["Hub:Feeds:0:Kind"] = "Cad",
            ["Hub:Feeds:0:AgencyId"] = "township-police",
            ["Hub:Feeds:0:TimeZone"] = "America/New_York",
            ["Hub:Feeds:0:Inbox"] = Path.Combine(folder, "inbox", FeedId),
            ["Hub:Feeds:0:CadProfileFile"] = Path.Combine(data, "township-pd.profile.json"),
            ["Hub:Recipients:0:Id"] = RecipientId,
            ["Hub:Recipients:0:Name"] = "Montgomery County post-overdose outreach",
            ["Hub:Recipients:0:Kind"] = "outreach-team",
            ["Hub:Recipients:0:Address"] = "1430 DeKalb St, Norristown, PA",
            ["Hub:Recipients:0:Jurisdiction:CountyFips:0"] = "42091",
            ["Hub:Recipients:0:Profile"] = profile,
            ["Hub:Recipients:0:Delivery:Channel"] = "queue",
            ["Hub:Recipients:0:PseudonymKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            ["Hub:Agreements:0:Id"] = "dsa-township-post",
            ["Hub:Agreements:0:Name"] = "Township police / county outreach data-sharing agreement",
            ["Hub:Agreements:0:SourceAgencyIds:0"] = "township-police",
            ["Hub:Agreements:0:RecipientId"] = RecipientId,
            ["Hub:Agreements:0:Purpose"] = "PUBHLTH",
            ["Hub:Agreements:0:LegalBasis"] = "State overdose response statute; police data (not PHI)",
            ["Hub:Agreements:0:MaxProfile"] = "identified-outreach",
            ["Hub:Agreements:0:EffectiveFrom"] = "2025-01-01",
        };

        if (postgresConnectionString is not null)
        {
            // A PostgreSQL deployment gets its keys from the environment; the embedded SQLite default makes its own.
            using var signing = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            settings["Hub:Audit:CheckpointSigningKey"] = Convert.ToBase64String(signing.ExportPkcs8PrivateKey());
            settings["Hub:Audit:PayloadEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            settings["Hub:Privacy:TokenKeyBase64"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }

        if (rabbit is not null)
        {
            settings["Hub:Bus:Transport"] = "rabbitmq";
            settings["Hub:Bus:Host"] = rabbit.Host;
            settings["Hub:Bus:Port"] = rabbit.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Hub:Bus:VirtualHost"] = rabbit.Name;
            settings["Hub:Bus:Username"] = rabbit.UserName;
            settings["Hub:Bus:Password"] = rabbit.Password;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = HubApplication.Build(new HubRunSettings(null, Watch: true, Dispatch: true, Web: false, Overrides: settings));
        return new HubUnderTest(folder, app);
    }

    public void Drop(string sourceFile, string asName) => HostTestSupport.Drop(Inbox, sourceFile, asName);

    public Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout) =>
        HostTestSupport.WaitUntilAsync(() => Task.FromResult(condition()), timeout);

    public async ValueTask DisposeAsync() => await HostTestSupport.StopAndDeleteAsync(App, Folder);

    /// <summary>Counts the rows whose call type the test profile names, reading the CSV independently of the hub.</summary>
    public static int CountOverdoseRows(string file) =>
        File.ReadAllLines(file).Skip(1)
            .Select(l => l.Split(','))
            .Count(cells => cells.Length == 7 && (cells[1] is "OD" or "OVERDOSE" || System.Text.RegularExpressions.Regex.IsMatch(cells[1], "^23-?[A-EO]-?\\d")));

    /// <summary>Takes at least <paramref name="atLeast"/> messages from a queue (fewer when the time runs out).</summary>
    public static async Task<List<(string MessageId, string Body)>> DrainAsync(RabbitMqVirtualHost vhost, string queue, int atLeast, TimeSpan timeout)
    {
        var factory = new ConnectionFactory { Uri = vhost.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var received = new List<(string, string)>();
        var deadline = DateTime.UtcNow + timeout;
        while (received.Count < atLeast && DateTime.UtcNow < deadline)
        {
            BasicGetResult? result;
            try
            {
                result = await channel.BasicGetAsync(queue, autoAck: true);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // The queue is declared by the hub's first delivery; until then it does not exist.
                await Task.Delay(200);
                return await DrainAsync(vhost, queue, atLeast, deadline - DateTime.UtcNow);
            }

            if (result is null)
            {
                await Task.Delay(100);
                continue;
            }

            received.Add((result.BasicProperties.MessageId!, Encoding.UTF8.GetString(result.Body.Span)));
        }

        return received;
    }

    /// <summary>How many ledger entries have this action.</summary>
    public static async Task<int> CountLedgerAsync(ILedger ledger, string action)
    {
        var count = 0;
        await foreach (var entry in ledger.ReadAsync(1, CancellationToken.None))
        {
            count += entry.Content.Action == action ? 1 : 0;
        }

        return count;
    }
}
