using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rrm.Notification.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutboxFeedBody : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "body",
                schema: "notification",
                table: "outbox_messages",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "body",
                schema: "notification",
                table: "outbox_messages");
        }
    }
}
