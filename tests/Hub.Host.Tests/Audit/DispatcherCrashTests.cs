using System.Diagnostics;
using System.Globalization;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Audit.Storage;
using Hub.Testing.Postgres;
using Hub.Testing.RabbitMq;
using Microsoft.Data.Sqlite;
using Npgsql;
using RabbitMQ.Client;

namespace Hub.Host.Tests.Audit;

/// <summary>
/// The outbox survives a crash: the real <c>hub run</c> process is killed (SIGKILL) while it dispatches a large
/// backlog, so rows are published but not yet marked; after a restart every message id reaches the recipient's
/// queue at least once and the ledger holds exactly one <c>delivered</c> entry per disclosure. On both storage engines.
/// </summary>
[Collection(RabbitMqNode.Collection)]
[Trait("Category", "Integration")]
public sealed class DispatcherCrashTests(RabbitMqNode rabbit, PostgresNode postgres) : IClassFixture<PostgresNode>
{
    private const int Rows = 4000;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Given_a_hub_killed_while_dispatching_When_it_restarts_Then_every_row_arrives_at_least_once_and_is_marked_once(string engine)
    {
        var vhost = await rabbit.CreateVirtualHostAsync("crash");
        var settings = new Dictionary<string, string?>
        {
            ["Hub:Bus:Transport"] = "rabbitmq",
            ["Hub:Bus:Host"] = vhost.Host,
            ["Hub:Bus:Port"] = vhost.Port.ToString(CultureInfo.InvariantCulture),
            ["Hub:Bus:VirtualHost"] = vhost.Name,
            ["Hub:Bus:Username"] = vhost.UserName,
            ["Hub:Bus:Password"] = vhost.Password,
            ["Hub:Web:Urls"] = "http://127.0.0.1:0",
        };
        string? postgresConnection = null;
        if (engine == "postgresql")
        {
            postgresConnection = (await postgres.CreateDatabaseAsync("crash")).ConnectionString;
            using var signing = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            settings["Hub:Database:Provider"] = "postgresql";
            settings["Hub:Database:ConnectionString"] = postgresConnection;
            settings["Hub:Audit:CheckpointSigningKey"] = Convert.ToBase64String(signing.ExportPkcs8PrivateKey());
            settings["Hub:Audit:PayloadEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            settings["Hub:Privacy:TokenKeyBase64"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }

        await using var hub = AuditHub.Create(settings);
        Task<long> DeliveredAsync() => postgresConnection is null ? DeliveredInSqliteAsync(hub.DatabaseFile) : DeliveredInPostgresAsync(postgresConnection);
        await hub.App.Services.GetRequiredService<HubDatabase>().MigrateAsync(CancellationToken.None);
        var ids = await EnqueueBacklogAsync(hub.App.Services.GetRequiredService<IOutbox>());

        // First run: killed hard once part of the backlog is marked delivered.
        using (var first = StartHub(hub.ConfigFile, hub.Folder))
        {
            await AuditHub.WaitUntilAsync(async () => await DeliveredAsync() >= 300 || first.HasExited, TimeSpan.FromMinutes(2));
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var afterCrash = await DeliveredAsync();
        Assert.InRange(afterCrash, 1, Rows - 1);

        // Second run: finishes the backlog.
        using (var second = StartHub(hub.ConfigFile, hub.Folder))
        {
            await AuditHub.WaitUntilAsync(async () => await DeliveredAsync() == Rows || second.HasExited, TimeSpan.FromMinutes(3));
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }

        Assert.Equal(Rows, await DeliveredAsync());
        var received = await DrainIdsAsync(vhost, "hub.recipient." + AuditHub.RecipientId);
        Assert.True(received.Count >= Rows, $"received {received.Count} messages for {Rows} rows");
        Assert.Equal(ids.Order(), received.Select(Guid.Parse).Distinct().Order());

        var ledger = await hub.LedgerAsync();
        var delivered = ledger.Where(e => e.Content.Action == LedgerActions.Delivered).Select(e => e.Content.CorrelationId).ToList();
        Assert.Equal(Rows, delivered.Count);
        Assert.Equal(Rows, delivered.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(
            ledger.Where(e => e.Content.Action == LedgerActions.Disclosed).Select(e => e.Content.CorrelationId).Order(StringComparer.Ordinal),
            delivered.Order(StringComparer.Ordinal));
        Assert.True((await hub.App.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(CancellationToken.None)).Intact);
    }

    private static async Task<List<Guid>> EnqueueBacklogAsync(IOutbox outbox)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < Rows; i++)
        {
            var id = Guid.NewGuid();
            var payload = $"{{\"notificationId\":\"{id}\",\"n\":{i}}}";
            await outbox.EnqueueAsync(
                new LedgerEntryDraft { Actor = "hub", Action = LedgerActions.Disclosed, CorrelationId = id.ToString(), RecipientId = AuditHub.RecipientId, Purpose = "PUBHLTH", Profile = "test" },
                new OutboxMessage
                {
                    MessageId = id,
                    RecipientId = AuditHub.RecipientId,
                    Channel = "queue",
                    Destination = "hub.recipient." + AuditHub.RecipientId,
                    MessageType = "urn:message:hub:overdose-notification:v1",
                    PayloadJson = payload,
                },
                CancellationToken.None);
            ids.Add(id);
        }

        return ids;
    }

    private static Process StartHub(string configFile, string folder)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hub.dll"));
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configFile);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Process.Start(start)!;
    }

    private static async Task<long> DeliveredInPostgresAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox WHERE delivered_at IS NOT NULL", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> DeliveredInSqliteAsync(string databaseFile)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM outbox WHERE delivered_at IS NOT NULL";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> DrainIdsAsync(RabbitMqVirtualHost vhost, string queue)
    {
        var factory = new ConnectionFactory { Uri = vhost.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var ids = new List<string>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
        {
            ids.Add(result.BasicProperties.MessageId!);
        }

        return ids;
    }
}
