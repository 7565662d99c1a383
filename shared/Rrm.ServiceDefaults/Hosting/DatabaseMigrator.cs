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
        var unknown = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Except(db.Database.GetMigrations()).ToList();
        if (unknown.Count > 0)
            // Before the first release each service's migrations were squashed into one (ADR 0002): a database made
            // earlier has tables this build would try to create again.
            throw new InvalidOperationException(
                $"Schema {db.Schema} was made by migrations this build does not have ({string.Join(", ", unknown)}). " +
                "A local database from before the pre-release migrations were squashed: recreate it (./rrm down; rm -rf .rrm/pg).");
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        logger.LogInformation("Schema {Schema}: applied {Count} migration(s) {Migrations}", db.Schema, pending.Count, pending);
    }
}

public interface IDatabaseMigrator
{
    Task MigrateAsync(CancellationToken cancellationToken);
}
