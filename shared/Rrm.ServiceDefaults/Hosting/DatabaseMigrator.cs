using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rrm.ServiceDefaults.Data;

namespace Rrm.ServiceDefaults.Hosting;

/// <summary>Applies the service's migrations (EF takes a lock, so concurrent replicas are safe).</summary>
public sealed class DatabaseMigrator<TDb>(IServiceScopeFactory scopes, ILogger<DatabaseMigrator<TDb>> logger) : IDatabaseMigrator
    where TDb : RrmDbContext
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        var applied = await AppliedMigrationsAsync(db, cancellationToken);
        var known = db.Database.GetMigrations().ToList();
        var unknown = applied.Except(known).ToList();
        if (unknown.Count > 0)
            // Before the first release each service's migrations were squashed into one (ADR 0002): a database made
            // earlier has tables this build would try to create again.
            throw new InvalidOperationException(
                $"Schema {db.Schema} was made by migrations this build does not have ({string.Join(", ", unknown)}). " +
                "A local database from before the pre-release migrations were squashed: recreate it (./rrm down; rm -rf .rrm/pg).");
        var pending = known.Except(applied).ToList();
        // Usually none (the init container or `migrate` ran them): then EF's migrator, its lock and its check of the
        // model against the last migration (which builds the model from OnModelCreating) are skipped, for a faster start.
        if (pending.Count > 0) await db.Database.MigrateAsync(cancellationToken);
        logger.LogInformation("Schema {Schema}: applied {Count} migration(s) {Migrations}", db.Schema, pending.Count, pending);
    }

    /// <summary>
    /// The migrations the history table lists; none without the table. Plain SQL of our own: EF's history repository
    /// builds a model of its table first, a noticeable part of the start-up.
    /// </summary>
    private static async Task<List<string>> AppliedMigrationsAsync(TDb db, CancellationToken cancellationToken)
    {
        var table = $"\"{db.Schema}\".\"{DatabaseSetup.MigrationsHistoryTable}\"";
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var exists = Command(connection, $"SELECT to_regclass('{table}') IS NOT NULL");
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!) return [];
            await using var read = Command(connection, $"SELECT migration_id FROM {table}");
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            var applied = new List<string>();
            while (await reader.ReadAsync(cancellationToken)) applied.Add(reader.GetString(0));
            return applied;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static DbCommand Command(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}

public interface IDatabaseMigrator
{
    Task MigrateAsync(CancellationToken cancellationToken);
}
