using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rrm.Review.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutboxFeedMessages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "exchange",
                schema: "review",
                table: "outbox_messages",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "headers",
                schema: "review",
                table: "outbox_messages",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "routing_key",
                schema: "review",
                table: "outbox_messages",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "exchange",
                schema: "review",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "headers",
                schema: "review",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "routing_key",
                schema: "review",
                table: "outbox_messages");
        }
    }
}
