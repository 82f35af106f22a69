using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hub.Audit.Ledger;

/// <summary>Signs the current head and writes it to the checkpoint folder; called by the daily Quartz job.</summary>
public sealed class LedgerCheckpointer
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly SqlLedger _ledger;
    private readonly AuditOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    /// <summary>Creates the checkpointer.</summary>
    public LedgerCheckpointer(SqlLedger ledger, IOptions<AuditOptions> options, TimeProvider clock, ILogger<LedgerCheckpointer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _ledger = ledger;
        _options = options.Value;
        _clock = clock;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Signs the head as it is now and writes <c>ledger-checkpoint-{sequence}-{time}.json</c> atomically.</summary>
    public async Task<LedgerCheckpointFile> WriteCheckpointAsync(CancellationToken cancellationToken)
    {
        var head = await _ledger.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        var created = _clock.GetUtcNow().ToUniversalTime();
        using var key = AuditKeys.LoadSigningKey(_options.CheckpointSigningKey);
        var signature = key.SignData(LedgerCheckpoint.SignedBytes(head.Sequence, head.Hash, created), HashAlgorithmName.SHA256);
        var checkpoint = new LedgerCheckpoint
        {
            Sequence = head.Sequence,
            Hash = head.Hash,
            CreatedAtUtc = created,
            KeyId = AuditKeys.KeyId(key),
            Signature = Convert.ToBase64String(signature),
        };

        Directory.CreateDirectory(_options.CheckpointFolder);
        var name = string.Create(CultureInfo.InvariantCulture, $"ledger-checkpoint-{head.Sequence:D12}-{created.UtcDateTime:yyyyMMdd'T'HHmmssfffffff'Z'}.json");
        var path = Path.Combine(_options.CheckpointFolder, name);
        var temp = path + ".tmp";
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(checkpoint, Json), cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: false);
        Log.CheckpointWritten(_logger, head.Sequence, name);
        return new LedgerCheckpointFile(checkpoint, path);
    }
}
