using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rrm.Review.Data.Migrations
{
    /// <inheritdoc />
    public partial class CaseLapses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "pending_lapse",
                schema: "review",
                table: "cases",
                type: "jsonb",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "pending_lapse",
                schema: "review",
                table: "cases");
        }
    }
}
