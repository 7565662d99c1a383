using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rrm.TariffLiquidation.Data.Migrations
{
    /// <inheritdoc />
    public partial class LedgerRestored : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "order_kind",
                schema: "liquidation",
                table: "instructions",
                type: "character varying(30)",
                maxLength: 30,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(30)",
                oldMaxLength: 30);

            migrationBuilder.AddColumn<long>(
                name: "restored_through_sequence",
                schema: "liquidation",
                table: "instructions",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "restored_through_sequence",
                schema: "liquidation",
                table: "instructions");

            migrationBuilder.AlterColumn<string>(
                name: "order_kind",
                schema: "liquidation",
                table: "instructions",
                type: "character varying(30)",
                maxLength: 30,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(30)",
                oldMaxLength: 30,
                oldNullable: true);
        }
    }
}
