using Npgsql;

namespace Rrm.Testing;

/// <summary>
/// Each service's own PostgreSQL role, which owns its schema and nothing else (k8s/components/postgres-roles).
/// The roles are the server's (scripts/infra.sh creates them, with the local passwords of deploy/postgres/dev-passwords.sql:
/// each is the role's name); a test database gets their schemas from the same SQL file every environment runs.
/// </summary>
public static class ServiceRoles
{
    public static string SqlFile => Path.Combine(Repository.Root, "k8s", "components", "postgres-roles", "service-roles.sql");

    /// <summary>Runs the roles' SQL in <paramref name="database"/> as the administrator.</summary>
    public static async Task ApplyAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(await File.ReadAllTextAsync(SqlFile), connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The connection string of <paramref name="project"/>'s role to <paramref name="database"/>.</summary>
    public static string ConnectionString(TestDatabase database, string project)
    {
        var role = ServiceProject.Named(project).Role;
        return new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = role }.ConnectionString;
    }

    /// <summary><paramref name="environment"/> with <paramref name="project"/>'s own role as its database user.</summary>
    public static Dictionary<string, string> Environment(IDictionary<string, string> environment, TestDatabase database, string project) =>
        new(environment) { ["ConnectionStrings__Postgres"] = ConnectionString(database, project) };
}
