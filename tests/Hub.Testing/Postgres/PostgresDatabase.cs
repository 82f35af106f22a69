namespace Hub.Testing.Postgres;

/// <summary>A database created for one caller on the shared test cluster, so tests never see each other's tables.</summary>
public sealed record PostgresDatabase
{
    /// <summary>The database name.</summary>
    public required string Name { get; init; }

    /// <summary>An Npgsql connection string for it (superuser postgres, trust auth on loopback).</summary>
    public required string ConnectionString { get; init; }
}
