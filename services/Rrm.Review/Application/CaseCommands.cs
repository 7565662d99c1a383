using System.Security.Claims;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Rrm.Review.Data;
using Rrm.Review.Domain;
using Rrm.ServiceDefaults.Commands;
using Rrm.ServiceDefaults.Errors;

namespace Rrm.Review.Application;

/// <summary>
/// Every act on a case, through the one command path (<see cref="CommandRunner"/>): load, apply the domain act,
/// then in one transaction save the case, its timeline entries, its clocks' scheduler rows, its events (outbox)
/// and the request id.
/// </summary>
internal sealed class CaseCommands(
    ReviewDbContext db, CommandRunner runner, CaseClocks clocks, CaseEventMapper events, Invocations invocations, ILogger<CaseCommands> logger)
{
    public static string RecordedBy(ClaimsPrincipal user) => user.FindFirst("sub")?.Value ?? "unknown";

    /// <summary>
    /// Applies <paramref name="apply"/> to the case and saves everything it did. <paramref name="serializeOn"/>: see
    /// <see cref="CommandRunner.RunAsync{T}"/> (<see cref="Invocations.LockKey"/> for the act that numbers a request for review).
    /// </summary>
    public Task<EnforcementCase> ActAsync(Guid caseId, string? requestId, IMessage request, Func<EnforcementCase, Task> apply, CancellationToken ct,
        string? serializeOn = null) =>
        runner.RunAsync(requestId, request,
            load: () => LoadAsync(caseId, tracked: true, ct),
            apply: async c =>
            {
                await apply(c);
                return c.LastRecordedAct is not null; // null: the same act again, nothing to do
            },
            stage: c => StageAsync(c, ct), idOf: c => c.Id, earlier: _ => LoadAsync(caseId, tracked: false, ct), ct, serializeOn);

    /// <summary>Saves a case created by <paramref name="open"/> (or returns the earlier one for a retried request id).</summary>
    public Task<EnforcementCase> OpenAsync(string? requestId, IMessage request, Func<Task<EnforcementCase>> open, CancellationToken ct) =>
        runner.RunAsync(requestId, request,
            load: async () => db.Cases.Add(await open()).Entity,
            apply: _ => Task.FromResult(true),
            stage: c => StageAsync(c, ct), idOf: c => c.Id, earlier: id => LoadAsync(id, tracked: false, ct), ct);

    /// <summary>Adds what an act did besides the case itself (invocation numbers, timeline, clocks, events) to the unit of work, unsaved.</summary>
    public async Task StageAsync(EnforcementCase c, CancellationToken ct)
    {
        await invocations.StoreAsync(c, ct);
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
}
