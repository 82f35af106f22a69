using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hub.Audit.Ledger;

/// <summary>The answer of <see cref="LedgerVerifier"/>: <c>hub audit verify</c> exits 0 only when <see cref="Intact"/>.</summary>
public sealed record LedgerVerificationResult
{
    /// <summary>True when every entry chains and hashes correctly and every checkpoint is signed and matched.</summary>
    public required bool Intact { get; init; }

    /// <summary>The first sequence number that cannot be trusted, when one can be named.</summary>
    public long? FirstBadSequence { get; init; }

    /// <summary>Why it failed (no PHI: sequence numbers and file names only).</summary>
    public string? Reason { get; init; }

    /// <summary>Entries read before stopping.</summary>
    public required long EntriesChecked { get; init; }

    /// <summary>Checkpoint files whose signature was valid.</summary>
    public required int CheckpointsChecked { get; init; }

    /// <summary>The newest valid checkpoint, if any.</summary>
    public LedgerCheckpoint? LastCheckpoint { get; init; }
}

/// <summary>Re-walks the whole chain and checks it against every signed checkpoint.</summary>
public sealed class LedgerVerifier
{
    private readonly SqlLedger _ledger;
    private readonly AuditOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the verifier.</summary>
    public LedgerVerifier(SqlLedger ledger, IOptions<AuditOptions> options, ILogger<LedgerVerifier>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);
        _ledger = ledger;
        _options = options.Value;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Verifies the chain from sequence 1 and every checkpoint in the configured folder.</summary>
    public async Task<LedgerVerificationResult> VerifyAsync(CancellationToken cancellationToken)
    {
        var (checkpoints, checkpointProblem) = LoadCheckpoints();
        var bySequence = checkpoints.GroupBy(c => c.Checkpoint.Sequence).ToDictionary(g => g.Key, g => g.ToList());
        var last = checkpoints.Count == 0 ? null : checkpoints.OrderBy(c => c.Checkpoint.Sequence).ThenBy(c => c.Checkpoint.CreatedAtUtc).Last().Checkpoint;

        long expected = 1;
        long checkedCount = 0;
        var previousHash = LedgerCanonicalForm.GenesisHash;
        (long Sequence, string Reason)? bad = null;

        if (bySequence.TryGetValue(0, out var genesis))
        {
            bad = CheckAgainst(genesis, 0, LedgerCanonicalForm.GenesisHash);
        }

        if (bad is null)
        {
            // Reading and re-hashing overlap: while the next chunk is read, the previous one is hashed on the other
            // cores; the chain, sequence and checkpoint checks then run in order, so the first bad sequence is the same.
            const int chunkSize = 4096;
            var chunk = new List<LedgerEntry>(chunkSize);
            (List<LedgerEntry> Entries, Task<bool[]> Hashes)? hashing = null;
            await foreach (var entry in _ledger.ReadAsync(1, cancellationToken).ConfigureAwait(false))
            {
                chunk.Add(entry);
                if (chunk.Count < chunkSize)
                {
                    continue;
                }

                if (hashing is { } previous && (bad = CheckChunk(previous.Entries, await previous.Hashes.ConfigureAwait(false))) is not null)
                {
                    break;
                }

                var full = chunk;
                hashing = (full, Task.Run(() => HashesMatch(full), cancellationToken));
                chunk = new List<LedgerEntry>(chunkSize);
            }

            if (bad is null && hashing is { } lastChunk)
            {
                bad = CheckChunk(lastChunk.Entries, await lastChunk.Hashes.ConfigureAwait(false));
            }

            if (bad is null && chunk.Count > 0)
            {
                bad = CheckChunk(chunk, HashesMatch(chunk));
            }
        }

        if (bad is null && last is not null && last.Sequence >= expected)
        {
            bad = (expected, string.Create(CultureInfo.InvariantCulture,
                $"truncated: a signed checkpoint covers sequence {last.Sequence} but the ledger ends at {expected - 1}"));
        }

        (long, string)? CheckChunk(List<LedgerEntry> entries, bool[] hashMatches)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                checkedCount++;
                var problem = CheckEntry(entry, expected, previousHash, hashMatches[i]);
                if (problem is null && bySequence.TryGetValue(entry.Sequence, out var matching))
                {
                    problem = CheckAgainst(matching, entry.Sequence, entry.Hash);
                }

                if (problem is not null)
                {
                    return problem;
                }

                previousHash = entry.Hash;
                expected = entry.Sequence + 1;
            }

