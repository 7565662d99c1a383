using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rrm.ServiceDefaults.Data;

namespace Rrm.Notification.Data.Migrations;

/// <summary>Hand-written: wakes the dispatcher when notifications are made (raw SQL, no model change).</summary>
[DbContext(typeof(NotificationDbContext))]
[Migration("20261123093700_NotificationsNotifyTrigger")]
public sealed class NotificationsNotifyTrigger : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateNotifyTrigger(NotificationDbContext.SchemaName, "notifications", NotificationDbContext.NoticesChannel, "id");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropNotifyTrigger(NotificationDbContext.SchemaName, "notifications");
}
