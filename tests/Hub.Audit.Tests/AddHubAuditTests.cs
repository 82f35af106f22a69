using System.Security.Cryptography;
using Hub.Audit.Accounting;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Audit.Retention;
using Hub.Audit.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Hub.Audit.Tests;

public sealed class AddHubAuditTests
{
    [Fact]
    public async Task Given_valid_configuration_When_the_services_are_built_and_started_Then_everything_resolves_and_the_schema_exists()
    {
        var folder = Directory.CreateTempSubdirectory("hub-audit-di-").FullName;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var provider = Build(new()
        {
            ["Hub:Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "hub.db")}",
            ["Hub:Audit:CheckpointFolder"] = Path.Combine(folder, "checkpoints"),
            ["Hub:Audit:CheckpointSigningKey"] = key.ExportPkcs8PrivateKeyPem(),
            ["Hub:Audit:PayloadEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });

        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var writer = provider.GetRequiredService<GroupCommitLedgerWriter>();
        var entry = await writer.AppendAsync(new LedgerEntryDraft { Actor = "hub", Action = LedgerActions.ConfigurationChanged }, CancellationToken.None);
        Assert.Equal(1, entry.Sequence);
        Assert.IsType<SqlOutbox>(provider.GetRequiredService<IOutbox>());
        Assert.IsType<SqlIntakeStore>(provider.GetRequiredService<IIntakeStore>());
        Assert.Same(provider.GetRequiredService<SqlLedger>(), provider.GetRequiredService<ILedger>());
        _ = provider.GetRequiredService<DisclosureAccounting>();
        _ = provider.GetRequiredService<DisclosureQueries>();
        _ = provider.GetRequiredService<RetentionPurger>();
        var checkpoint = await provider.GetRequiredService<LedgerCheckpointer>().WriteCheckpointAsync(CancellationToken.None);
        Assert.Equal(1, checkpoint.Checkpoint.Sequence);
        Assert.True((await provider.GetRequiredService<LedgerVerifier>().VerifyAsync(CancellationToken.None)).Intact);
        await provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Given_bad_keys_When_options_are_read_Then_validation_lists_every_failure()
    {
        using var rsa = RSA.Create(2048);
        await using var provider = Build(new()
        {
            ["Hub:Audit:CheckpointSigningKey"] = Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()),
            ["Hub:Audit:PayloadEncryptionKey"] = Convert.ToBase64String(new byte[16]),
            ["Hub:Audit:PayloadRetentionDays"] = "0",
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AuditOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("CheckpointSigningKey", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("PayloadEncryptionKey", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("PayloadRetentionDays", StringComparison.Ordinal));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHubAudit(configuration);
        return services.BuildServiceProvider();
    }
}
