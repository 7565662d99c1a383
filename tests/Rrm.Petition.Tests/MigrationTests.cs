using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rrm.Petition.Data;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Hosting;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

public sealed class MigrationTests
{
    [Fact]
    public async Task A_database_made_by_migrations_this_build_does_not_have_is_refused_naming_them()
    {
        await using var database = await TestDatabase.CreateAsync();
        var services = new ServiceCollection()
            .AddScoped(_ => new PetitionDbContext(DatabaseSetup.OptionsFor<PetitionDbContext>(database.ConnectionString, PetitionDbContext.SchemaName)))
            .BuildServiceProvider();
        var migrator = new DatabaseMigrator<PetitionDbContext>(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<DatabaseMigrator<PetitionDbContext>>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);
        // As a local database made before the pre-release migrations were squashed would record them.
        await database.ScalarAsync<object>($"""
            INSERT INTO petition.{DatabaseSetup.MigrationsHistoryTable} (migration_id, product_version)
            VALUES ('20261123013851_FacilitiesAndIlcReview', '10.0.15')
            """);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync(CancellationToken.None));
        Assert.Contains("20261123013851_FacilitiesAndIlcReview", refused.Message);
        Assert.Contains("rm -rf .rrm/pg", refused.Message);
    }
}
