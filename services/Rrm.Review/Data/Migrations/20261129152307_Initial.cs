using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using Rrm.ServiceDefaults.Data;

#nullable disable

namespace Rrm.Review.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "review");

            migrationBuilder.CreateTable(
                name: "cases",
                schema: "review",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    reference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    import_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    origin = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    petition_id = table.Column<Guid>(type: "uuid", nullable: true),
                    facility_facility_id = table.Column<Guid>(type: "uuid", nullable: true),
                    facility_legal_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    facility_common_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    facility_street_address = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    facility_city = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    facility_state_code = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    facility_state_name = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    facility_sector = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    facility_subsector = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    facility_owner = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    facility_approximate_workers = table.Column<int>(type: "integer", nullable: false),
                    facility_mids = table.Column<List<string>>(type: "text[]", nullable: false),
                    state = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    liquidation_suspended = table.Column<bool>(type: "boolean", nullable: false),
                    liquidation_suspension_unknown = table.Column<bool>(type: "boolean", nullable: false),
                    ustr_ordinal = table.Column<int>(type: "integer", nullable: true),
                    opened_on = table.Column<DateOnly>(type: "date", nullable: false),
                    petition_received_on = table.Column<DateOnly>(type: "date", nullable: true),
                    ilc_determination_on = table.Column<DateOnly>(type: "date", nullable: true),
                    request_date = table.Column<DateOnly>(type: "date", nullable: true),
                    request_recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    resolved_on = table.Column<DateOnly>(type: "date", nullable: true),
                    closed_on = table.Column<DateOnly>(type: "date", nullable: true),
                    closure_reason = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                    plan_agreed_on = table.Column<DateOnly>(type: "date", nullable: true),
                    plan_completion_date = table.Column<DateOnly>(type: "date", nullable: true),
                    panel_requested_on = table.Column<DateOnly>(type: "date", nullable: true),
                    panel_case_number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    panelists = table.Column<List<string>>(type: "text[]", nullable: false),
                    panel_determined_on = table.Column<DateOnly>(type: "date", nullable: true),
                    panel_found_denial = table.Column<bool>(type: "boolean", nullable: true),
                    timeline_length = table.Column<int>(type: "integer", nullable: false),
                    last_act_date = table.Column<DateOnly>(type: "date", nullable: false),
                    last_act_fingerprint = table.Column<string>(type: "character varying(30000)", maxLength: 30000, nullable: false),
                    pending_lapse = table.Column<string>(type: "jsonb", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cases", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                schema: "review",
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
                name: "outbox_messages",
                schema: "review",
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
                name: "processed_requests",
                schema: "review",
                columns: table => new
                {
                    request_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    operation = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    payload_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    result_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_processed_requests", x => x.request_id);
                });

            migrationBuilder.CreateTable(
                name: "scheduled_deadlines",
                schema: "review",
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

            migrationBuilder.CreateTable(
                name: "case_deadlines",
                schema: "review",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    started_on = table.Column<DateOnly>(type: "date", nullable: false),
                    due_date = table.Column<DateOnly>(type: "date", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    closed_on = table.Column<DateOnly>(type: "date", nullable: true),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_deadlines", x => x.id);
                    table.ForeignKey(
                        name: "fk_case_deadlines_cases_case_id",
                        column: x => x.case_id,
                        principalSchema: "review",
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "remediation_actions",
                schema: "review",
                columns: table => new
                {
                    number = table.Column<int>(type: "integer", nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    notes = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_remediation_actions", x => new { x.case_id, x.number });
                    table.ForeignKey(
                        name: "fk_remediation_actions_cases_case_id",
                        column: x => x.case_id,
                        principalSchema: "review",
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "remedies",
                schema: "review",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    imposed_on = table.Column<DateOnly>(type: "date", nullable: false),
                    lifted_on = table.Column<DateOnly>(type: "date", nullable: true),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_remedies", x => x.id);
                    table.ForeignKey(
                        name: "fk_remedies_cases_case_id",
                        column: x => x.case_id,
                        principalSchema: "review",
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "timeline_entries",
                schema: "review",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    act = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    state_after = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    effective_date = table.Column<DateOnly>(type: "date", nullable: false),
                    announced_date = table.Column<DateOnly>(type: "date", nullable: true),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    note = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                    deadline_kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    due_date = table.Column<DateOnly>(type: "date", nullable: true),
                    confidential = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    source = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_timeline_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_timeline_entries_cases_case_id",
                        column: x => x.case_id,
                        principalSchema: "review",
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_case_deadlines_case_id",
                schema: "review",
                table: "case_deadlines",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_cases_facility_facility_id",
                schema: "review",
                table: "cases",
                column: "facility_facility_id");

            migrationBuilder.CreateIndex(
                name: "ix_cases_facility_state_code",
                schema: "review",
                table: "cases",
                column: "facility_state_code");

            migrationBuilder.CreateIndex(
                name: "ix_cases_petition_id",
                schema: "review",
                table: "cases",
                column: "petition_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cases_reference",
                schema: "review",
                table: "cases",
                column: "reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cases_request_date_request_recorded_at",
                schema: "review",
                table: "cases",
                columns: new[] { "request_date", "request_recorded_at" });

            migrationBuilder.CreateIndex(
                name: "ix_cases_state",
                schema: "review",
                table: "cases",
                column: "state");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_message_id",
                schema: "review",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_pending",
                schema: "review",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "processed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_remedies_case_id",
                schema: "review",
                table: "remedies",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_deadlines_key",
                schema: "review",
                table: "scheduled_deadlines",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_deadlines_pending",
                schema: "review",
                table: "scheduled_deadlines",
                column: "next_attempt_at",
                filter: "fired_at IS NULL AND cancelled_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_timeline_entries_case_id_position",
                schema: "review",
                table: "timeline_entries",
                columns: new[] { "case_id", "position" },
                unique: true);

            // Hand-written (raw SQL, not in the model): NOTIFY triggers that wake the outbox relay and the listeners of new rows.
            migrationBuilder.CreateOutboxNotifyTrigger(ReviewDbContext.SchemaName);
            migrationBuilder.CreateNotifyTrigger(ReviewDbContext.SchemaName, "timeline_entries", ReviewDbContext.TimelineChannel, "case_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropOutboxNotifyTrigger(ReviewDbContext.SchemaName);
            migrationBuilder.DropNotifyTrigger(ReviewDbContext.SchemaName, "timeline_entries");

            migrationBuilder.DropTable(
                name: "case_deadlines",
                schema: "review");

            migrationBuilder.DropTable(
                name: "inbox_messages",
                schema: "review");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "review");

            migrationBuilder.DropTable(
                name: "processed_requests",
                schema: "review");

            migrationBuilder.DropTable(
                name: "remediation_actions",
                schema: "review");

            migrationBuilder.DropTable(
                name: "remedies",
                schema: "review");

            migrationBuilder.DropTable(
                name: "scheduled_deadlines",
                schema: "review");

            migrationBuilder.DropTable(
                name: "timeline_entries",
                schema: "review");

            migrationBuilder.DropTable(
                name: "cases",
                schema: "review");
        }
    }
}
