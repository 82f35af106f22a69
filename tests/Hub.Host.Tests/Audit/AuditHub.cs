using System.CommandLine;
using System.Text.Json;
using Hub.Audit.Ledger;
using Hub.Contracts.Model;
using Hub.Host.Cli;

namespace Hub.Host.Tests.Audit;

/// <summary>
/// A hub on SQLite in its own folder whose whole configuration is one <c>--config</c> file, so the audit commands
/// (run in-process on the same file) see exactly what the hub saw: a police feed, an outreach recipient with its
/// agreement, a health department that receives spike alerts, and a fixed spike threshold for county 42091.
/// </summary>
internal sealed class AuditHub : IAsyncDisposable
{
    public const string RecipientId = "montco-post";
    public const string RecipientName = "Montgomery County post-overdose outreach";
    public const string RecipientAddress = "1430 DeKalb St, Norristown, PA";
    public const string HealthDepartmentId = "montco-health";
    public const string County = "42091";

    private static readonly SemaphoreSlim ConsoleGate = new(1, 1);

    private AuditHub(string folder, string configFile, WebApplication app)
    {
        Folder = folder;
        ConfigFile = configFile;
        App = app;
    }

    public string Folder { get; }

    public string ConfigFile { get; }

    public string DatabaseFile => Path.Combine(Folder, "hub.db");

    public string CheckpointFolder => Path.Combine(Folder, "checkpoints");

    public WebApplication App { get; }