            return null;
        }

        LedgerVerificationResult result;
        if (bad is { } found)
        {
            result = new LedgerVerificationResult
            {
                Intact = false, FirstBadSequence = found.Sequence, Reason = found.Reason, EntriesChecked = checkedCount,
                CheckpointsChecked = checkpoints.Count, LastCheckpoint = last,
            };
            Log.VerificationFailed(_logger, found.Sequence, found.Reason);
        }
        else if (checkpointProblem is not null)
        {
            result = new LedgerVerificationResult
            {
                Intact = false, Reason = checkpointProblem, EntriesChecked = checkedCount, CheckpointsChecked = checkpoints.Count, LastCheckpoint = last,
            };
            Log.VerificationFailed(_logger, null, checkpointProblem);
        }
        else
        {
            result = new LedgerVerificationResult { Intact = true, EntriesChecked = checkedCount, CheckpointsChecked = checkpoints.Count, LastCheckpoint = last };
            Log.VerifiedIntact(_logger, checkedCount, checkpoints.Count);
        }

        return result;
    }

    /// <summary>Whether each entry's stored hash is the hash of its content (independent per entry, so parallel).</summary>
    private static bool[] HashesMatch(List<LedgerEntry> entries)
    {
        var matches = new bool[entries.Count];
        Parallel.For(0, entries.Count, i =>
        {
            var entry = entries[i];
            var recomputed = LedgerCanonicalForm.ComputeHash(entry.PreviousHash, entry.Sequence, Storage.Db.ToMicros(entry.TimestampUtc), entry.Content);
            matches[i] = string.Equals(recomputed, entry.Hash, StringComparison.Ordinal);
        });
        return matches;
    }

    private static (long, string)? CheckEntry(LedgerEntry entry, long expected, string previousHash, bool hashMatches)
    {
        if (entry.Sequence != expected)
        {
            return (expected, string.Create(CultureInfo.InvariantCulture, $"entry {expected} is missing (deleted or renumbered); next stored is {entry.Sequence}"));
        }

        if (!hashMatches)
        {
            return (entry.Sequence, string.Create(CultureInfo.InvariantCulture, $"entry {entry.Sequence} does not match its hash (edited or moved)"));
        }

        if (!string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal))
        {
            // Entry k is self-consistent but chains to a different k-1: k-1 was rewritten (and re-hashed) after k was written.
            return (entry.Sequence - 1, string.Create(CultureInfo.InvariantCulture,
                $"entry {entry.Sequence - 1} differs from the one entry {entry.Sequence} was chained to (rewritten and re-hashed)"));
        }

        return null;
    }

    private static (long, string)? CheckAgainst(List<(LedgerCheckpoint Checkpoint, string File)> checkpoints, long sequence, string hash)
    {
        foreach (var (checkpoint, file) in checkpoints)
        {
            if (!string.Equals(checkpoint.Hash, hash, StringComparison.Ordinal))
            {
                return (Math.Max(sequence, 1), string.Create(CultureInfo.InvariantCulture,
                    $"entry {sequence} does not match the signed checkpoint {file} (history rewritten up to it)"));
            }
        }

        return null;
    }

    private (List<(LedgerCheckpoint Checkpoint, string File)> Valid, string? Problem) LoadCheckpoints()
    {
        var valid = new List<(LedgerCheckpoint, string)>();
        if (!Directory.Exists(_options.CheckpointFolder))
        {
            return (valid, null);
        }

        string? problem = null;
        using var key = AuditKeys.LoadVerificationKey(_options);
        foreach (var path in Directory.EnumerateFiles(_options.CheckpointFolder, "ledger-checkpoint-*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            try
            {
                var checkpoint = JsonSerializer.Deserialize<LedgerCheckpoint>(File.ReadAllBytes(path), LedgerCheckpointer.Json)
                    ?? throw new JsonException("empty");
                var signature = Convert.FromBase64String(checkpoint.Signature);
                var data = LedgerCheckpoint.SignedBytes(checkpoint.Sequence, checkpoint.Hash, checkpoint.CreatedAtUtc);
                if (checkpoint.Version != 1 || !key.VerifyData(data, signature, HashAlgorithmName.SHA256))
                {
                    problem ??= $"checkpoint {name} has an invalid signature (forged, edited, or signed by another key)";
                    continue;
                }

                valid.Add((checkpoint, name));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or IOException or CryptographicException)
            {
                problem ??= $"checkpoint {name} cannot be read ({ex.GetType().Name})";
            }
        }

        return (valid, problem);
    }
}
