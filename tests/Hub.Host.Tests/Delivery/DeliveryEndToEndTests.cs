using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Hub.Audit.Ledger;
using Hub.Contracts.Sharing;
using Hub.Host.Delivery;
using Hub.Testing.RabbitMq;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Hub.Host.Tests.Delivery;

/// <summary>
/// The whole loop through a real broker: the hub provisions its vhost and the recipient's user, a CAD file comes in,
/// notifications reach the recipient's queue, the sample agency consumer (samples/OutreachConsumer, run as its own
/// process with the recipient's credentials) acknowledges and reports outcomes on its reply exchange, and the hub
/// records them in the ledger. The HTTP reply path is checked on the same hub.
/// </summary>
[Collection(RabbitMqNode.Collection)]
[Trait("Category", "Integration")]
public sealed class DeliveryEndToEndTests(RabbitMqNode rabbit)
{
    private const string RecipientId = "montco-post";
    private const string ApiKey = "agency-api-key-for-tests-0123456789";
    private static readonly string CadFile = Path.Combine(AppContext.BaseDirectory, "TestData", "Cad", "township-pd-2026-03-14.csv");

    [Fact]
    public async Task Given_a_provisioned_broker_When_a_cad_file_arrives_and_the_sample_consumer_runs_Then_acknowledgments_and_outcomes_are_recorded()
    {
        var hubUser = "hubsvc-" + Guid.NewGuid().ToString("N")[..8];
        var hubPassword = Guid.NewGuid().ToString("N");
        var queuePassword = Guid.NewGuid().ToString("N");
        await rabbit.CreateUserAsync(hubUser, hubPassword);
        var vhost = new RabbitMqVirtualHost { Name = "hub-loop-" + Guid.NewGuid().ToString("N")[..8], Host = rabbit.Host, Port = rabbit.Port, UserName = hubUser, Password = hubPassword };
        await using var hub = DeliveryHub.Create(vhost, new Dictionary<string, string?>
        {
            ["Hub:Recipients:0:Delivery:QueuePassword"] = queuePassword,
            ["Hub:Recipients:0:Delivery:ApiKeySha256"] = ApiKeyHash.Sha256Hex(ApiKey),
        });

        var provisioner = hub.App.Services.GetRequiredService<RabbitMqProvisioner>();
        await provisioner.ApplyAsync((args, _) => rabbit.RunCtlAsync([.. args]), CancellationToken.None);
        await provisioner.DeclareQueuesAsync(CancellationToken.None);

        await hub.App.StartAsync();
        var ledger = hub.App.Services.GetRequiredService<ILedger>();
        hub.Drop(CadFile, "township-pd-2026-03-14.csv");
        var processed = Path.Combine(hub.Inbox, "processed");
        await hub.WaitUntilAsync(() => Task.FromResult(Directory.Exists(processed) && Directory.EnumerateFiles(processed).Any()), TimeSpan.FromSeconds(90));
        await hub.WaitUntilAsync(async () => await CountAsync(ledger, LedgerActions.Delivered) > 0 && await CountAsync(ledger, LedgerActions.Delivered) == await CountAsync(ledger, LedgerActions.Disclosed), TimeSpan.FromSeconds(90));
        var delivered = await CountAsync(ledger, LedgerActions.Delivered);

        var (exit, output) = await RunSampleAsync(vhost, queuePassword);
        Assert.True(exit == 0, output);
        Assert.Contains($"received={delivered} duplicates=0 acknowledged={delivered} outcomes={delivered} invalid=0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Testperson", output, StringComparison.Ordinal);

        await hub.WaitUntilAsync(async () => await CountAsync(ledger, LedgerActions.OutcomeReported) == delivered && await CountAsync(ledger, LedgerActions.Acknowledged) == delivered, TimeSpan.FromSeconds(60));
        var entries = await ReadAsync(ledger);
        var disclosed = entries.Where(e => e.Content.Action == LedgerActions.Disclosed).Select(e => e.Content.CorrelationId).ToHashSet();
        Assert.All(entries.Where(e => e.Content.Action is LedgerActions.Acknowledged or LedgerActions.OutcomeReported), e =>
        {
            Assert.Equal(RecipientId, e.Content.RecipientId);
            Assert.Contains(e.Content.CorrelationId, disclosed);
        });

        // The HTTP path: a known key is the recipient; an unknown key and a notification never sent to it are refused.
        var address = hub.App.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var notificationId = Guid.Parse(disclosed.First()!);
        var body = new { notificationId, episodeId = Guid.NewGuid(), recipientId = RecipientId, outcome = "KitLeft", occurredAtUtc = DateTimeOffset.UtcNow };
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(http, $"/api/notifications/{notificationId}/outcome", body, ApiKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(http, $"/api/notifications/{notificationId}/outcome", body, "wrong-key")).StatusCode);
        var stranger = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(http, $"/api/notifications/{stranger}/ack", new { notificationId = stranger, episodeId = Guid.NewGuid(), recipientId = RecipientId, occurredAtUtc = DateTimeOffset.UtcNow }, ApiKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(http, $"/api/notifications/{notificationId}/ack", new { notificationId, episodeId = Guid.NewGuid(), recipientId = "someone-else", occurredAtUtc = DateTimeOffset.UtcNow }, ApiKey)).StatusCode);
        Assert.Equal(delivered + 1, await CountAsync(ledger, LedgerActions.OutcomeReported));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(DeliveryServiceCollectionExtensions.ApiKeyHeader, key);
        return await http.SendAsync(request);
    }

    /// <summary>Runs the sample as an agency would: its own process, its own credentials, nothing of the hub.</summary>
    private static async Task<(int Exit, string Output)> RunSampleAsync(RabbitMqVirtualHost vhost, string password)
    {
        var project = Path.Combine(RepositoryRoot.Path, "samples", "OutreachConsumer", "OutreachConsumer.csproj");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "run", "--project", project, "--artifacts-path", Path.Combine(Path.GetTempPath(), "art-delivery-sample"), "--",
            "--recipient", RecipientId, "--host", vhost.Host, "--port", vhost.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--vhost", vhost.Name, "--idle-seconds", "5", "--outcome", "KitLeft",
        })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["OUTREACH_AMQP_PASSWORD"] = password;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<int> CountAsync(ILedger ledger, string action) => (await ReadAsync(ledger)).Count(e => e.Content.Action == action);

    private static async Task<List<LedgerEntry>> ReadAsync(ILedger ledger)
    {
        var entries = new List<LedgerEntry>();
        await foreach (var entry in ledger.ReadAsync(1, CancellationToken.None))
        {
            entries.Add(entry);
        }

        return entries;
    }
}
