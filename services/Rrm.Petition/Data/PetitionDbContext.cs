using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Design;
using Rrm.Petition.Domain;
using Rrm.ServiceDefaults.Data;
using PetitionEntity = Rrm.Petition.Domain.Petition;

namespace Rrm.Petition.Data;

public sealed class PetitionDbContext(DbContextOptions<PetitionDbContext> options) : RrmDbContext(options, SchemaName)
{
    protected override bool RemembersRequestIds => true;

    public const string SchemaName = "petition";

    public DbSet<Facility> Facilities => Set<Facility>();
    public DbSet<PetitionEntity> Petitions => Set<PetitionEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Facility>(e =>
        {
            e.ToTable("facilities");
            e.HasKey(f => f.Id);
            e.Ignore(f => f.State);
            e.Property(f => f.LegalName).HasMaxLength(Facility.MaxNameLength);
            e.Property(f => f.CommonName).HasMaxLength(Facility.MaxNameLength);
            e.Property(f => f.StreetAddress).HasMaxLength(Facility.MaxAddressLength);
            e.Property(f => f.City).HasMaxLength(Facility.MaxCityLength);
            e.Property(f => f.StateCode).HasMaxLength(3);
            e.Property(f => f.Sector).HasConversion<string>().HasMaxLength(20);
            e.Property(f => f.Subsector).HasConversion<string>().HasMaxLength(30);
            e.Property(f => f.SubsectorDescription).HasMaxLength(Facility.MaxNameLength);
            e.Property(f => f.Owner).HasMaxLength(Facility.MaxNameLength);
            e.Property(f => f.SearchName).HasMaxLength(2 * Facility.MaxNameLength + 10);
            e.Property(f => f.DuplicateKey).HasMaxLength(Facility.MaxNameLength + Facility.MaxAddressLength + Facility.MaxCityLength + 10);
            e.HasIndex(f => f.DuplicateKey).IsUnique();
            e.HasIndex(f => f.StateCode);
            e.HasIndex(f => f.Mids).HasMethod("gin");
            e.Property(f => f.Version).IsRowVersion();
        });
        modelBuilder.Entity<PetitionEntity>(e =>
        {
            e.ToTable("petitions");
            e.HasKey(p => p.Id);
            e.HasOne<Facility>().WithMany().HasForeignKey(p => p.FacilityId).OnDelete(DeleteBehavior.Restrict);
            e.Property(p => p.FacilityLegalName).HasMaxLength(Facility.MaxNameLength);
            e.Property(p => p.FacilityCommonName).HasMaxLength(Facility.MaxNameLength);
            e.Property(p => p.FacilityCity).HasMaxLength(Facility.MaxCityLength);
            e.Property(p => p.FacilityStateCode).HasMaxLength(3);
            e.ComplexProperty(p => p.Petitioner, c =>
            {
                c.Property(x => x.Organization).HasMaxLength(Petitioner.MaxOrganizationLength);
                c.Property(x => x.ContactName).HasMaxLength(Petitioner.MaxContactNameLength);
                c.Property(x => x.ContactEmail).HasMaxLength(Petitioner.MaxEmailLength);
                c.Property(x => x.ContactPhone).HasMaxLength(Petitioner.MaxPhoneLength);
            });
            e.Property(p => p.Narrative).HasMaxLength(PetitionEntity.MaxNarrativeLength);
            e.Property(p => p.Evidence).HasColumnType("jsonb").HasConversion(
                v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web),
                v => JsonSerializer.Deserialize<List<EvidenceReference>>(v, JsonSerializerOptions.Web) ?? new List<EvidenceReference>(),
                new ValueComparer<List<EvidenceReference>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x)), v => v.ToList()));
            e.Property(p => p.Language).HasConversion<string>().HasMaxLength(20);
            e.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(p => p.DeterminationRationale).HasMaxLength(PetitionEntity.MaxRationaleLength);
            e.Property(p => p.WithdrawalReason).HasMaxLength(PetitionEntity.MaxWithdrawalReasonLength);
            e.HasIndex(p => new { p.ReceivedDate, p.Id });
            e.HasIndex(p => p.FacilityId);
            e.HasIndex(p => p.Status);
            e.Property(p => p.Version).IsRowVersion();
        });
    }
}

/// <summary>For <c>dotnet ef</c> only: builds the context without booting the host.</summary>
internal sealed class PetitionDbContextFactory : IDesignTimeDbContextFactory<PetitionDbContext>
{
    public PetitionDbContext CreateDbContext(string[] args) =>
        new(DatabaseSetup.OptionsFor<PetitionDbContext>(DatabaseSetup.DesignTimeConnectionString, PetitionDbContext.SchemaName));
}
