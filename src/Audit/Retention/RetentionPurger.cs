using Hub.Audit.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hub.Audit.Retention;

/// <summary>
/// Purges the payloads (the PHI) of delivered outbox rows after the configured period. Ledger entries and hashes are
/// never touched (they are kept at least six years and are append-only); a row not yet delivered is never purged.
/// </summary>
public sealed class RetentionPurger
{
    private readonly HubDatabase _database;
    private readonly AuditOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    /// <summary>Creates the purger.</summary>
    public RetentionPurger(HubDatabase database, IOptions<AuditOptions> options, TimeProvider clock, ILogger<RetentionPurger>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _database = database;
        _options = options.Value;
        _clock = clock;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Purges what is due now; returns how many payloads were removed.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var cutoff = now.AddDays(-_options.PayloadRetentionDays);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                "UPDATE outbox SET payload = NULL, payload_purged_at = @now " +
                "WHERE delivered_at IS NOT NULL AND delivered_at < @cutoff AND payload IS NOT NULL");
            command.Add("@now", Db.ToMicros(now));
            command.Add("@cutoff", Db.ToMicros(cutoff));
            var purged = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            Log.PayloadsPurged(_logger, purged, cutoff);
            return purged;
        }
    }
}
