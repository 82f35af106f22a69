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
}
