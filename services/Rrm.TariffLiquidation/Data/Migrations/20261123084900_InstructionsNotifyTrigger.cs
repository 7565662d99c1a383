using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rrm.ServiceDefaults.Data;
using Rrm.TariffLiquidation.Application;

namespace Rrm.TariffLiquidation.Data.Migrations;

/// <summary>Hand-written: wakes WatchInstructions streams when the ledger grows (raw SQL, no model change).</summary>
[DbContext(typeof(LiquidationDbContext))]
[Migration("20261123084900_InstructionsNotifyTrigger")]
public sealed class InstructionsNotifyTrigger : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateNotifyTrigger(LiquidationDbContext.SchemaName, "instructions", InstructionLedger.Channel, "sequence");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropNotifyTrigger(LiquidationDbContext.SchemaName, "instructions");
}
