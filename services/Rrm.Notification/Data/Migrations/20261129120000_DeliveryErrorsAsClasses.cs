using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Rrm.Notification.Data.Migrations;

/// <summary>
/// Hand-written: errors recorded before failures were classified held the servers' text (a relay's 550 reply quotes
/// the refused address); each becomes its class, keeping only the reply codes (docs/security.md). No model change.
/// </summary>
[DbContext(typeof(NotificationDbContext))]
[Migration("20261129120000_DeliveryErrorsAsClasses")]
public sealed class DeliveryErrorsAsClasses : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
        UPDATE notification.notifications SET last_error = CASE
            WHEN last_error LIKE 'SMTP -1 %' THEN 'smtp connection failed'
            WHEN last_error ~ '^SMTP [0-9]{3} ' THEN 'smtp ' || substring(last_error from '^SMTP ([0-9]{3})')
                || coalesce(' ' || substring(last_error from 'The server response was: ([245]\.[0-9]{1,3}\.[0-9]{1,3})(\s|$)'), '')
                || CASE WHEN last_error LIKE 'SMTP 5%' THEN ' refused' ELSE ' temporary failure' END
            WHEN last_error ~ '^the webhook answered [0-9]' THEN 'webhook http ' || substring(last_error from '^the webhook answered ([0-9])') || 'xx'
            ELSE 'delivery failed (recorded before failures were classified)'
        END
        WHERE last_error <> '';
        """);

    // The servers' text is gone for good.
    protected override void Down(MigrationBuilder migrationBuilder) { }
}
