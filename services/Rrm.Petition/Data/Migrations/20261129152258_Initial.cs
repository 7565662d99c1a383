using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using Rrm.ServiceDefaults.Data;

#nullable disable

namespace Rrm.Petition.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "petition");

            migrationBuilder.CreateTable(
                name: "facilities",
                schema: "petition",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    legal_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    common_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    street_address = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    city = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    state_code = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    sector = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    subsector = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    subsector_description = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    owner = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    approximate_workers = table.Column<int>(type: "integer", nullable: false),
                    mids = table.Column<List<string>>(type: "text[]", nullable: false),
                    search_name = table.Column<string>(type: "character varying(610)", maxLength: 610, nullable: false),
                    duplicate_key = table.Column<string>(type: "character varying(710)", maxLength: 710, nullable: false),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_facilities", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                schema: "petition",
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
                schema: "petition",
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
                schema: "petition",
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
                schema: "petition",
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
                name: "petitions",
                schema: "petition",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    facility_id = table.Column<Guid>(type: "uuid", nullable: false),
                    facility_legal_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    facility_common_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    facility_city = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    facility_state_code = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    allegation_categories = table.Column<int[]>(type: "integer[]", nullable: false),
                    narrative = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    mexican_laws_cited = table.Column<List<string>>(type: "text[]", nullable: false),
                    evidence = table.Column<string>(type: "jsonb", nullable: false),
                    language = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    received_date = table.Column<DateOnly>(type: "date", nullable: false),
                    review_due_date = table.Column<DateOnly>(type: "date", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    determination_date = table.Column<DateOnly>(type: "date", nullable: true),
                    determination_rationale = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: true),
                    withdrawal_date = table.Column<DateOnly>(type: "date", nullable: true),
                    withdrawal_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    petitioner_anonymous = table.Column<bool>(type: "boolean", nullable: false),
                    petitioner_contact_email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    petitioner_contact_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    petitioner_contact_phone = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    petitioner_organization = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_petitions", x => x.id);
                    table.ForeignKey(
                        name: "fk_petitions_facilities_facility_id",
                        column: x => x.facility_id,
                        principalSchema: "petition",
                        principalTable: "facilities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_facilities_duplicate_key",
                schema: "petition",
                table: "facilities",
                column: "duplicate_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_facilities_mids",
                schema: "petition",
                table: "facilities",
                column: "mids")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_facilities_state_code",
                schema: "petition",
                table: "facilities",
                column: "state_code");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_message_id",
                schema: "petition",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_pending",
                schema: "petition",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "processed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_petitions_facility_id",
                schema: "petition",
                table: "petitions",
                column: "facility_id");

            migrationBuilder.CreateIndex(
                name: "ix_petitions_received_date_id",
                schema: "petition",
                table: "petitions",
                columns: new[] { "received_date", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_petitions_status",
                schema: "petition",
                table: "petitions",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_deadlines_key",
                schema: "petition",
                table: "scheduled_deadlines",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_deadlines_pending",
                schema: "petition",
                table: "scheduled_deadlines",
                column: "next_attempt_at",
                filter: "fired_at IS NULL AND cancelled_at IS NULL");

            // Hand-written (raw SQL, not in the model): NOTIFY triggers that wake the outbox relay and the listeners of new rows.
            migrationBuilder.CreateOutboxNotifyTrigger(PetitionDbContext.SchemaName);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropOutboxNotifyTrigger(PetitionDbContext.SchemaName);

            migrationBuilder.DropTable(
                name: "inbox_messages",
                schema: "petition");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "petition");

            migrationBuilder.DropTable(
                name: "petitions",
                schema: "petition");

            migrationBuilder.DropTable(
                name: "processed_requests",
                schema: "petition");

            migrationBuilder.DropTable(
                name: "scheduled_deadlines",
                schema: "petition");

            migrationBuilder.DropTable(
                name: "facilities",
                schema: "petition");
        }
    }
}
