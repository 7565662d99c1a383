using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rrm.Petition.Data.Migrations
{
    /// <inheritdoc />
    public partial class PetitionRequestIdsInProcessedRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Request ids move to the shared processed_requests table (the one command path); a petition's own id
            // and hash go with it, so a retry of a petition submitted before this migration is still answered once.
            // The hash is the same SHA-256 of the request's protobuf encoding.
            migrationBuilder.Sql("""
                INSERT INTO petition.processed_requests (request_id, operation, payload_hash, result_id, created_at)
                SELECT request_id, 'SubmitPetitionRequest', request_hash, id::text, created_at
                FROM petition.petitions WHERE request_id IS NOT NULL AND request_hash IS NOT NULL
                ON CONFLICT (request_id) DO NOTHING;
                """);

            migrationBuilder.DropIndex(
                name: "ix_petitions_request_id",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "request_hash",
                schema: "petition",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "request_id",
                schema: "petition",
                table: "petitions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "request_hash",
                schema: "petition",
                table: "petitions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "request_id",
                schema: "petition",
                table: "petitions",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_petitions_request_id",
                schema: "petition",
                table: "petitions",
                column: "request_id",
                unique: true);

            migrationBuilder.Sql("""
                UPDATE petition.petitions p SET request_id = r.request_id, request_hash = r.payload_hash
                FROM petition.processed_requests r
                WHERE r.operation = 'SubmitPetitionRequest' AND r.result_id = p.id::text;
                DELETE FROM petition.processed_requests WHERE operation = 'SubmitPetitionRequest';
                """);
        }
    }
}
