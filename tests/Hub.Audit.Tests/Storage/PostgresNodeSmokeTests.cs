using Hub.Testing.Postgres;
using Npgsql;

namespace Hub.Audit.Tests.Storage;

/// <summary>
/// The one "postgres" collection of this assembly: the throwaway cluster starts once and every class in the collection
/// shares it (each takes its own database from <see cref="PostgresNode.CreateDatabaseAsync"/>).
/// </summary>
[CollectionDefinition(PostgresNode.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresNode>;

/// <summary>Proves the PostgreSQL fixture gives a real, writable server before the ledger tests rely on it.</summary>
[Collection(PostgresNode.Collection)]
[Trait("Category", "Integration")]
public sealed class PostgresNodeSmokeTests(PostgresNode node)
{
    [Fact]
    public async Task Given_a_fresh_database_When_a_row_is_inserted_Then_it_is_read_back()
    {
        var database = await node.CreateDatabaseAsync("smoke");
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();

        await using (var create = new NpgsqlCommand("CREATE TABLE probe (id integer PRIMARY KEY, label text NOT NULL)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var insert = new NpgsqlCommand("INSERT INTO probe (id, label) VALUES (@id, @label)", connection))
        {
            insert.Parameters.AddWithValue("id", 7);
            insert.Parameters.AddWithValue("label", "naloxone");
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        await using var select = new NpgsqlCommand("SELECT id, label, current_database(), inet_server_addr()::text FROM probe", connection);
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(7, reader.GetInt32(0));
        Assert.Equal("naloxone", reader.GetString(1));
        Assert.Equal(database.Name, reader.GetString(2));
        Assert.Equal("127.0.0.1/32", reader.GetString(3));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task Given_two_databases_When_a_table_is_created_in_one_Then_the_other_does_not_see_it()
    {
        var first = await node.CreateDatabaseAsync("iso");
        var second = await node.CreateDatabaseAsync("iso");
        Assert.NotEqual(first.Name, second.Name);

        await using (var connection = new NpgsqlConnection(first.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE only_here (id integer)", connection);
            await create.ExecuteNonQueryAsync();
        }

        await using var other = new NpgsqlConnection(second.ConnectionString);
        await other.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT to_regclass('public.only_here') IS NOT NULL", other);
        Assert.False((bool)(await exists.ExecuteScalarAsync())!);
    }
}
