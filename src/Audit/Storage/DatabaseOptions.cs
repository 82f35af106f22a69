using System.ComponentModel.DataAnnotations;

namespace Hub.Audit.Storage;

/// <summary>Database settings (section <c>Hub:Database</c>).</summary>
public sealed class DatabaseOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Hub:Database";

    /// <summary><c>sqlite</c> (default) or <c>postgresql</c>.</summary>
    [Required]
    [RegularExpression("^(sqlite|postgresql)$", ErrorMessage = "Hub:Database:Provider must be 'sqlite' or 'postgresql'.")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>Connection string; for SQLite the default is a file under ./data.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/hub.db";

    /// <summary>
    /// PostgreSQL only, optional: the schema owner's connection string. When set, the schema is created and migrated
    /// with it and <see cref="AppRole"/> is granted only what the hub needs (no UPDATE/DELETE/TRUNCATE on the ledger),
    /// so that even a compromised hub process cannot rewrite history.
    /// </summary>
    public string? OwnerConnectionString { get; set; }

    /// <summary>PostgreSQL only: the role the hub connects as (the login of <see cref="ConnectionString"/>), granted by the owner.</summary>
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$", ErrorMessage = "Hub:Database:AppRole must be a lower-case PostgreSQL identifier.")]
    public string? AppRole { get; set; }

    /// <summary>SQLite only: how long a writer waits for the file lock, in milliseconds.</summary>
    [Range(100, 600_000)]
    public int BusyTimeoutMilliseconds { get; set; } = 30_000;
}
