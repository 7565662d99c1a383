using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Rrm.ServiceDefaults.Data;

namespace Rrm.TariffLiquidation.Data;

public sealed class LiquidationDbContext(DbContextOptions<LiquidationDbContext> options) : RrmDbContext(options, SchemaName)
{
    public const string SchemaName = "liquidation";
}

/// <summary>For <c>dotnet ef</c> only: builds the context without booting the host.</summary>
internal sealed class LiquidationDbContextFactory : IDesignTimeDbContextFactory<LiquidationDbContext>
{
    public LiquidationDbContext CreateDbContext(string[] args) =>
        new(DatabaseSetup.OptionsFor<LiquidationDbContext>("Host=localhost;Database=design_time", LiquidationDbContext.SchemaName));
}
