using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rrm.ServiceDefaults.Data;

namespace Rrm.Notification.Data.Migrations;

/// <summary>Hand-written: the trigger that wakes the outbox relay (raw SQL, no model change).</summary>
[DbContext(typeof(NotificationDbContext))]
[Migration("20261123010000_OutboxNotifyTrigger")]
public sealed class OutboxNotifyTrigger : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.CreateOutboxNotifyTrigger(NotificationDbContext.SchemaName);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropOutboxNotifyTrigger(NotificationDbContext.SchemaName);
}
