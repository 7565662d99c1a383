using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Rrm.ServiceDefaults.Deadlines;
using Rrm.ServiceDefaults.Messaging;

namespace Rrm.ServiceDefaults.Data;

/// <summary>
/// Base of every service's DbContext: puts the model in the service's own schema and adds the
/// reliability tables (outbox, inbox, deadlines) that ServiceDefaults' machinery works on.
/// </summary>
public abstract class RrmDbContext(DbContextOptions options, string schema) : DbContext(options)
{
    public string Schema { get; } = schema;

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();
    public DbSet<ScheduledDeadline> Deadlines => Set<ScheduledDeadline>();
    public DbSet<ProcessedRequest> ProcessedRequests => Set<ProcessedRequest>();

    /// <summary>Whether the service's commands take request ids (the command runner's processed_requests table).</summary>
    protected virtual bool RemembersRequestIds => false;

    /// <summary>
    /// Begins a transaction that commits or rolls back whole: a failed SaveChanges ends the unit of work, so SaveChanges
    /// inside it sets no savepoint (EF's default for a transaction begun by the caller, two more round trips per SaveChanges,
    /// only of use to a caller that carries on after a failed SaveChanges). A pooled context is reset to the default.
    /// </summary>
    public async Task<IDbContextTransaction> BeginUnitOfWorkAsync(CancellationToken cancellationToken)
    {
        var transaction = await Database.BeginTransactionAsync(cancellationToken);
        Database.AutoSavepointsEnabled = false;
        return transaction;
    }

