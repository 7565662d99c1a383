using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Errors;

namespace Rrm.ServiceDefaults.Commands;

/// <summary>
/// The one path of a command in every service: a retried request id is answered with the first result; otherwise the
/// command loads fresh state, applies one domain act, stages what the act did besides the aggregate (clocks, outbox
/// events), and one SaveChanges commits it all with the request id (DESIGN.md §3). A conflict runs the command again on
/// fresh state, so the loser of a race either succeeds on top of the winner or is told the act is no longer allowed.
/// </summary>
public sealed class CommandRunner(RrmDbContext db, TimeProvider clock, ILogger<CommandRunner> logger)
{
    private const int Attempts = 3;

    /// <param name="requestId">The client's request id, or null/blank for none.</param>
    /// <param name="request">The request as received: its type names the operation, its bytes are hashed.</param>
    /// <param name="load">The aggregate as it is now, tracked; or a new one, already added to the context.</param>
    /// <param name="apply">The domain act; false when it was already recorded with the same data (nothing to save).</param>
    /// <param name="stage">Adds what the act did besides the aggregate to the unit of work, unsaved.</param>
    /// <param name="idOf">The id remembered with the request id: what the command created or changed.</param>
    /// <param name="earlier">The answer to a retried request id, from the id the first call remembered.</param>
    /// <param name="serializeOn">
    /// Commands with the same key run one at a time (a transaction-scoped advisory lock), for a rule that spans
    /// aggregates and that no unique index can hold; null for none.
    /// </param>
    public async Task<T> RunAsync<T>(string? requestId, IMessage request, Func<Task<T>> load, Func<T, Task<bool>> apply,
        Func<T, Task> stage, Func<T, Guid> idOf, Func<Guid, Task<T>> earlier, CancellationToken ct, string? serializeOn = null)
    {
        requestId = string.IsNullOrWhiteSpace(requestId) ? null : requestId.Trim();
        var operation = request.Descriptor.Name;
        var hash = requestId is null ? "" : ProcessedRequest.HashOf(request);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var transaction = serializeOn is null ? null : await db.BeginUnitOfWorkAsync(ct);
                if (serializeOn is not null) await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({serializeOn}, 0))", ct);
                if (await EarlierResultAsync(requestId, operation, hash, ct) is { } first) return await earlier(first);
                var aggregate = await load();
                if (!await apply(aggregate)) return aggregate;
                await stage(aggregate);
                if (requestId is not null)
                    db.ProcessedRequests.Add(new ProcessedRequest(requestId, operation, hash, idOf(aggregate).ToString(), clock.GetUtcNow()));
                await db.SaveChangesAsync(ct);
                if (transaction is not null) await transaction.CommitAsync(ct);
                return aggregate;
            }
            catch (Exception e) when (IsConflict(e))
            {
                db.ChangeTracker.Clear();
                if (attempt == Attempts)
                    throw new ConcurrencyConflictException("Others changed this several times while the command was being recorded; reload and try again.");
                logger.LogInformation("{Operation} met a concurrent change; running it again on fresh state (attempt {Attempt})", operation, attempt + 1);
            }
        }
    }

    /// <summary>
    /// The id an earlier call with this request id and the same payload remembered, or null (no request id, or a new
    /// one). The same id with another operation or payload is ALREADY_EXISTS.
    /// </summary>
    private async Task<Guid?> EarlierResultAsync(string? requestId, string operation, string hash, CancellationToken ct)
    {
        if (requestId is null) return null;
        var earlier = await db.ProcessedRequests.AsNoTracking().SingleOrDefaultAsync(r => r.RequestId == requestId, ct);
        if (earlier is null) return null;
        if (earlier.Operation != operation || earlier.PayloadHash != hash)
            throw new AlreadyExistsException($"request_id '{requestId}' was already used for a different request ({earlier.Operation}).");
        return Guid.Parse(earlier.ResultId);
    }

    // A unique key taken meanwhile is a conflict: a concurrent retry with the same request id (answered as the retry
    // would be), or another command that created the same thing (the command sees it on fresh state).
    // A deadlock is a conflict too: the scheduler claims a clock's row and then updates its aggregate, a command updates
    // the aggregate and then its clocks' rows, so the two can wait on each other; PostgreSQL rolls one back whole.
    // EF wraps a failure PostgreSQL calls transient (a deadlock is one) in an InvalidOperationException, so the whole
    // chain is looked at.
    private static bool IsConflict(Exception e) => e.AndInner().Any(x => x is DbUpdateConcurrencyException
        or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected });
}
