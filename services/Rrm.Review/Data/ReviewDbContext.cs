using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Rrm.ServiceDefaults.Data;

namespace Rrm.Review.Data;

public sealed class ReviewDbContext(DbContextOptions<ReviewDbContext> options) : RrmDbContext(options, SchemaName)
{
    public const string SchemaName = "review";
}

/// <summary>For <c>dotnet ef</c> only: builds the context without booting the host.</summary>
internal sealed class ReviewDbContextFactory : IDesignTimeDbContextFactory<ReviewDbContext>
{
    public ReviewDbContext CreateDbContext(string[] args) =>
        new(DatabaseSetup.OptionsFor<ReviewDbContext>("Host=localhost;Database=design_time", ReviewDbContext.SchemaName));
}
