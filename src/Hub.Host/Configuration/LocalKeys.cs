using System.Security.Cryptography;
using Hub.Audit;
using Hub.Audit.Storage;
using Hub.Deidentification.DependencyInjection;
using Microsoft.Data.Sqlite;

namespace Hub.Host.Configuration;

/// <summary>
/// The embedded default (SQLite) must run out of the box: when the ledger's checkpoint signing key, the
/// payload encryption key or the person-token key are not configured, they are created once in a <c>keys/</c> folder beside the SQLite
/// file, readable by the owner only, and reused on later runs. A PostgreSQL deployment never gets this: there
/// the keys must come from the environment, and their absence stops the hub at start.
/// </summary>
internal static class LocalKeys
{
    public const string SigningKeyFile = "checkpoint-signing.key";
    public const string PayloadKeyFile = "payload-encryption.key";
    public const string TokenKeyFile = "person-token.key";

    public static Dictionary<string, string?> EnsureFor(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var overrides = new Dictionary<string, string?>();
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (!string.Equals(database.Provider, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return overrides;
        }

        var audit = configuration.GetSection(AuditOptions.Section);
        var needSigning = string.IsNullOrWhiteSpace(audit[nameof(AuditOptions.CheckpointSigningKey)]);
        var needPayload = string.IsNullOrWhiteSpace(audit[nameof(AuditOptions.PayloadEncryptionKey)]);
        var needToken = string.IsNullOrWhiteSpace(configuration[$"{HubPrivacyOptions.Section}:{nameof(HubPrivacyOptions.TokenKeyBase64)}"]);
        if (!needSigning && !needPayload && !needToken)
        {
            return overrides;
        }

        var dataSource = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        var folder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataSource)) ?? ".", "keys");
        Directory.CreateDirectory(folder);
        if (needSigning)
        {
            overrides[$"{AuditOptions.Section}:{nameof(AuditOptions.CheckpointSigningKey)}"] = ReadOrCreate(Path.Combine(folder, SigningKeyFile), () =>
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                return Convert.ToBase64String(key.ExportPkcs8PrivateKey());
            });
        }

        if (needPayload)
        {
            overrides[$"{AuditOptions.Section}:{nameof(AuditOptions.PayloadEncryptionKey)}"] = ReadOrCreate(Path.Combine(folder, PayloadKeyFile), () =>
                Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        if (needToken)
        {
            overrides[$"{HubPrivacyOptions.Section}:{nameof(HubPrivacyOptions.TokenKeyBase64)}"] = ReadOrCreate(Path.Combine(folder, TokenKeyFile), () =>
                Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        return overrides;
    }

    private static string ReadOrCreate(string path, Func<string> create)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var value = create();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(value);
        }

        return value;
    }
}
