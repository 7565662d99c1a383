using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rrm.TariffLiquidation.Data.Migrations
{
    /// <inheritdoc />
    public partial class RemediesReachHeldEntries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ended_by_remedy_id",
                schema: "liquidation",
                table: "orders",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "entered_through",
                schema: "liquidation",
                table: "instructions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "order_kind",
                schema: "liquidation",
                table: "instructions",
                type: "character varying(30)",
                maxLength: 30,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "remedy_kind",
                schema: "liquidation",
                table: "instructions",
                type: "character varying(30)",
                maxLength: 30,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "suspended_from",
                schema: "liquidation",
                table: "instructions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "duties_without_preference",
                schema: "liquidation",
                table: "entries",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "liquidated_on",
                schema: "liquidation",
                table: "entries",
                type: "date",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "facility_mid_additions",
                schema: "liquidation",
                columns: table => new
                {
                    facility_id = table.Column<Guid>(type: "uuid", nullable: false),
                    mid = table.Column<string>(type: "character varying(15)", maxLength: 15, nullable: false),
                    effective_from = table.Column<DateOnly>(type: "date", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_facility_mid_additions", x => new { x.facility_id, x.mid });
                });

            migrationBuilder.CreateTable(
                name: "order_mid_additions",
                schema: "liquidation",
                columns: table => new
                {
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    mid = table.Column<string>(type: "character varying(15)", maxLength: 15, nullable: false),
                    effective_from = table.Column<DateOnly>(type: "date", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_order_mid_additions", x => new { x.order_id, x.mid });
                });

            migrationBuilder.CreateIndex(
                name: "ix_orders_facility_id",
                schema: "liquidation",
                table: "orders",
                column: "facility_id");

            migrationBuilder.CreateIndex(
                name: "ix_order_mid_additions_mid",
                schema: "liquidation",
                table: "order_mid_additions",
                column: "mid");

            // Instructions issued before these columns: their order's kind, and the remedy's kind for remedy instructions.
            migrationBuilder.Sql("""
                UPDATE liquidation.instructions i
                SET order_kind = o.kind, remedy_kind = CASE WHEN o.remedy_id IS NULL THEN NULL ELSE o.kind END
                FROM liquidation.orders o WHERE o.id = i.order_id
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "facility_mid_additions",
                schema: "liquidation");

            migrationBuilder.DropTable(
                name: "order_mid_additions",
                schema: "liquidation");

            migrationBuilder.DropIndex(
                name: "ix_orders_facility_id",
                schema: "liquidation",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "ended_by_remedy_id",
                schema: "liquidation",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "entered_through",
                schema: "liquidation",
                table: "instructions");

            migrationBuilder.DropColumn(
                name: "order_kind",
                schema: "liquidation",
                table: "instructions");

            migrationBuilder.DropColumn(
                name: "remedy_kind",
                schema: "liquidation",
                table: "instructions");

            migrationBuilder.DropColumn(
                name: "suspended_from",
                schema: "liquidation",
                table: "instructions");

            migrationBuilder.DropColumn(
                name: "duties_without_preference",
                schema: "liquidation",
                table: "entries");

            migrationBuilder.DropColumn(
                name: "liquidated_on",
                schema: "liquidation",
                table: "entries");
        }
    }
}
