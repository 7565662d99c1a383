using Microsoft.EntityFrameworkCore;
using Rrm.Review.Data;
using Rrm.ServiceDefaults.Data;

namespace Rrm.Review.Tests;

public sealed class ModelTests
{
    private static ReviewDbContext Context() => new(DatabaseSetup.OptionsFor<ReviewDbContext>("Host=unused", ReviewDbContext.SchemaName));

    [Fact]
    public void The_model_has_no_changes_missing_from_the_migrations()
    {
        using var db = Context();
        Assert.False(db.Database.HasPendingModelChanges(), "Run tools/ef Review migrations add <Name>.");
    }

    [Fact]
    public void Every_table_is_in_the_review_schema()
    {
        using var db = Context();
        Assert.All(db.Model.GetEntityTypes(), t => Assert.Equal("review", t.GetSchema()));
    }
}
