using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Rrm.Notification.Domain;
using Rrm.ServiceDefaults.Data;

namespace Rrm.Notification.Data;

public sealed class NotificationDbContext(DbContextOptions<NotificationDbContext> options) : RrmDbContext(options, SchemaName)
{
    public const string SchemaName = "notification";

    /// <summary>The LISTEN/NOTIFY channel a trigger signals on when a notification is added (the dispatcher wakes up).</summary>
    public const string NoticesChannel = "notification_notices";

    public DbSet<ReceivedEvent> ReceivedEvents => Set<ReceivedEvent>();
    public DbSet<Recipient> Recipients => Set<Recipient>();
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<NotificationRule> Rules => Set<NotificationRule>();
    public DbSet<KnownPetition> KnownPetitions => Set<KnownPetition>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<ReceivedEvent>(e =>
        {
            e.ToTable("received_events");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).UseIdentityByDefaultColumn();
            e.HasIndex(r => r.MessageId).IsUnique();
            e.Property(r => r.EventType).HasMaxLength(200);
            e.Property(r => r.Summary).HasMaxLength(1000);
            e.Property(r => r.Payload).HasColumnType("jsonb");
            e.HasIndex(r => r.PetitionId);
            e.HasIndex(r => r.CaseId);
        });
        modelBuilder.Entity<Recipient>(e =>
        {
            e.ToTable("recipients");
            e.HasKey(r => r.Id);
            e.Property(r => r.Name).HasMaxLength(Recipient.MaxNameLength);
            e.Property(r => r.Role).HasConversion<string>().HasMaxLength(40);
            e.Property(r => r.Channel).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.Address).HasMaxLength(Recipient.MaxAddressLength);
            e.Property(r => r.Language).HasMaxLength(2);
            e.Property(r => r.WebhookSecret).HasMaxLength(200);
            e.HasIndex(r => new { r.Role, r.Active });
        });
        modelBuilder.Entity<Notice>(e =>
        {
            e.ToTable("notifications");
            e.HasKey(n => n.Id);
            e.HasIndex(n => new { n.CreatedAt, n.Position });
            e.HasIndex(n => new { n.EventId, n.RecipientKey }).IsUnique();
            e.Property(n => n.EventType).HasMaxLength(200);
            e.Property(n => n.Role).HasConversion<string>().HasMaxLength(40);
            e.Property(n => n.RecipientKey).HasMaxLength(100);
            e.Property(n => n.Channel).HasConversion<string>().HasMaxLength(20);
            e.Property(n => n.Address).HasMaxLength(Recipient.MaxAddressLength);
            e.Property(n => n.Language).HasMaxLength(2);
            e.Property(n => n.Template).HasMaxLength(100);
            e.Property(n => n.Subject).HasMaxLength(1000);
            e.Property(n => n.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(n => n.LastError).HasMaxLength(2000);
            e.HasIndex(n => n.NextAttemptAt).HasFilter("status IN ('Pending', 'Failed', 'Sending')").HasDatabaseName("ix_notifications_due");
            e.HasIndex(n => n.CaseId);
            e.HasIndex(n => n.PetitionId);
            e.HasIndex(n => n.RecipientId);
            e.Ignore(n => n.IsForPetitioner);
        });
        modelBuilder.Entity<NotificationRule>(e =>
        {
            e.ToTable("rules");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.EventType).HasMaxLength(200);
            e.Property(r => r.Condition).HasMaxLength(500);
            e.Property(r => r.Role).HasConversion<string>().HasMaxLength(40);
            e.Property(r => r.Template).HasMaxLength(100);
            e.HasIndex(r => r.EventType);
            e.HasData(NotificationRule.Matrix);
        });
        modelBuilder.Entity<KnownPetition>(e =>
        {
            e.ToTable("known_petitions");
            e.HasKey(p => p.PetitionId);
            e.Property(p => p.Language).HasMaxLength(2);
        });
    }
}

/// <summary>For <c>dotnet ef</c> only: builds the context without booting the host.</summary>
internal sealed class NotificationDbContextFactory : IDesignTimeDbContextFactory<NotificationDbContext>
{
    public NotificationDbContext CreateDbContext(string[] args) =>
        new(DatabaseSetup.OptionsFor<NotificationDbContext>(DatabaseSetup.DesignTimeConnectionString, NotificationDbContext.SchemaName));
}
