using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Design;
using Rrm.Review.Domain;
using Rrm.ServiceDefaults.Data;

namespace Rrm.Review.Data;

public sealed class ReviewDbContext(DbContextOptions<ReviewDbContext> options) : RrmDbContext(options, SchemaName)
{
    protected override bool RemembersRequestIds => true;

    public const string SchemaName = "review";

    /// <summary>Notified with the case id on each new timeline entry (a trigger, migration TimelineNotifyTrigger); WatchCase listens.</summary>
    public const string TimelineChannel = "review_timeline";

    /// <summary>
    /// The invocation numbers of a case's request for review, kept by Application.Invocations (shadow properties: they
    /// follow from every request, not from the case alone); <see cref="Highest"/> is the highest number up to the request.
    /// </summary>
    public static class InvocationColumns
    {
        public const string Number = "InvocationNumber";
        public const string NumberInYear = "InvocationNumberInYear";
        public const string Highest = "InvocationHighest";
    }

    public DbSet<EnforcementCase> Cases => Set<EnforcementCase>();
    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<EnforcementCase>(e =>
        {
            e.ToTable("cases");
            e.HasKey(c => c.Id);
            e.Ignore(c => c.NewEntries);
            e.Ignore(c => c.LastRecordedAct);
            e.Ignore(c => c.LastActEntries);
            e.Ignore(c => c.RecordedActs);
            e.Ignore(c => c.PublishedActs);
            e.Property(c => c.PendingLapse).HasColumnType("jsonb").HasConversion(
                v => v == null ? null : JsonSerializer.Serialize(v, JsonSerializerOptions.Web),
                v => v == null ? null : JsonSerializer.Deserialize<CaseLapse>(v, JsonSerializerOptions.Web));
            e.Ignore(c => c.RemediesInForce);
            e.Property(c => c.Reference).HasMaxLength(100);
            e.HasIndex(c => c.Reference).IsUnique();
            e.Property(c => c.ImportHash).HasMaxLength(64);
            e.Property(c => c.Origin).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(c => c.PetitionId).IsUnique();
            e.Property(c => c.State).HasConversion<string>().HasMaxLength(40);
            e.HasIndex(c => c.State);
            // The order of requests for review (Application.Invocations): the one before and those after a new request.
            e.HasIndex(c => new { c.RequestDate, c.RequestRecordedAt, c.Id });
            e.Property<int?>(InvocationColumns.Number);
            e.Property<int?>(InvocationColumns.NumberInYear);
            e.Property<int?>(InvocationColumns.Highest);
            e.Property(c => c.ClosureReason).HasMaxLength(EnforcementCase.MaxTextLength);
            e.Property(c => c.PanelCaseNumber).HasMaxLength(100);
            e.Property(c => c.LastActFingerprint).HasMaxLength(30_000);
            e.Property(c => c.Version).IsRowVersion();
            e.OwnsOne(c => c.Facility, f =>
            {
                f.Property(x => x.LegalName).HasMaxLength(300);
                f.Property(x => x.CommonName).HasMaxLength(300);
                f.Property(x => x.StreetAddress).HasMaxLength(300);
                f.Property(x => x.City).HasMaxLength(100);
                f.Property(x => x.StateCode).HasMaxLength(3);
                f.Property(x => x.StateName).HasMaxLength(60);
                f.Property(x => x.Sector).HasMaxLength(30);
                f.Property(x => x.Subsector).HasMaxLength(300);
                f.Property(x => x.Owner).HasMaxLength(300);
                f.HasIndex(x => x.FacilityId);
                f.HasIndex(x => x.StateCode);
            });
            e.OwnsMany(c => c.Deadlines, d =>
            {
                d.ToTable("case_deadlines");
                d.WithOwner().HasForeignKey("CaseId");
                d.Property<int>("Id").UseIdentityByDefaultColumn();
                d.HasKey("Id");
                d.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
                d.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
                d.Ignore(x => x.Rule);
            });
            e.OwnsMany(c => c.Actions, a =>
            {
                a.ToTable("remediation_actions");
                a.WithOwner().HasForeignKey("CaseId");
                a.HasKey("CaseId", nameof(RemediationAction.Number));
                a.Property(x => x.Number).ValueGeneratedNever();
                a.Property(x => x.Description).HasMaxLength(2000);
                a.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
                a.Property(x => x.Notes).HasColumnType("jsonb").HasConversion(
                    v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web),
                    v => JsonSerializer.Deserialize<List<ActionNote>>(v, JsonSerializerOptions.Web) ?? new List<ActionNote>(),
                    new ValueComparer<List<ActionNote>>((x, y) => x!.SequenceEqual(y!), v => v.Aggregate(0, (h, n) => HashCode.Combine(h, n)), v => v.ToList()));
            });
            e.OwnsMany(c => c.Remedies, r =>
            {
                r.ToTable("remedies");
                r.WithOwner().HasForeignKey("CaseId");
                r.HasKey(x => x.Id);
                r.Property(x => x.Id).ValueGeneratedNever();
                r.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
                r.Property(x => x.Description).HasMaxLength(2000);
            });
        });
        modelBuilder.Entity<TimelineEntry>(e =>
        {
            e.ToTable("timeline_entries");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).UseIdentityByDefaultColumn();
            e.HasOne<EnforcementCase>().WithMany().HasForeignKey(t => t.CaseId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(t => new { t.CaseId, t.Position }).IsUnique();
            e.Property(t => t.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(t => t.Act).HasConversion<string>().HasMaxLength(40);
            e.Property(t => t.StateAfter).HasConversion<string>().HasMaxLength(40);
            e.Property(t => t.DeadlineKind).HasConversion<string>().HasMaxLength(40);
            e.Property(t => t.RecordedBy).HasMaxLength(200);
            e.Property(t => t.Summary).HasMaxLength(2000);
            e.Property(t => t.Note).HasMaxLength(EnforcementCase.MaxTextLength);
            e.Property(t => t.Confidential).HasMaxLength(1000);
            e.Property(t => t.Source).HasMaxLength(ActContext.MaxSourceLength);
        });
    }
}

/// <summary>For <c>dotnet ef</c> only: builds the context without booting the host.</summary>
internal sealed class ReviewDbContextFactory : IDesignTimeDbContextFactory<ReviewDbContext>
{
    public ReviewDbContext CreateDbContext(string[] args) =>
        new(DatabaseSetup.OptionsFor<ReviewDbContext>(DatabaseSetup.DesignTimeConnectionString, ReviewDbContext.SchemaName));
}
