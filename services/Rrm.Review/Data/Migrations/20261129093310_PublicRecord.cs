using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rrm.Review.Data.Migrations
{
    /// <inheritdoc />
    public partial class PublicRecord : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "source",
                schema: "review",
                table: "timeline_entries",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "liquidation_suspension_unknown",
                schema: "review",
                table: "cases",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "ustr_ordinal",
                schema: "review",
                table: "cases",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "source",
                schema: "review",
                table: "timeline_entries");

            migrationBuilder.DropColumn(
                name: "liquidation_suspension_unknown",
                schema: "review",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "ustr_ordinal",
                schema: "review",
                table: "cases");
        }
    }
}
