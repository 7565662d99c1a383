using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rrm.Review.Data.Migrations
{
    /// <inheritdoc />
    public partial class InvocationNumbers : Migration
    {
        /// <summary>
        /// Numbers every request for review from the first, by the rule of Application.Invocations (in SQL): the backfill
        /// of the new columns, which Invocations keeps from then on.
        /// </summary>
        public const string BackfillSql = """
            WITH ordered AS (
              SELECT id, request_date, ustr_ordinal, count(ustr_ordinal) OVER w AS grp, row_number() OVER w AS rn
              FROM review.cases WHERE request_date IS NOT NULL
              WINDOW w AS (ORDER BY request_date, request_recorded_at NULLS FIRST, id)),
            numbered AS (
              SELECT id, request_date, rn,
                     CASE WHEN grp = 0 THEN rn ELSE max(ustr_ordinal) OVER (PARTITION BY grp) + rn - min(rn) OVER (PARTITION BY grp) END AS number
              FROM ordered),
            running AS (
              SELECT id, extract(year FROM request_date)::int AS year, number, max(number) OVER (ORDER BY rn) AS highest FROM numbered),
            years AS (
              SELECT year, coalesce(max(max(number)) OVER (ORDER BY year ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
              FROM running GROUP BY year)
            UPDATE review.cases c
            SET invocation_number = r.number, invocation_number_in_year = r.number - y.before, invocation_highest = r.highest
            FROM running r JOIN years y ON y.year = r.year
            WHERE c.id = r.id
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cases_request_date_request_recorded_at",
                schema: "review",
                table: "cases");

            migrationBuilder.AddColumn<int>(
                name: "invocation_highest",
                schema: "review",
                table: "cases",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "invocation_number",
                schema: "review",
                table: "cases",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "invocation_number_in_year",
                schema: "review",
                table: "cases",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_cases_request_date_request_recorded_at_id",
                schema: "review",
                table: "cases",
                columns: new[] { "request_date", "request_recorded_at", "id" });

            migrationBuilder.Sql(BackfillSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cases_request_date_request_recorded_at_id",
                schema: "review",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "invocation_highest",
                schema: "review",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "invocation_number",
                schema: "review",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "invocation_number_in_year",
                schema: "review",
                table: "cases");

            migrationBuilder.CreateIndex(
                name: "ix_cases_request_date_request_recorded_at",
                schema: "review",
                table: "cases",
                columns: new[] { "request_date", "request_recorded_at" });
        }
    }
}
