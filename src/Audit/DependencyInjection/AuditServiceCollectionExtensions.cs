using System.Security.Cryptography;
using Hub.Audit;
using Hub.Audit.Accounting;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Audit.Retention;
using Hub.Audit.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace so Program.cs needs no extra using.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the ledger, outbox, intake store and their jobs' services.</summary>
public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// Adds the audit part: <see cref="HubDatabase"/> (migrated at host start), <see cref="ILedger"/>, <see cref="IOutbox"/>,
    /// <see cref="IIntakeStore"/>, <see cref="GroupCommitIntakeWriter"/>, <see cref="GroupCommitLedgerWriter"/>, <see cref="LedgerCheckpointer"/>, <see cref="LedgerVerifier"/>,
    /// <see cref="DisclosureAccounting"/>, <see cref="DisclosureQueries"/> and <see cref="RetentionPurger"/>.
    /// </summary>
    /// <remarks>
    /// Binds <c>Hub:Database</c> (<see cref="DatabaseOptions"/>) and <c>Hub:Audit</c> (<see cref="AuditOptions"/>) and validates both
    /// at start, keys included: a bad key stops the host before any disclosure. Shape:
    /// <code>
    /// "Hub": { "Database": { "Provider": "postgresql", "ConnectionString": "...", "OwnerConnectionString": "...", "AppRole": "hub_app" },
    ///          "Audit": { "CheckpointFolder": "/var/lib/hub/checkpoints", "CheckpointSigningKey": "(env)", "PayloadEncryptionKey": "(env)",
    ///                     "PayloadRetentionDays": 90, "ExcludeLimitedDataSetFromAccounting": true } }
    /// </code>
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration holding the two sections.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddHubAudit(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton(sp => HubDatabase.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<SqlLedger>();
        services.TryAddSingleton<ILedger>(sp => sp.GetRequiredService<SqlLedger>());
        services.TryAddSingleton(sp => PayloadProtector.FromBase64(sp.GetRequiredService<IOptions<AuditOptions>>().Value.PayloadEncryptionKey));
        services.TryAddSingleton<SqlOutbox>();
        services.TryAddSingleton<IOutbox>(sp => sp.GetRequiredService<SqlOutbox>());
        services.TryAddSingleton<IParkedEventStore>(sp => new SqlParkedEventStore(sp.GetRequiredService<HubDatabase>(), sp.GetRequiredService<PayloadProtector>()));
        services.TryAddSingleton<SqlIntakeStore>();
        services.TryAddSingleton<IIntakeStore>(sp => sp.GetRequiredService<SqlIntakeStore>());
        services.TryAddSingleton<IIntakeProgressStore>(sp => new SqlIntakeProgressStore(sp.GetRequiredService<HubDatabase>()));
        services.TryAddSingleton(sp => new GroupCommitLedgerWriter(
            sp.GetRequiredService<ILedger>(),
            sp.GetRequiredService<IOptions<AuditOptions>>().Value.GroupCommitMaxBatch,
            sp.GetService<ILogger<GroupCommitLedgerWriter>>()));
        services.TryAddSingleton(sp => new GroupCommitIntakeWriter(
            sp.GetRequiredService<HubDatabase>(),
            sp.GetRequiredService<IOptions<AuditOptions>>().Value.GroupCommitMaxBatch,
            sp.GetService<ILogger<GroupCommitIntakeWriter>>()));
        services.TryAddSingleton<LedgerCheckpointer>();
        services.TryAddSingleton<LedgerVerifier>();
        services.TryAddSingleton<DisclosureAccounting>();
        services.TryAddSingleton<DisclosureQueries>();
        services.TryAddSingleton<RetentionPurger>();
        services.TryAddSingleton<Hub.Audit.Console.IFeedApiKeyStore, Hub.Audit.Console.SqlFeedApiKeyStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AuditSchemaInitializer>());
        return services;
    }
}

/// <summary>Checks what data annotations cannot: the keys parse and have the right size and curve.</summary>
internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        var failures = new List<string>();
        try
        {
            using var key = AuditKeys.LoadSigningKey(options.CheckpointSigningKey);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            failures.Add($"{AuditOptions.Section}:{nameof(AuditOptions.CheckpointSigningKey)} must be an ECDSA P-256 private key (PEM or base64 PKCS#8).");
        }

        if (!string.IsNullOrWhiteSpace(options.CheckpointVerificationKey))
        {
            try
            {
                using var key = AuditKeys.LoadVerificationKey(options);
            }
            catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
            {
                failures.Add($"{AuditOptions.Section}:{nameof(AuditOptions.CheckpointVerificationKey)} must be an ECDSA P-256 public key (PEM or base64 SubjectPublicKeyInfo).");
            }
        }

        try
        {
            AuditKeys.LoadPayloadKey(options.PayloadEncryptionKey);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            failures.Add($"{AuditOptions.Section}:{nameof(AuditOptions.PayloadEncryptionKey)} must be base64 of 32 bytes (AES-256).");
        }

        if (options.LimitedDataSetProfiles.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{AuditOptions.Section}:{nameof(AuditOptions.LimitedDataSetProfiles)} cannot hold empty names.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Checks the cross-field rules of the database options.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var failures = new List<string>();
        if (options.Provider == "sqlite" && (options.OwnerConnectionString is not null || options.AppRole is not null))
        {
            failures.Add($"{DatabaseOptions.Section}:{nameof(DatabaseOptions.OwnerConnectionString)} and {nameof(DatabaseOptions.AppRole)} apply to PostgreSQL only.");
        }

        if (options.AppRole is not null && string.IsNullOrWhiteSpace(options.OwnerConnectionString))
        {
            failures.Add($"{DatabaseOptions.Section}:{nameof(DatabaseOptions.AppRole)} needs {nameof(DatabaseOptions.OwnerConnectionString)}: the owner grants the app role.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Creates or upgrades the schema when the host starts, before any consumer runs.</summary>
internal sealed class AuditSchemaInitializer(HubDatabase database, ILogger<AuditSchemaInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        Log.SchemaReady(logger, HubDatabase.LatestSchemaVersion, database.Engine.ToString());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
