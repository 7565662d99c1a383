using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rrm.TariffLiquidation.Data.Migrations
{
    /// <inheritdoc />
    public partial class PendingLiftWithoutDirective : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "directive",
                schema: "liquidation",
                table: "pending_lifts");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "directive",
                schema: "liquidation",
                table: "pending_lifts",
                type: "character varying(500)",
                maxLength: 500,
                nullable: false,
                defaultValue: "");
        }
    }
}
