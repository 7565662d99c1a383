using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Hosting;
using Rrm.ServiceDefaults.Telemetry;

namespace Rrm.ServiceDefaults.Deadlines;

/// <summary>
/// Fires due deadline rows. Each row is claimed with FOR UPDATE SKIP LOCKED in its own transaction,
/// handled, and stamped fired in that same transaction, so across any number of replicas a row fires
/// exactly once. "Now" comes from <see cref="TimeProvider"/>, the seam tests use to move time.
/// </summary>
public sealed class DeadlineScheduler<TDb>(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<DeadlineOptions> options,
    ILogger<DeadlineScheduler<TDb>> logger) : BackgroundService where TDb : RrmDbContext
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await FireDueAsync(stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Deadline scheduler pass failed; retrying after the poll interval");
            }
            try { await Task.Delay(options.Value.PollInterval, stoppingToken); }
            catch (OperationCanceledException) { }
        }
    }

    /// <summary>Fires every deadline due now; returns how many fired.</summary>
    public async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        var fired = 0;
        while (await FireOneAsync(cancellationToken)) fired++;
        return fired;
    }

    private async Task<bool> FireOneAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        await using var transaction = await db.BeginUnitOfWorkAsync(cancellationToken);
        // The schema is the service's own constant, never caller input.
        var claimDue = $$"""
                SELECT * FROM "{{db.Schema}}".scheduled_deadlines
                WHERE fired_at IS NULL AND cancelled_at IS NULL AND next_attempt_at <= {0}
                ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
                """;
        var deadline = await db.Deadlines.FromSqlRaw(claimDue, now).SingleOrDefaultAsync(cancellationToken);
        if (deadline is null) return false;

        var handler = scope.ServiceProvider.GetServices<IDeadlineHandler>().SingleOrDefault(h => h.Kind == deadline.Kind);
        try
        {
            if (handler is null) throw new InvalidOperationException($"No handler is registered for deadline kind '{deadline.Kind}'.");
            await handler.HandleAsync(deadline, db, cancellationToken);
            deadline.FiredAt = now;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            RrmMetrics.DeadlinesFired.Add(1, new KeyValuePair<string, object?>("kind", deadline.Kind));
            logger.LogInformation("Deadline {DeadlineKey} ({DeadlineKind}) due {DueAt} fired", deadline.Key, deadline.Kind, deadline.DueAt);
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Counted first: if the database is what failed, the rollback and the record of the attempt fail too.
            RrmMetrics.DeadlinesFailed.Add(1, new KeyValuePair<string, object?>("kind", deadline.Kind));
            await transaction.RollbackAsync(cancellationToken);
            await RecordFailureAsync(deadline.Id, e, now, cancellationToken);
            return true;
        }
    }

    /// <summary>The handler's effects were rolled back; only the attempt is recorded, with a back-off.</summary>
    private async Task RecordFailureAsync(long id, Exception error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        var deadline = await db.Deadlines.SingleAsync(d => d.Id == id, cancellationToken);
        deadline.Attempts++;
        deadline.LastError = error.Message.Length > 2000 ? error.Message[..2000] : error.Message;
        deadline.NextAttemptAt = now + RetryBackoff.Delay(deadline.Attempts, FirstRetry, options.Value.MaxBackoff);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogError(error, "Deadline {DeadlineKey} ({DeadlineKind}) failed, attempt {Attempts}; next at {NextAttemptAt}",
            deadline.Key, deadline.Kind, deadline.Attempts, deadline.NextAttemptAt);
    }
}
