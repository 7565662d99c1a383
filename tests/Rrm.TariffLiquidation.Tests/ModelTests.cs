using Microsoft.EntityFrameworkCore;
using Rrm.TariffLiquidation.Data;
using Rrm.ServiceDefaults.Data;

namespace Rrm.TariffLiquidation.Tests;

public sealed class ModelTests
{
    private static LiquidationDbContext Context() => new(DatabaseSetup.OptionsFor<LiquidationDbContext>("Host=unused", LiquidationDbContext.SchemaName));

    [Fact]
    public void The_model_has_no_changes_missing_from_the_migrations()
    {
        using var db = Context();
        Assert.False(db.Database.HasPendingModelChanges(), "Run tools/ef TariffLiquidation migrations add <Name>.");
    }

    [Fact]
    public void Every_table_is_in_the_liquidation_schema()
    {
        using var db = Context();
        Assert.All(db.Model.GetEntityTypes(), t => Assert.Equal("liquidation", t.GetSchema()));
    }
}
