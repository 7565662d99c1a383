using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rrm.Notification.Data;
using Rrm.Notification.Domain;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Hosting;
using Rrm.ServiceDefaults.Telemetry;

namespace Rrm.Notification.Application;

/// <summary>
/// Delivers due notifications, up to Notification:Parallelism at once. Notifications are claimed (FOR UPDATE SKIP
/// LOCKED, so replicas never take the same one) and marked as being sent, with a lease, in short transactions;
/// each delivery then runs on its own with its own timeout, and a finished one frees its place for the next due
/// notification at once: a slow or failing recipient holds up no other. Each outcome is saved on its own.
/// Deliveries under way when the service stops are finished before it stops; one whose sender crashed is taken
/// again when its lease ends, with the same notification id for the receiver to de-duplicate.
/// </summary>
internal sealed class Dispatcher(
    IServiceScopeFactory scopes,
    DatabaseNotifications notifications,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<Dispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan OutcomeRetry = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Guid, Task> _inFlight = new();
    private CancellationTokenSource? _idle;
    private int _finished; // deliveries finished so far; tells the loop a place was freed while it was not waiting

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var wakeUps = notifications.Listen(NotificationDbContext.NoticesChannel);
        while (!stoppingToken.IsCancellationRequested)
        {
            var finishedBefore = Volatile.Read(ref _finished);
            try
            {
                var free = options.Value.Parallelism - _inFlight.Count;
                if (free > 0)
                {
                    var claimed = await ClaimAsync(free, stoppingToken);
                    // Deliveries are not cancelled by shutdown: they end within their own timeouts and are recorded.
                    foreach (var id in claimed)
                    {
                        // Registered before it starts, so that its own removal when it ends cannot come first.
                        var delivery = new Task<Task>(() => DeliverAsync(id, CancellationToken.None));
                        _inFlight[id] = delivery.Unwrap();
                        delivery.Start(TaskScheduler.Default);
                    }
                    if (claimed.Count == free) continue; // more may be due
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Notification dispatch pass failed; retrying after the poll interval");
            }
            // Wait for a new notification, a freed place or the poll interval.
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            Interlocked.Exchange(ref _idle, idle);
            if (Volatile.Read(ref _finished) == finishedBefore)
            {
                try { await wakeUps.WaitAsync(options.Value.PollInterval, idle.Token); }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
            }
            Interlocked.Exchange(ref _idle, null);
        }
        await Task.WhenAll(_inFlight.Values);
    }

    private async Task<List<Guid>> ClaimAsync(int count, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var due = await db.Notices.FromSql($"""
            SELECT * FROM notification.notifications
            WHERE (status IN ('Pending', 'Failed') AND next_attempt_at <= {now}) OR (status = 'Sending' AND lease_until < {now})
            ORDER BY created_at, position LIMIT {count} FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct);
        foreach (var notice in due) notice.Claim(now + options.Value.Lease);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return due.Select(n => n.Id).ToList();
    }

    private async Task DeliverAsync(Guid id, CancellationToken ct)
    {
        try { await AttemptAsync(id, ct); }
        catch (Exception e)
        {
            // The outcome could not be saved (the database is unreachable): the lease runs out and it is tried again.
            logger.LogWarning(e, "Notification {NotificationId}: the delivery outcome could not be recorded", id);
        }
        finally
        {
            _inFlight.TryRemove(id, out _);
            Interlocked.Increment(ref _finished);
            try { Volatile.Read(ref _idle)?.Cancel(); } // a place is free: look for the next due notification now
            catch (ObjectDisposedException) { } // the loop moved on meanwhile and will look anyway
        }
    }

    private async Task AttemptAsync(Guid id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        var notice = await db.Notices.SingleAsync(n => n.Id == id, ct);
        try
        {
            await SendAsync(scope.ServiceProvider, db, notice, ct);
            notice.MarkSent(clock.GetUtcNow());
            RrmMetrics.NotificationsSent.Add(1, new KeyValuePair<string, object?>("channel", $"{notice.Channel}"));
            logger.LogInformation("Notification {NotificationId} ({Template}) sent to a {RecipientRole} after {Attempts} attempt(s)",
                notice.Id, notice.Template, notice.Role, notice.Attempts);
        }
        catch (Exception e)
        {
            // Only the class of the failure is kept and logged: the servers' answers can name the recipient (docs/security.md).
            var reason = DeliveryFailedException.Describe(e);
            notice.MarkFailed(reason, options.Value.MaxAttempts, clock.GetUtcNow() + RetryBackoff.Delay(notice.Attempts, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay));
            var channel = new KeyValuePair<string, object?>("channel", $"{notice.Channel}");
            RrmMetrics.NotificationAttemptsFailed.Add(1, channel);
            if (notice.Status == NoticeStatus.Dead) RrmMetrics.NotificationsDead.Add(1, channel);
            logger.LogWarning("Notification {NotificationId} ({Template}) to a {RecipientRole} failed, attempt {Attempts}: {Error}; {Outcome}",
                notice.Id, notice.Template, notice.Role, notice.Attempts, reason, notice.Status == NoticeStatus.Dead ? "dead" : $"next at {notice.NextAttemptAt:O}");
            // A failure of this code rather than of the recipient: where it happened, still without any message text.
            if (e is not (DeliveryFailedException or OperationCanceledException or TimeoutException))
                logger.LogError("Notification {NotificationId}: unexpected {ExceptionType} while delivering{NewLine}{StackTrace}",
                    notice.Id, e.GetType().FullName, Environment.NewLine, e.StackTrace);
        }
        await SaveOutcomeAsync(db, notice.LeaseUntil, ct);
    }

    /// <summary>
    /// Records the outcome, waiting out a database outage while the lease lasts: the message has gone out, and an
    /// outcome left unsaved would send it a second time when the lease runs out.
    /// </summary>
    private async Task SaveOutcomeAsync(NotificationDbContext db, DateTimeOffset? leaseUntil, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (Exception e) when (TransientFailure.Is(e) && clock.GetUtcNow() + OutcomeRetry < leaseUntil)
            {
                await Task.Delay(OutcomeRetry, ct);
            }
        }
    }

    private static async Task SendAsync(IServiceProvider services, NotificationDbContext db, Notice notice, CancellationToken ct)
    {
        if (notice.IsForPetitioner)
        {
            var address = await services.GetRequiredService<IPetitionerContacts>().EmailAsync(notice.PetitionId!.Value, ct)
                ?? throw new DeliveryFailedException("petitioner has no contact e-mail address");
            await services.GetRequiredService<EmailSender>().SendAsync(notice, address, ct);
            return;
        }
        var recipient = await db.Recipients.AsNoTracking().SingleAsync(r => r.Id == notice.RecipientId, ct);
        if (notice.Channel == Channel.Webhook) await services.GetRequiredService<WebhookSender>().SendAsync(notice, recipient, ct);
        else await services.GetRequiredService<EmailSender>().SendAsync(notice, notice.Address, ct);
    }
}
