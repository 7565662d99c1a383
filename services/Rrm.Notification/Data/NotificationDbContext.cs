using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Rrm.Notification.Domain;
using Rrm.ServiceDefaults.Data;

namespace Rrm.Notification.Data;

public sealed class NotificationDbContext(DbContextOptions<NotificationDbContext> options) : RrmDbContext(options, SchemaName)
{
    public const string SchemaName = "notification";

    public DbSet<ReceivedEvent> ReceivedEvents => Set<ReceivedEvent>();

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
            e.HasIndex(r => r.PetitionId);
        });
    }
}

/// <summary>For <c>dotnet ef</c> only: builds the context without booting the host.</summary>
internal sealed class NotificationDbContextFactory : IDesignTimeDbContextFactory<NotificationDbContext>
{
    public NotificationDbContext CreateDbContext(string[] args) =>
        new(DatabaseSetup.OptionsFor<NotificationDbContext>("Host=localhost;Database=design_time", NotificationDbContext.SchemaName));
}