    /// <summary>
    /// Runs <paramref name="read"/> in one snapshot (a read-only REPEATABLE READ transaction). An aggregate loads in
    /// several statements (split queries, then its timeline and counts); outside a transaction each sees the latest
    /// commit, so a change committed between them showed half of itself (a lapsed clock on a case still awaiting the act).
    /// </summary>
    public async Task<T> InSnapshotAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null) return await read();
        await using var transaction = await Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var result = await read();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Queues an integration event; it is published only if the surrounding SaveChanges commits.</summary>
    public void AddEvent(object @event) => OutboxMessages.Add(OutboxMessage.For(@event, DateTimeOffset.UtcNow));

    /// <summary>Queues a feed message (<see cref="OutboxMessage.ForFeed"/>); published only if the surrounding SaveChanges commits.</summary>
    public void AddFeedMessage(Guid messageId, string exchange, string routingKey, string schema, string body, IReadOnlyDictionary<string, string> headers) =>
        OutboxMessages.Add(OutboxMessage.ForFeed(messageId, exchange, routingKey, schema, body, headers, DateTimeOffset.UtcNow));

    /// <summary>
    /// Schedules (or moves) the deadline with this key. Saved with the next SaveChanges. A key that cannot exist yet
    /// (it names something created in this unit of work) is added without looking for it: <paramref name="isNew"/>.
    /// </summary>
    public async Task ScheduleDeadlineAsync(string key, string kind, DateTimeOffset dueAt, object? payload,
        CancellationToken cancellationToken, bool isNew = false) =>
        ScheduleDeadline(isNew ? null : await Deadlines.SingleOrDefaultAsync(d => d.Key == key, cancellationToken), key, kind, dueAt, payload);

    /// <summary>
    /// The deadline rows with these keys, tracked, in one round trip: for a unit of work that schedules or cancels several
    /// (<see cref="ScheduleDeadline"/>, <see cref="CancelDeadline"/>), instead of a look-up per key.
    /// </summary>
    public async Task<Dictionary<string, ScheduledDeadline>> DeadlinesByKeyAsync(IReadOnlyCollection<string> keys,
        CancellationToken cancellationToken) =>
        await Deadlines.Where(d => keys.Contains(d.Key)).ToDictionaryAsync(d => d.Key, cancellationToken);

    /// <summary>Schedules (or moves) the deadline with this key, given its row as read (null: there is none). Saved with the next SaveChanges.</summary>
    public void ScheduleDeadline(ScheduledDeadline? existing, string key, string kind, DateTimeOffset dueAt, object? payload)
    {
        var fresh = ScheduledDeadline.Create(key, kind, dueAt, payload, DateTimeOffset.UtcNow);
        if (existing is null)
        {
            Deadlines.Add(fresh);
            return;
        }
        existing.DueAt = fresh.DueAt;
        existing.NextAttemptAt = fresh.NextAttemptAt;
        existing.Payload = fresh.Payload;
        existing.FiredAt = null;
        existing.CancelledAt = null;
        existing.Attempts = 0;
        existing.LastError = null;
    }

    /// <summary>
    /// Schedules an alert for <paramref name="at"/>; one already past at <paramref name="now"/> (a backfilled act) is
    /// put off by <paramref name="backfillGrace"/> (Deadlines:BackfillGrace), so it never fires before the history is in.
    /// </summary>
    public Task ScheduleAlertAsync(string key, string kind, DateTimeOffset at, object? payload, DateTimeOffset now, TimeSpan backfillGrace,
        CancellationToken cancellationToken, bool isNew = false) =>
        ScheduleDeadlineAsync(key, kind, AlertTime(at, now, backfillGrace), payload, cancellationToken, isNew);

    /// <summary>When an alert for <paramref name="at"/> fires (<see cref="ScheduleAlertAsync"/>).</summary>
    public static DateTimeOffset AlertTime(DateTimeOffset at, DateTimeOffset now, TimeSpan backfillGrace) => at > now ? at : now + backfillGrace;

    /// <summary>Cancels the pending deadline with this key, if any. Saved with the next SaveChanges.</summary>
    public async Task CancelDeadlineAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        CancelDeadline(await Deadlines.SingleOrDefaultAsync(d => d.Key == key && d.FiredAt == null && d.CancelledAt == null, cancellationToken), now);

    /// <summary>Cancels <paramref name="existing"/> (a row as read, or null for none) if it is pending. Saved with the next SaveChanges.</summary>
    public static void CancelDeadline(ScheduledDeadline? existing, DateTimeOffset now)
    {
        if (existing is { FiredAt: null, CancelledAt: null }) existing.CancelledAt = now;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).UseIdentityByDefaultColumn();
            e.HasIndex(m => m.MessageId).IsUnique();
            e.Property(m => m.Type).HasMaxLength(200);
            e.Property(m => m.Payload).HasColumnType("jsonb");
            e.Property(m => m.TraceParent).HasMaxLength(128);
            e.Property(m => m.Exchange).HasMaxLength(200);
            e.Property(m => m.RoutingKey).HasMaxLength(200);
            e.Property(m => m.Headers).HasColumnType("jsonb");
            e.Property(m => m.LastError).HasMaxLength(2000);
            e.HasIndex(m => m.NextAttemptAt).HasFilter("processed_at IS NULL").HasDatabaseName("ix_outbox_messages_pending");
        });
        modelBuilder.Entity<InboxMessage>(e =>
        {
            e.ToTable("inbox_messages");
            e.HasKey(m => new { m.MessageId, m.Consumer });
            e.Property(m => m.Consumer).HasMaxLength(200);
        });
        if (RemembersRequestIds) MapProcessedRequests(modelBuilder);
        else modelBuilder.Ignore<ProcessedRequest>();
        modelBuilder.Entity<ScheduledDeadline>(e =>
        {
            e.ToTable("scheduled_deadlines");
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).UseIdentityByDefaultColumn();
            e.HasIndex(d => d.Key).IsUnique();
            e.Property(d => d.Key).HasMaxLength(300);
            e.Property(d => d.Kind).HasMaxLength(100);
            e.Property(d => d.Payload).HasColumnType("jsonb");
            e.Property(d => d.LastError).HasMaxLength(2000);
            e.HasIndex(d => d.NextAttemptAt).HasFilter("fired_at IS NULL AND cancelled_at IS NULL")
                .HasDatabaseName("ix_scheduled_deadlines_pending");
        });
    }

    private static void MapProcessedRequests(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<ProcessedRequest>(e =>
        {
            e.ToTable("processed_requests");
            e.HasKey(r => r.RequestId);
            e.Property(r => r.RequestId).HasMaxLength(ProcessedRequest.MaxRequestIdLength);
            e.Property(r => r.Operation).HasMaxLength(100);
            e.Property(r => r.PayloadHash).HasMaxLength(64);
            e.Property(r => r.ResultId).HasMaxLength(100);
        });
}
