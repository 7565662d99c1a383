using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Design;
using Rrm.ServiceDefaults.Data;
using Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Data;

public sealed class LiquidationDbContext(DbContextOptions<LiquidationDbContext> options) : RrmDbContext(options, SchemaName)
{
    public const string SchemaName = "liquidation";

    /// <summary>The LISTEN/NOTIFY channel a trigger signals on with the sequence of each new ledger line (WatchInstructions).</summary>
    public const string InstructionsChannel = "liquidation_instructions";

    public DbSet<LiquidationOrder> Orders => Set<LiquidationOrder>();
    public DbSet<InstructionRecord> Instructions => Set<InstructionRecord>();
    public DbSet<CustomsEntry> Entries => Set<CustomsEntry>();
    public DbSet<KnownMid> KnownMids => Set<KnownMid>();
    public DbSet<PendingLift> PendingLifts => Set<PendingLift>();
    public DbSet<OrderMidAddition> OrderMidAdditions => Set<OrderMidAddition>();
    public DbSet<FacilityMidAddition> FacilityMidAdditions => Set<FacilityMidAddition>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<LiquidationOrder>(e =>
        {
            e.ToTable("orders");
            e.HasKey(o => o.Id);
            e.Property(o => o.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(o => o.FacilityName).HasMaxLength(300);
            e.Property(o => o.Directive).HasMaxLength(CustomsInstructions.MaxDirective);
            e.Property(o => o.Description).HasMaxLength(2000);
            e.HasIndex(o => o.CaseId);
            e.HasIndex(o => o.Mids).HasMethod("gin");
            e.HasIndex(o => o.FacilityId);
            e.Ignore(o => o.InForce);
            e.Ignore(o => o.IsSuspension);
            e.Ignore(o => o.IsDutyRemedy);
            e.Ignore(o => o.AddedMids); // loaded from order_mid_additions where the rules need it
        });
        modelBuilder.Entity<InstructionRecord>(e =>
        {
            e.ToTable("instructions");
            e.HasKey(i => i.Sequence);
            e.Property(i => i.Sequence).ValueGeneratedNever();
            e.HasIndex(i => i.Id).IsUnique();
            e.Property(i => i.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(i => i.FacilityName).HasMaxLength(300);
            e.Property(i => i.Directive).HasMaxLength(CustomsInstructions.MaxDirective);
            e.Property(i => i.RemedyDescription).HasMaxLength(2000);
            e.HasIndex(i => i.CaseId);
            e.Property(i => i.OrderKind).HasConversion<string>().HasMaxLength(30);
            e.Property(i => i.RemedyKind).HasConversion<string>().HasMaxLength(30);
            e.Property(i => i.AddedMids).HasColumnType("jsonb").HasConversion(
                v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
                s => JsonSerializer.Deserialize<Dictionary<string, DateOnly>>(s, (JsonSerializerOptions?)null),
                new ValueComparer<Dictionary<string, DateOnly>?>((a, b) => a == null ? b == null : b != null && a.OrderBy(p => p.Key).SequenceEqual(b.OrderBy(p => p.Key)),
                    v => v == null ? 0 : v.Count, v => v == null ? null : new Dictionary<string, DateOnly>(v)));
            e.Ignore(i => i.RoutingKey);
        });
        modelBuilder.Entity<InstructionCounter>(e =>
        {
            e.ToTable("instruction_counter");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedNever();
            e.HasData(new InstructionCounter { Id = InstructionCounter.SingleRow, LastSequence = 0 });
        });
        modelBuilder.Entity<CustomsEntry>(e =>
        {
            e.ToTable("entries");
            e.HasKey(x => x.EntryNumber);
            e.Property(x => x.EntryNumber).HasMaxLength(EntryNumber.Length).IsFixedLength();
            e.Property(x => x.FilerCode).HasMaxLength(3).IsFixedLength();
            e.Property(x => x.Importer).HasMaxLength(40);
            e.Property(x => x.Mid).HasMaxLength(15);
            e.Property(x => x.CountryOfOrigin).HasMaxLength(2).IsFixedLength();
            e.Property(x => x.EnteredValue).HasPrecision(18, 2);
            e.Property(x => x.EstimatedDuties).HasPrecision(18, 2);
            e.Property(x => x.DutiesWithoutPreference).HasPrecision(18, 2);
            e.Property(x => x.TariffNumber).HasMaxLength(10);
            e.HasIndex(x => new { x.Mid, x.EntryDate });
        });
        modelBuilder.Entity<PendingLift>(e =>
        {
            e.ToTable("pending_lifts");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).UseIdentityByDefaultColumn();
            e.Property(p => p.Kind).HasConversion<string>().HasMaxLength(30);
            e.HasIndex(p => p.CaseId);
        });
        modelBuilder.Entity<OrderMidAddition>(e =>
        {
            e.ToTable("order_mid_additions");
            e.HasKey(a => new { a.OrderId, a.Mid });
            e.Property(a => a.Mid).HasMaxLength(15);
            e.HasIndex(a => a.Mid);
        });
        modelBuilder.Entity<FacilityMidAddition>(e =>
        {
            e.ToTable("facility_mid_additions");
            e.HasKey(a => new { a.FacilityId, a.Mid });
            e.Property(a => a.Mid).HasMaxLength(15);
        });
        modelBuilder.Entity<KnownMid>(e =>
        {
            e.ToTable("known_mids");
            e.HasKey(m => m.Mid);
            e.Property(m => m.Mid).HasMaxLength(15);
            e.Property(m => m.FacilityName).HasMaxLength(300);
        });
    }
}

/// <summary>The one row whose update numbers instructions: its row lock makes the sequence gap-free across replicas.</summary>
public sealed class InstructionCounter
{
    public const int SingleRow = 1;
    public int Id { get; set; }
    public long LastSequence { get; set; }
}

/// <summary>For <c>dotnet ef</c> only: builds the context without booting the host.</summary>
internal sealed class LiquidationDbContextFactory : IDesignTimeDbContextFactory<LiquidationDbContext>
{
    public LiquidationDbContext CreateDbContext(string[] args) =>
        new(DatabaseSetup.OptionsFor<LiquidationDbContext>(DatabaseSetup.DesignTimeConnectionString, LiquidationDbContext.SchemaName));
}
