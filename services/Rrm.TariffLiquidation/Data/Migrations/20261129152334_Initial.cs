using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using Rrm.ServiceDefaults.Data;

#nullable disable

namespace Rrm.TariffLiquidation.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "liquidation");

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
                    duties_without_preference = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    liquidated_on = table.Column<DateOnly>(type: "date", nullable: true),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_entries", x => x.entry_number);
                });

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
                name: "inbox_messages",
                schema: "liquidation",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_messages", x => new { x.message_id, x.consumer });
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
                    replayed = table.Column<bool>(type: "boolean", nullable: false),
                    order_kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    remedy_kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    suspended_from = table.Column<DateOnly>(type: "date", nullable: true),
                    entered_through = table.Column<DateOnly>(type: "date", nullable: true),
                    added_mids = table.Column<string>(type: "jsonb", nullable: true),
                    restored_through_sequence = table.Column<long>(type: "bigint", nullable: true)
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
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ended_by_remedy_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_orders", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "liquidation",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    trace_parent = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    exchange = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    routing_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    headers = table.Column<string>(type: "jsonb", nullable: true),
                    body = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "pending_lifts",
                schema: "liquidation",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    remedy_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lift_on = table.Column<DateOnly>(type: "date", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pending_lifts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "scheduled_deadlines",
                schema: "liquidation",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    kind = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    fired_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scheduled_deadlines", x => x.id);
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
                name: "ix_order_mid_additions_mid",
                schema: "liquidation",
                table: "order_mid_additions",
                column: "mid");

            migrationBuilder.CreateIndex(
                name: "ix_orders_case_id",
                schema: "liquidation",
                table: "orders",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_orders_facility_id",
                schema: "liquidation",
                table: "orders",
                column: "facility_id");

            migrationBuilder.CreateIndex(
                name: "ix_orders_mids",
                schema: "liquidation",
                table: "orders",
                column: "mids")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_message_id",
                schema: "liquidation",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_pending",
                schema: "liquidation",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "processed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_pending_lifts_case_id",
                schema: "liquidation",
                table: "pending_lifts",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_deadlines_key",
                schema: "liquidation",
                table: "scheduled_deadlines",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_deadlines_pending",
                schema: "liquidation",
                table: "scheduled_deadlines",
                column: "next_attempt_at",
                filter: "fired_at IS NULL AND cancelled_at IS NULL");

            // Hand-written (raw SQL, not in the model): NOTIFY triggers that wake the outbox relay and the listeners of new rows.
            migrationBuilder.CreateOutboxNotifyTrigger(LiquidationDbContext.SchemaName);
            migrationBuilder.CreateNotifyTrigger(LiquidationDbContext.SchemaName, "instructions", LiquidationDbContext.InstructionsChannel, "sequence");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropOutboxNotifyTrigger(LiquidationDbContext.SchemaName);
            migrationBuilder.DropNotifyTrigger(LiquidationDbContext.SchemaName, "instructions");

            migrationBuilder.DropTable(
                name: "entries",
                schema: "liquidation");

            migrationBuilder.DropTable(
                name: "facility_mid_additions",
                schema: "liquidation");

            migrationBuilder.DropTable(
                name: "inbox_messages",
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
                name: "order_mid_additions",
                schema: "liquidation");

            migrationBuilder.DropTable(
                name: "orders",
                schema: "liquidation");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "liquidation");

            migrationBuilder.DropTable(
                name: "pending_lifts",
                schema: "liquidation");

            migrationBuilder.DropTable(
                name: "scheduled_deadlines",
                schema: "liquidation");
        }
    }
}