    public static AuditHub Create(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "hub-audit-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>
        {
            ["Hub:Database:Provider"] = "sqlite",
            ["Hub:Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "hub.db")}",
            ["Hub:Audit:CheckpointFolder"] = Path.Combine(folder, "checkpoints"),
            ["Hub:Bus:Transport"] = "in-memory",
            ["Hub:Recipients:0:Id"] = RecipientId,
            ["Hub:Recipients:0:Name"] = RecipientName,
            ["Hub:Recipients:0:Kind"] = "outreach-team",
            ["Hub:Recipients:0:Address"] = RecipientAddress,
            ["Hub:Recipients:0:Jurisdiction:CountyFips:0"] = County,
            ["Hub:Recipients:0:Profile"] = "identified-outreach",
            ["Hub:Recipients:0:Delivery:Channel"] = "queue",
            ["Hub:Recipients:0:PseudonymKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            ["Hub:Recipients:1:Id"] = HealthDepartmentId,
            ["Hub:Recipients:1:Name"] = "Montgomery County health department",
            ["Hub:Recipients:1:Kind"] = "health-department",
            ["Hub:Recipients:1:Address"] = "1430 DeKalb St, Norristown, PA",
            ["Hub:Recipients:1:Jurisdiction:CountyFips:0"] = County,
            ["Hub:Recipients:1:Profile"] = "safe-harbor",
            ["Hub:Recipients:1:Delivery:Channel"] = "inbox",
            ["Hub:Recipients:1:ReceivesSpikeAlerts"] = "true",
            ["Hub:Recipients:1:PseudonymKey"] = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray()),
            ["Hub:Agreements:0:Id"] = "dsa-township-post",
            ["Hub:Agreements:0:Name"] = "Township police / county outreach data-sharing agreement",
            ["Hub:Agreements:0:SourceAgencyIds:0"] = "township-police",
            ["Hub:Agreements:0:RecipientId"] = RecipientId,
            ["Hub:Agreements:0:Purpose"] = "PUBHLTH",
            ["Hub:Agreements:0:LegalBasis"] = "State overdose response statute",
            ["Hub:Agreements:0:MaxProfile"] = "identified-outreach",
            ["Hub:Agreements:0:EffectiveFrom"] = "2025-01-01",
            ["Hub:Spikes:Jurisdictions:0:Id"] = County,
            ["Hub:Spikes:Jurisdictions:0:Name"] = "Montgomery County, PA",
            ["Hub:Spikes:Jurisdictions:0:Method"] = "fixed",
            ["Hub:Spikes:Jurisdictions:0:Threshold"] = "3",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        // The JSON configuration provider reads "a:b" property names as the path a → b, so a flat object is a full configuration.
        var configFile = Path.Combine(folder, "hub.json");
        File.WriteAllText(configFile, JsonSerializer.Serialize(settings));
        var app = HubApplication.Build(new HubRunSettings(configFile, Watch: false, Dispatch: true, Web: false));
        return new AuditHub(folder, configFile, app);
    }

    /// <summary>A police overdose call in county 42091, optionally about a named person.</summary>
    public static OverdoseEvent PoliceEvent(string recordId, DateTimeOffset occurredAt, SubjectIdentity? subject = null, string zip = "19401") => new()
    {
        EventId = "township-pd:" + recordId,
        SourceKind = SourceKind.Police,
        FeedId = "township-pd",
        SourceAgencyId = "township-police",
        SourceRecordId = recordId,
        OccurredAt = occurredAt,
        Location = new EventLocation { Precision = LocationPrecision.Zip, Zip = zip, CountyFips = County, State = "PA", City = "Norristown" },
        Subject = subject,
        Detection = new DetectionResult { DefinitionId = "cad-call-type", DefinitionVersion = "1" },
        Provenance = new Provenance { Source = "test", Sha256 = new string('a', 64), ReceivedAtUtc = occurredAt },
    };

    /// <summary>Runs <c>hub [--config this] audit …</c> in-process and captures what it prints on stdout.</summary>
    public async Task<(int ExitCode, string Output)> AuditAsync(params string[] arguments)
    {
        var (exit, output, _) = await RunAuditAsync(null, arguments);
        return (exit, output);
    }

    /// <summary>
    /// Runs <c>hub audit …</c> with <c>HUB_CONSOLE_PASSWORD</c> set to <paramref name="password"/> (as a script would),
    /// capturing stdout and stderr. The variable is cleared afterwards; the collection runs these one at a time.
    /// </summary>
    public Task<(int ExitCode, string Output, string Error)> AuditAsAsync(string password, params string[] arguments) =>
        RunAuditAsync(password, arguments);

    private async Task<(int ExitCode, string Output, string Error)> RunAuditAsync(string? password, string[] arguments)
    {
        var root = new RootCommand("test");
        root.Options.Add(HubCommandLine.ConfigOption);
        root.Subcommands.Add(AuditCommands.Create());
        string[] args = ["--config", ConfigFile, "audit", .. arguments];
        await ConsoleGate.WaitAsync();
        var original = System.Console.Out;
        var originalError = System.Console.Error;
        var captured = new StringWriter();
        var capturedError = new StringWriter();
        try
        {
            System.Console.SetOut(captured);
            System.Console.SetError(capturedError);
            Environment.SetEnvironmentVariable(AuditCommands.PasswordVariable, password);
            var exit = await root.Parse(args).InvokeAsync();
            return (exit, captured.ToString(), capturedError.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(AuditCommands.PasswordVariable, null);
            System.Console.SetOut(original);
            System.Console.SetError(originalError);
            ConsoleGate.Release();
        }
    }

    /// <summary>Adds a console account through the same code as <c>hub users add</c> (the framework's password hash).</summary>
    public async Task AddUserAsync(string name, string role, string password)
    {
        var exit = await UsersCommands.AddUserAsync(App.Services, name, role, role == "recipient" ? RecipientId : null, password, TextWriter.Null, CancellationToken.None);
        Assert.Equal(0, exit);
    }

    public async Task<List<LedgerEntry>> LedgerAsync()
    {
        var entries = new List<LedgerEntry>();
        await foreach (var entry in App.Services.GetRequiredService<ILedger>().ReadAsync(1, CancellationToken.None))
        {
            entries.Add(entry);
        }

        return entries;
    }

    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout) =>
        HostTestSupport.WaitUntilAsync(condition, timeout);

    public async ValueTask DisposeAsync() => await HostTestSupport.StopAndDeleteAsync(App, Folder);
}
