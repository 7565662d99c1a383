using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Rrm.Notification.Data.Migrations
{
    /// <inheritdoc />
    public partial class StatutoryCommitteeNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.UpdateData(
                schema: "notification",
                table: "rules",
                keyColumn: "id",
                keyValue: 26,
                column: "template",
                value: "panel-report-congress");

            migrationBuilder.UpdateData(
                schema: "notification",
                table: "rules",
                keyColumn: "id",
                keyValue: 27,
                column: "template",
                value: "panel-report-congress");

            migrationBuilder.InsertData(
                schema: "notification",
                table: "rules",
                columns: new[] { "id", "condition", "event_type", "role", "template" },
                values: new object[,]
                {
                    { 44, "", "LiquidationSuspensionDirected", "TreasuryCbp", "suspension-directed" },
                    { 45, "case.origin=petition&!PanelRequested", "CaseResolved", "SenateFinanceCommittee", "no-panel-certification" },
                    { 46, "case.origin=petition&!PanelRequested", "CaseResolved", "HouseWaysAndMeansCommittee", "no-panel-certification" },
                    { 47, "case.origin=petition&finalState=closed_other&!PanelRequested", "CaseClosed", "SenateFinanceCommittee", "no-panel-certification" },
                    { 48, "case.origin=petition&finalState=closed_other&!PanelRequested", "CaseClosed", "HouseWaysAndMeansCommittee", "no-panel-certification" },
                    { 49, "", "PanelRequested", "SenateFinanceCommittee", "panel-request" },
                    { 50, "", "PanelRequested", "HouseWaysAndMeansCommittee", "panel-request" }
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DeleteData(
                schema: "notification",
                table: "rules",
                keyColumn: "id",
                keyValue: 44);

            migrationBuilder.DeleteData(
                schema: "notification",
                table: "rules",
                keyColumn: "id",
                keyValue: 45);

            migrationBuilder.DeleteData(
                schema: "notification",
                table: "rules",
                keyColumn: "id",
                keyValue: 46);

            migrationBuilder.DeleteData(
                schema: "notification",
                table: "rules",
                keyColumn: "id",
                keyValue: 47);

            migrationBuilder.DeleteData(
                schema: "notification",
                table: "rules",
                keyColumn: "id",
                keyValue: 48);

            migrationBuilder.DeleteData(
                schema: "notification",
                table: "rules",
                keyColumn: "id",
                keyValue: 49);

            migrationBuilder.DeleteData(
                schema: "notification",
                table: "rules",
                keyColumn: "id",
                keyValue: 50);

            migrationBuilder.UpdateData(
                schema: "notification",
                table: "rules",
                keyColumn: "id",
                keyValue: 26,
                column: "template",
                value: "panel-report");

            migrationBuilder.UpdateData(
                schema: "notification",
                table: "rules",
                keyColumn: "id",
                keyValue: 27,
                column: "template",
                value: "panel-report");
        }
    }
}
