using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rrm.Petition.Data.Migrations
{
    /// <inheritdoc />
    public partial class FacilitiesAndIlcReview : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_petitions_received_date",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "petitioner_email",
                schema: "petition",
                table: "petitions");

            migrationBuilder.RenameColumn(
                name: "facility_name",
                schema: "petition",
                table: "petitions",
                newName: "facility_legal_name");

            migrationBuilder.AlterColumn<string>(
                name: "status",
                schema: "petition",
                table: "petitions",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(40)",
                oldMaxLength: 40);

            migrationBuilder.AddColumn<int[]>(
                name: "allegation_categories",
                schema: "petition",
                table: "petitions",
                type: "integer[]",
                nullable: false,
                defaultValue: new int[0]);

            migrationBuilder.AddColumn<DateOnly>(
                name: "determination_date",
                schema: "petition",
                table: "petitions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "determination_rationale",
                schema: "petition",
                table: "petitions",
                type: "character varying(10000)",
                maxLength: 10000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "evidence",
                schema: "petition",
                table: "petitions",
                type: "jsonb",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "facility_city",
                schema: "petition",
                table: "petitions",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "facility_common_name",
                schema: "petition",
                table: "petitions",
                type: "character varying(300)",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "facility_id",
                schema: "petition",
                table: "petitions",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<string>(
                name: "facility_state_code",
                schema: "petition",
                table: "petitions",
                type: "character varying(3)",
                maxLength: 3,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<List<string>>(
                name: "mexican_laws_cited",
                schema: "petition",
                table: "petitions",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<bool>(
                name: "petitioner_anonymous",
                schema: "petition",
                table: "petitions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "petitioner_contact_email",
                schema: "petition",
                table: "petitions",
                type: "character varying(254)",
                maxLength: 254,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "petitioner_contact_name",
                schema: "petition",
                table: "petitions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "petitioner_contact_phone",
                schema: "petition",
                table: "petitions",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateOnly>(
                name: "withdrawal_date",
                schema: "petition",
                table: "petitions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "withdrawal_reason",
                schema: "petition",
                table: "petitions",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

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

            migrationBuilder.AddForeignKey(
                name: "fk_petitions_facilities_facility_id",
                schema: "petition",
                table: "petitions",
                column: "facility_id",
                principalSchema: "petition",
                principalTable: "facilities",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_petitions_facilities_facility_id",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropTable(
                name: "facilities",
                schema: "petition");

            migrationBuilder.DropIndex(
                name: "ix_petitions_facility_id",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropIndex(
                name: "ix_petitions_received_date_id",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropIndex(
                name: "ix_petitions_status",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "allegation_categories",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "determination_date",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "determination_rationale",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "evidence",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "facility_city",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "facility_common_name",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "facility_id",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "facility_state_code",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "mexican_laws_cited",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "petitioner_anonymous",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "petitioner_contact_email",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "petitioner_contact_name",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "petitioner_contact_phone",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "withdrawal_date",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "withdrawal_reason",
                schema: "petition",
                table: "petitions");

            migrationBuilder.RenameColumn(
                name: "facility_legal_name",
                schema: "petition",
                table: "petitions",
                newName: "facility_name");

            migrationBuilder.AlterColumn<string>(
                name: "status",
                schema: "petition",
                table: "petitions",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(20)",
                oldMaxLength: 20);

            migrationBuilder.AddColumn<string>(
                name: "petitioner_email",
                schema: "petition",
                table: "petitions",
                type: "character varying(254)",
                maxLength: 254,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_petitions_received_date",
                schema: "petition",
                table: "petitions",
                column: "received_date");
        }
    }
}
