using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using Rrm.ServiceDefaults.Data;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Rrm.Notification.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "notification");

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                schema: "notification",
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
                name: "known_petitions",
                schema: "notification",
                columns: table => new
                {
                    petition_id = table.Column<Guid>(type: "uuid", nullable: false),
                    contactable = table.Column<bool>(type: "boolean", nullable: false),
                    language = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_known_petitions", x => x.petition_id);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                schema: "notification",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: true),
                    petition_id = table.Column<Guid>(type: "uuid", nullable: true),
                    role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    recipient_id = table.Column<Guid>(type: "uuid", nullable: true),
                    recipient_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    address = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    language = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    template = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    subject = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notifications", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "notification",
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
                name: "received_events",
                schema: "notification",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: true),
                    petition_id = table.Column<Guid>(type: "uuid", nullable: true),
                    summary = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    replayed = table.Column<bool>(type: "boolean", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_received_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "recipients",
                schema: "notification",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    address = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    language = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    webhook_secret = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recipients", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "rules",
                schema: "notification",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    event_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    condition = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    template = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rules", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "scheduled_deadlines",
                schema: "notification",
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
                schema: "notification",
                table: "rules",
                columns: new[] { "id", "condition", "event_type", "role", "template" },
                values: new object[,]
                {
                    { 1, "petitionerContactable=true", "PetitionReceived", "Petitioner", "petition-acknowledgement" },
                    { 2, "outcome=insufficient&petitionerContactable=true", "PetitionDetermined", "Petitioner", "insufficient-certification" },
                    { 3, "outcome=insufficient", "PetitionDetermined", "SenateFinanceCommittee", "insufficient-certification" },
                    { 4, "outcome=insufficient", "PetitionDetermined", "HouseWaysAndMeansCommittee", "insufficient-certification" },
                    { 5, "outcome=sufficient", "PetitionDetermined", "UstrCaseOfficer", "sufficient-determination" },
                    { 6, "", "PetitionWithdrawn", "IlcCaseOfficer", "petition-withdrawn" },
                    { 7, "", "IlcReviewDeadlineApproaching", "IlcCaseOfficer", "ilc-review-reminder" },
                    { 8, "", "IlcReviewOverdue", "IlcCaseOfficer", "ilc-review-overdue" },
                    { 9, "", "ReviewRequested", "GovernmentOfMexico", "request-for-review" },
                    { 10, "suspendLiquidation=true", "ReviewRequested", "TreasuryCbp", "suspension-direction" },
                    { 11, "", "ReviewRequested", "PublicAnnouncements", "request-announcement" },
                    { 12, "", "ReviewRequested", "Petitioner", "petitioner-informed" },
                    { 13, "", "ReviewRequested", "SenateFinanceCommittee", "congress-informed" },
                    { 14, "", "ReviewRequested", "HouseWaysAndMeansCommittee", "congress-informed" },
                    { 15, "", "MexicoResponded", "UstrCaseOfficer", "mexico-responded" },
                    { 16, "", "ReviewFindingsRecorded", "UstrCaseOfficer", "findings-recorded" },
                    { 17, "", "RemediationPlanAgreed", "SenateFinanceCommittee", "remediation-certification" },
                    { 18, "", "RemediationPlanAgreed", "HouseWaysAndMeansCommittee", "remediation-certification" },
                    { 19, "", "RemediationPlanAgreed", "Petitioner", "petitioner-informed" },
                    { 20, "", "RemediationPlanAgreed", "PublicAnnouncements", "remediation-announcement" },
                    { 21, "liquidationResumes=true", "CaseResolved", "TreasuryCbp", "resumption-direction" },
                    { 22, "", "CaseResolved", "PublicAnnouncements", "resolution-announcement" },
                    { 23, "", "CaseResolved", "Petitioner", "petitioner-informed" },
                    { 24, "", "PanelRequested", "GovernmentOfMexico", "panel-request" },
                    { 25, "", "PanelRequested", "PublicAnnouncements", "panel-request" },
                    { 26, "", "PanelDetermined", "SenateFinanceCommittee", "panel-report-congress" },
                    { 27, "", "PanelDetermined", "HouseWaysAndMeansCommittee", "panel-report-congress" },
                    { 28, "", "PanelDetermined", "LaborAdvisoryCommittee", "panel-report" },
                    { 29, "", "PanelDetermined", "Petitioner", "panel-report" },
                    { 30, "", "PanelDetermined", "GovernmentOfMexico", "panel-report" },
                    { 31, "", "PanelDetermined", "PublicAnnouncements", "panel-report" },
                    { 32, "", "RemedyImposed", "TreasuryCbp", "remedy-direction" },
                    { 33, "", "RemedyImposed", "GovernmentOfMexico", "remedy-notice" },
                    { 34, "", "RemedyImposed", "SenateFinanceCommittee", "remedy-notice" },
                    { 35, "", "RemedyImposed", "HouseWaysAndMeansCommittee", "remedy-notice" },
                    { 36, "", "RemedyImposed", "PublicAnnouncements", "remedy-notice" },
                    { 37, "", "RemedyLifted", "TreasuryCbp", "remedy-lifted" },
                    { 38, "", "RemedyLifted", "GovernmentOfMexico", "remedy-lifted" },
                    { 39, "", "RemedyLifted", "PublicAnnouncements", "remedy-lifted" },
                    { 40, "liquidationResumes=true", "CaseClosed", "TreasuryCbp", "resumption-direction" },
                    { 41, "", "CaseClosed", "UstrCaseOfficer", "case-closed" },
                    { 42, "", "CaseDeadlineApproaching", "UstrCaseOfficer", "deadline-reminder" },
                    { 43, "", "CaseDeadlineMissed", "UstrCaseOfficer", "deadline-missed" },
                    { 44, "", "LiquidationSuspensionDirected", "TreasuryCbp", "suspension-directed" },
                    { 45, "case.origin=petition&!PanelRequested", "CaseResolved", "SenateFinanceCommittee", "no-panel-certification" },
                    { 46, "case.origin=petition&!PanelRequested", "CaseResolved", "HouseWaysAndMeansCommittee", "no-panel-certification" },
                    { 47, "case.origin=petition&finalState=closed_other&!PanelRequested", "CaseClosed", "SenateFinanceCommittee", "no-panel-certification" },
                    { 48, "case.origin=petition&finalState=closed_other&!PanelRequested", "CaseClosed", "HouseWaysAndMeansCommittee", "no-panel-certification" },
                    { 49, "", "PanelRequested", "SenateFinanceCommittee", "panel-request" },
                    { 50, "", "PanelRequested", "HouseWaysAndMeansCommittee", "panel-request" }
                });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_case_id",
                schema: "notification",
                table: "notifications",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_created_at_position",
                schema: "notification",
                table: "notifications",
                columns: new[] { "created_at", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_due",
                schema: "notification",
                table: "notifications",
                column: "next_attempt_at",
                filter: "status IN ('Pending', 'Failed', 'Sending')");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_event_id_recipient_key",
                schema: "notification",
                table: "notifications",
                columns: new[] { "event_id", "recipient_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_notifications_petition_id",
                schema: "notification",
                table: "notifications",
                column: "petition_id");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_recipient_id",
                schema: "notification",
                table: "notifications",
                column: "recipient_id");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_message_id",
                schema: "notification",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_pending",
                schema: "notification",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "processed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_received_events_case_id",
                schema: "notification",
                table: "received_events",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_received_events_message_id",
                schema: "notification",
                table: "received_events",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_received_events_petition_id",
                schema: "notification",
                table: "received_events",
                column: "petition_id");

            migrationBuilder.CreateIndex(
                name: "ix_recipients_role_active",
                schema: "notification",
                table: "recipients",
                columns: new[] { "role", "active" });

            migrationBuilder.CreateIndex(
                name: "ix_rules_event_type",
                schema: "notification",
                table: "rules",
                column: "event_type");

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_deadlines_key",
                schema: "notification",
                table: "scheduled_deadlines",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_deadlines_pending",
                schema: "notification",
                table: "scheduled_deadlines",
                column: "next_attempt_at",
                filter: "fired_at IS NULL AND cancelled_at IS NULL");

            // Hand-written (raw SQL, not in the model): NOTIFY triggers that wake the outbox relay and the listeners of new rows.
            migrationBuilder.CreateOutboxNotifyTrigger(NotificationDbContext.SchemaName);
            migrationBuilder.CreateNotifyTrigger(NotificationDbContext.SchemaName, "notifications", NotificationDbContext.NoticesChannel, "id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropOutboxNotifyTrigger(NotificationDbContext.SchemaName);
            migrationBuilder.DropNotifyTrigger(NotificationDbContext.SchemaName, "notifications");

            migrationBuilder.DropTable(
                name: "inbox_messages",
                schema: "notification");

            migrationBuilder.DropTable(
                name: "known_petitions",
                schema: "notification");

            migrationBuilder.DropTable(
                name: "notifications",
                schema: "notification");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "notification");

            migrationBuilder.DropTable(
                name: "received_events",
                schema: "notification");

            migrationBuilder.DropTable(
                name: "recipients",
                schema: "notification");

            migrationBuilder.DropTable(
                name: "rules",
                schema: "notification");

            migrationBuilder.DropTable(
                name: "scheduled_deadlines",
                schema: "notification");
        }
    }
}
