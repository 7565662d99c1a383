using Npgsql;
using Rrm.Testing;

namespace Rrm.EndToEnd.Tests;

/// <summary>
/// Least privilege in PostgreSQL: the suite runs each service as its own role (as deployed), so its migrations
/// ran as that role; no role can read, change or add to another service's schema.
/// </summary>
[Collection("suite")]
public sealed class DatabaseRoleTests(Suite suite)
{
    [Fact]
    public async Task Each_service_role_owns_every_table_of_its_schema()
    {
        foreach (var service in ServiceProject.All)
        {
            var owners = await QueryAsync(suite.Database.ConnectionString,
                $"SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = '{service.Schema}'");
            Assert.Equal([service.Role], owners);
        }
    }

    [Fact]
    public async Task Each_service_role_is_refused_on_every_other_service_schema()
    {
        var refusals = new List<string>();
        foreach (var service in ServiceProject.All)
        {
            var connection = ServiceRoles.ConnectionString(suite.Database, service.Name);
            foreach (var schema in ServiceProject.All.Where(s => s != service).Select(s => s.Schema))
            {
                var table = (await QueryAsync(suite.Database.ConnectionString,
                    $"SELECT tablename FROM pg_tables WHERE schemaname = '{schema}' ORDER BY tablename LIMIT 1")).Single();
                foreach (var sql in new[]
                {
                    $"SELECT count(*) FROM \"{schema}\".\"{table}\"",
                    $"DELETE FROM \"{schema}\".\"{table}\"",
                    $"CREATE TABLE \"{schema}\".intruder (id int)",
                })
                {
                    var error = await Assert.ThrowsAsync<PostgresException>(() => QueryAsync(connection, sql));
                    Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
                    refusals.Add($"{service.Name} → {schema}");
                }
            }
            // Its own schema works (the service could not run otherwise, but say it plainly).
            var own = service.Schema;
            var ownTable = (await QueryAsync(connection, $"SELECT tablename FROM pg_tables WHERE schemaname = '{own}' ORDER BY tablename LIMIT 1")).Single();
            await QueryAsync(connection, $"SELECT count(*) FROM \"{own}\".\"{ownTable}\"");
        }
        Assert.Equal(4 * 3 * 3, refusals.Count);
    }

    private static async Task<List<string>> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetValue(0).ToString()!);
        return rows;
    }
}
