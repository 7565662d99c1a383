using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rrm.Petition.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutboxFeedBody : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "body",
                schema: "petition",
                table: "outbox_messages",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "body",
                schema: "petition",
                table: "outbox_messages");
        }
    }
}
