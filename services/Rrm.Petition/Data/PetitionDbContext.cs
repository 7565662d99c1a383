using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Rrm.ServiceDefaults.Data;
using PetitionEntity = Rrm.Petition.Domain.Petition;

namespace Rrm.Petition.Data;

public sealed class PetitionDbContext(DbContextOptions<PetitionDbContext> options) : RrmDbContext(options, SchemaName)
{
    public const string SchemaName = "petition";

    public DbSet<PetitionEntity> Petitions => Set<PetitionEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<PetitionEntity>(e =>
        {
            e.ToTable("petitions");
            e.HasKey(p => p.Id);
            e.Property(p => p.FacilityName).HasMaxLength(PetitionEntity.MaxFacilityNameLength);
            e.Property(p => p.PetitionerOrganization).HasMaxLength(PetitionEntity.MaxOrganizationLength);
            e.Property(p => p.PetitionerEmail).HasMaxLength(PetitionEntity.MaxEmailLength);
            e.Property(p => p.Narrative).HasMaxLength(PetitionEntity.MaxNarrativeLength);
            e.Property(p => p.Language).HasConversion<string>().HasMaxLength(20);
            e.Property(p => p.Status).HasConversion<string>().HasMaxLength(40);
            e.Property(p => p.RequestId).HasMaxLength(PetitionEntity.MaxRequestIdLength);
            e.Property(p => p.RequestHash).HasMaxLength(64);
            e.HasIndex(p => p.RequestId).IsUnique();
            e.HasIndex(p => p.ReceivedDate);
            e.Property(p => p.Version).IsRowVersion();
        });
    }
}

/// <summary>For <c>dotnet ef</c> only: builds the context without booting the host.</summary>
internal sealed class PetitionDbContextFactory : IDesignTimeDbContextFactory<PetitionDbContext>
{
    public PetitionDbContext CreateDbContext(string[] args) =>
        new(DatabaseSetup.OptionsFor<PetitionDbContext>("Host=localhost;Database=design_time", PetitionDbContext.SchemaName));
}
