using Microsoft.EntityFrameworkCore;
using Rrm.Petition.Data;
using Rrm.ServiceDefaults.Data;

namespace Rrm.Petition.Tests;

public sealed class ModelTests
{
    [Fact]
    public void The_model_has_no_changes_missing_from_the_migrations()
    {
        using var db = new PetitionDbContext(DatabaseSetup.OptionsFor<PetitionDbContext>("Host=unused", PetitionDbContext.SchemaName));
        Assert.False(db.Database.HasPendingModelChanges(), "Run tools/ef Petition migrations add <Name>.");
    }

    [Fact]
    public void Every_table_is_in_the_petition_schema()
    {
        using var db = new PetitionDbContext(DatabaseSetup.OptionsFor<PetitionDbContext>("Host=unused", PetitionDbContext.SchemaName));
        Assert.All(db.Model.GetEntityTypes(), t => Assert.Equal("petition", t.GetSchema()));
    }
}
