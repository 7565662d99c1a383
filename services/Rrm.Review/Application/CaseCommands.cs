using System.Security.Claims;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rrm.Review.Data;
using Rrm.Review.Domain;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Errors;

namespace Rrm.Review.Application;

/// <summary>
/// The one path of every act on a case: load, apply the domain act, then in one transaction save the
/// case, its timeline entries, its clocks' scheduler rows, its events (outbox) and the request id.
/// A concurrent update of the same case is retried on fresh state, so the loser of a race either
/// succeeds on top of the winner or is told the act is no longer allowed.
/// </summary>
internal sealed class CaseCommands(
    ReviewDbContext db, CaseClocks clocks, CaseEventMapper events, ILogger<CaseCommands> logger)
{
    private const int Attempts = 3;

    public static string RecordedBy(ClaimsPrincipal user) => user.FindFirst("sub")?.Value ?? "unknown";

    /// <summary>Applies <paramref name="apply"/> to the case and saves everything it did.</summary>
    public async Task<EnforcementCase> ActAsync(Guid caseId, string? requestId, IMessage request, ActContext ctx,
        Func<EnforcementCase, Task> apply, CancellationToken ct)
    {
        var operation = request.Descriptor.Name;
        var hash = ProcessedRequest.HashOf(request);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await db.EarlierResultAsync(requestId, operation, hash, ct) is not null) return await LoadAsync(caseId, tracked: false, ct);
                var c = await LoadAsync(caseId, tracked: true, ct);
                await apply(c);
                if (c.LastRecordedAct is null) return c; // the same act again: nothing to do
                await SaveAsync(c, ctx, requestId, operation, hash, ct);
                return c;
            }
            catch (Exception e) when (IsConflict(e))
            {
                db.ChangeTracker.Clear();
                if (attempt == Attempts)
                    throw new ConcurrencyConflictException("The case was changed by others several times while this act was being recorded; reload it and try again.");
                logger.LogInformation("Case {CaseId} changed concurrently; recording the act again on fresh state (attempt {Attempt})", caseId, attempt + 1);
            }
        }
    }

    /// <summary>Saves a case created by <paramref name="open"/> (or returns the earlier one for a retried request id).</summary>
    public async Task<EnforcementCase> OpenAsync(string? requestId, IMessage request, ActContext ctx, Func<Task<EnforcementCase>> open, CancellationToken ct)
    {
        var operation = request.Descriptor.Name;
        var hash = ProcessedRequest.HashOf(request);
        try
        {
            if (await db.EarlierResultAsync(requestId, operation, hash, ct) is { } earlier) return await LoadAsync(Guid.Parse(earlier), tracked: false, ct);
            var c = await open();
            db.Cases.Add(c);
            await SaveAsync(c, ctx, requestId, operation, hash, ct);
            return c;
        }
        catch (Exception e) when (requestId is not null && IsConflict(e))
        {
            // A concurrent retry with the same request id won: answer as the retry would.
            db.ChangeTracker.Clear();
            var winner = await db.EarlierResultAsync(requestId, operation, hash, ct)
                ?? throw new ConcurrencyConflictException("A concurrent request with the same request_id is in progress.");
            return await LoadAsync(Guid.Parse(winner), tracked: false, ct);
        }
    }

    /// <summary>Saves an act's effects in one transaction (SaveChanges): entries, clocks, events, request id.</summary>
    private async Task SaveAsync(EnforcementCase c, ActContext ctx, string? requestId, string operation, string hash, CancellationToken ct)
    {
        await StageAsync(c, ct);
        db.RememberRequest(requestId, operation, hash, c.Id.ToString(), ctx.RecordedAt);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Adds what an act did besides the case itself (timeline, clocks, events) to the unit of work, unsaved.</summary>
    public async Task StageAsync(EnforcementCase c, CancellationToken ct)
    {
        db.Timeline.AddRange(c.NewEntries);
        await clocks.SyncAsync(db, c, ct);
        await events.PublishActsAsync(db, c, ct);
        foreach (var recorded in c.RecordedActs)
            logger.LogInformation("Case {CaseId}: {Act} dated {EffectiveDate} by {RecordedBy}; now {CaseState}",
                c.Id, recorded.Act, recorded.Context.Date, recorded.Context.RecordedBy, c.State);
    }

    public async Task<EnforcementCase> LoadAsync(Guid caseId, bool tracked, CancellationToken ct)
    {
        var query = tracked ? db.Cases : db.Cases.AsNoTracking();
        return await query.SingleOrDefaultAsync(c => c.Id == caseId, ct) ?? throw new NotFoundException($"No case has id {caseId}.");
    }

    /// <summary>
    /// Earlier panel determinations of a denial of rights for the same facility, or [R] for a facility of the
    /// same owner making the same goods (the repeat-offender rule of Annex 31-A for denial of entry).
    /// </summary>
    public async Task<int> PriorDenialsAsync(EnforcementCase c, CancellationToken ct)
    {
        var f = c.Facility;
        var before = c.PanelDeterminedOn ?? DateOnly.MaxValue;
        return await db.Cases.AsNoTracking().CountAsync(x => x.Id != c.Id && x.PanelFoundDenial == true && x.PanelDeterminedOn < before &&
            ((f.FacilityId != null && x.Facility.FacilityId == f.FacilityId)
             || (x.Facility.LegalName == f.LegalName && x.Facility.City == f.City)
             || (f.Owner != "" && x.Facility.Owner == f.Owner && x.Facility.Subsector == f.Subsector)), ct);
    }

    // A deadlock is a conflict too: the scheduler claims a clock's row and then updates its case, an act updates the
    // case and then its clocks' rows, so the two can wait on each other; PostgreSQL rolls one back whole, and the act
    // is recorded again on fresh state like after any concurrent change.
    private static bool IsConflict(Exception e) =>
        e is DbUpdateConcurrencyException
        || e is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } }
        || (e is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected } }
            or PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected });
}
