using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rrm.TariffLiquidation.Data.Migrations
{
    /// <inheritdoc />
    public partial class OrdersInstructionsEntries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "exchange",
                schema: "liquidation",
                table: "outbox_messages",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "headers",
                schema: "liquidation",
                table: "outbox_messages",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "routing_key",
                schema: "liquidation",
                table: "outbox_messages",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "entries",
                schema: "liquidation",
                columns: table => new
                {
                    entry_number = table.Column<string>(type: "character(13)", fixedLength: true, maxLength: 13, nullable: false),
                    filer_code = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    importer = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    mid = table.Column<string>(type: "character varying(15)", maxLength: 15, nullable: false),
                    country_of_origin = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    entry_date = table.Column<DateOnly>(type: "date", nullable: false),
                    entered_value = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    estimated_duties = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    tariff_number = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    usmca_claimed = table.Column<bool>(type: "boolean", nullable: false),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_entries", x => x.entry_number);
                });

            migrationBuilder.CreateTable(
                name: "instruction_counter",
                schema: "liquidation",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    last_sequence = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_instruction_counter", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "instructions",
                schema: "liquidation",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    invocation_number = table.Column<int>(type: "integer", nullable: true),
                    facility_id = table.Column<Guid>(type: "uuid", nullable: true),
                    facility_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    mids = table.Column<List<string>>(type: "text[]", nullable: false),
                    effective_date = table.Column<DateOnly>(type: "date", nullable: false),
                    directive = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    liquidate_by = table.Column<DateOnly>(type: "date", nullable: true),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    remedy_id = table.Column<Guid>(type: "uuid", nullable: true),
                    remedy_description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    replayed = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_instructions", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "known_mids",
                schema: "liquidation",
                columns: table => new
                {
                    mid = table.Column<string>(type: "character varying(15)", maxLength: 15, nullable: false),
                    facility_id = table.Column<Guid>(type: "uuid", nullable: true),
                    facility_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    facility_mids = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_known_mids", x => x.mid);
                });

            migrationBuilder.CreateTable(
                name: "orders",
                schema: "liquidation",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    invocation_number = table.Column<int>(type: "integer", nullable: true),
                    facility_id = table.Column<Guid>(type: "uuid", nullable: true),
                    facility_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    mids = table.Column<List<string>>(type: "text[]", nullable: false),
                    effective_from = table.Column<DateOnly>(type: "date", nullable: false),
                    lifted_on = table.Column<DateOnly>(type: "date", nullable: true),
                    directive = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    remedy_id = table.Column<Guid>(type: "uuid", nullable: true),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_orders", x => x.id);
                });

            migrationBuilder.InsertData(
                schema: "liquidation",
                table: "instruction_counter",
                columns: new[] { "id", "last_sequence" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "ix_entries_mid_entry_date",
                schema: "liquidation",
                table: "entries",
                columns: new[] { "mid", "entry_date" });

            migrationBuilder.CreateIndex(
                name: "ix_instructions_case_id",
                schema: "liquidation",
                table: "instructions",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_instructions_id",
                schema: "liquidation",
                table: "instructions",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_case_id",
                schema: "liquidation",
                table: "orders",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_orders_mids",
                schema: "liquidation",
                table: "orders",
                column: "mids")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "entries",
                schema: "liquidation");

            migrationBuilder.DropTable(
                name: "instruction_counter",
                schema: "liquidation");

            migrationBuilder.DropTable(
                name: "instructions",
                schema: "liquidation");

            migrationBuilder.DropTable(
                name: "known_mids",
                schema: "liquidation");

            migrationBuilder.DropTable(
                name: "orders",
                schema: "liquidation");

            migrationBuilder.DropColumn(
                name: "exchange",
                schema: "liquidation",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "headers",
                schema: "liquidation",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "routing_key",
                schema: "liquidation",
                table: "outbox_messages");
        }
    }
}
