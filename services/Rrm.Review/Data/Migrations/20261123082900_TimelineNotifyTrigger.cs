using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rrm.ServiceDefaults.Data;

namespace Rrm.Review.Data.Migrations;

/// <summary>Hand-written: wakes WatchCase streams when a case's timeline grows (raw SQL, no model change).</summary>
[DbContext(typeof(ReviewDbContext))]
[Migration("20261123082900_TimelineNotifyTrigger")]
public sealed class TimelineNotifyTrigger : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateNotifyTrigger(ReviewDbContext.SchemaName, "timeline_entries", ReviewDbContext.TimelineChannel, "case_id");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropNotifyTrigger(ReviewDbContext.SchemaName, "timeline_entries");
}
