using System.Globalization;
using Hub.Audit.Storage;

namespace Hub.Audit.Console;

/// <summary>A local console account. <see cref="PasswordHash"/> is the host's hasher output, never a clear password.</summary>
/// <param name="Name">The sign-in name (also the ledger actor of the user's page views).</param>
/// <param name="Role">One of the console roles (feed-admin, recipient, privacy-officer, hub-admin).</param>
/// <param name="AgencyId">The recipient id a <c>recipient</c> user is scoped to; null for the other roles.</param>
/// <param name="PasswordHash">The password hash.</param>
/// <param name="CreatedAtUtc">When the account was added.</param>
public sealed record ConsoleUser(string Name, string Role, string? AgencyId, string PasswordHash, DateTimeOffset CreatedAtUtc);

/// <summary>Thrown when a user name is already taken.</summary>
public sealed class ConsoleUserExistsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConsoleUserExistsException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ConsoleUserExistsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ConsoleUserExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The console's local accounts (table <c>console_users</c>, schema v3), on SQLite and PostgreSQL alike.</summary>
public sealed class ConsoleUserStore
{
    private readonly HubDatabase _database;

    /// <summary>Creates the store.</summary>
    public ConsoleUserStore(HubDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>Adds an account; throws <see cref="ConsoleUserExistsException"/> when the name is taken.</summary>
    public async Task AddAsync(ConsoleUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                "INSERT INTO console_users (name, role, agency_id, password_hash, created_at) VALUES (@name, @role, @agency, @hash, @at) " +
                "ON CONFLICT (name) DO NOTHING");
            command.Add("@name", user.Name);
            command.Add("@role", user.Role);
            command.Add("@agency", user.AgencyId);
            command.Add("@hash", user.PasswordHash);
            command.Add("@at", Db.ToMicros(user.CreatedAtUtc));
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new ConsoleUserExistsException(string.Create(CultureInfo.InvariantCulture, $"A console user named '{user.Name}' already exists."));
            }
        }
    }

    /// <summary>Finds an account by name (exact match); null when there is none.</summary>
    public async Task<ConsoleUser?> FindAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command("SELECT name, role, agency_id, password_hash, created_at FROM console_users WHERE name = @name");
            command.Add("@name", name);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new ConsoleUser(reader.GetString(0), reader.GetString(1), reader.NullableString(2), reader.GetString(3), Db.FromMicros(reader.GetInt64(4)))
                : null;
        }
    }
}
