using Microsoft.EntityFrameworkCore;
using Rrm.Notification.Data;
using Rrm.ServiceDefaults.Data;

namespace Rrm.Notification.Tests;

public sealed class ModelTests
{
    private static NotificationDbContext Context() => new(DatabaseSetup.OptionsFor<NotificationDbContext>("Host=unused", NotificationDbContext.SchemaName));

    [Fact]
    public void The_model_has_no_changes_missing_from_the_migrations()
    {
        using var db = Context();
        Assert.False(db.Database.HasPendingModelChanges(), "Run tools/ef Notification migrations add <Name>.");
    }

    [Fact]
    public void Every_table_is_in_the_notification_schema()
    {
        using var db = Context();
        Assert.All(db.Model.GetEntityTypes(), t => Assert.Equal("notification", t.GetSchema()));
    }
}
