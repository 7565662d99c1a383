using Microsoft.EntityFrameworkCore;
using Rrm.Contracts.Events;
using Rrm.TariffLiquidation.Data;
using Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Application;

/// <summary>
/// Turns the Review service's decisions into orders and the customs instructions that carry them. Runs
/// inside a consumer's transaction (the inbox makes a redelivered event change nothing); a decision already
/// applied (its order opened, or lifted) issues nothing. Events of one case arrive on separate queues, so
/// a lift may come before its order: it waits as a pending lift and ends the order when it opens.
/// </summary>
internal sealed class OrderDesk(LiquidationDbContext db, TimeProvider clock, ILogger<OrderDesk> logger)
{
    /// <summary>Remembers the facility's MIDs, so entries under them can be registered.</summary>
    public async Task KnowFacilityAsync(CaseRef reference, CancellationToken ct)
    {
        var f = reference.Facility;
        foreach (var mid in f.Mids)
        {
            var known = await db.KnownMids.FindAsync([mid], ct);
            if (known is null) db.KnownMids.Add(known = new KnownMid { Mid = mid });
            known.FacilityId = f.FacilityId == Guid.Empty ? null : f.FacilityId;
            known.FacilityName = f.LegalName;
            known.FacilityMids = [.. f.Mids];
        }
    }

    public async Task OpenAsync(CaseRef reference, OrderKind kind, DateOnly from, string directive, Guid? remedyId, string description, CancellationToken ct)
    {
        await LockCaseAsync(reference.CaseId, ct);
        await KnowFacilityAsync(reference, ct);
        if (await db.Orders.AnyAsync(o => o.CaseId == reference.CaseId && o.Kind == kind && o.RemedyId == remedyId, ct)) return;
        var now = clock.GetUtcNow();
        var order = LiquidationOrder.Open(kind, Facts(reference), from, directive, remedyId, description, now);
        db.Orders.Add(order);
        await InstructionLedger.IssueAsync(db, InstructionRecord.For(order, lifted: false, directive, reference.Replayed, now), ct);
        logger.LogInformation("Order {OrderId} ({OrderKind}) for case {CaseId} in force from {EffectiveDate} for MIDs {Mids}",
            order.Id, kind, reference.CaseId, from, order.Mids);
        var pending = (await db.PendingLifts.Where(p => p.CaseId == reference.CaseId).ToListAsync(ct)).FirstOrDefault(p => p.Ends(order));
        if (pending is not null)
        {
            db.PendingLifts.Remove(pending);
            await LiftAsync(order, pending.LiftOn, pending.Directive, reference.Replayed, now, ct);
        }
    }

    /// <summary>Lifts the case's orders of <paramref name="kind"/> in force (only the remedy's, given one).</summary>
    public async Task LiftAsync(CaseRef reference, OrderKind? kind, Guid? remedyId, DateOnly on, string directive, CancellationToken ct)
    {
        await LockCaseAsync(reference.CaseId, ct);
        var orders = await db.Orders.Where(o => o.CaseId == reference.CaseId
            && (kind == null || o.Kind == kind) && (remedyId == null || o.RemedyId == remedyId)).ToListAsync(ct);
        var now = clock.GetUtcNow();
        if (orders.Count == 0)
        {
            db.PendingLifts.Add(new PendingLift(reference.CaseId, kind, remedyId, on, directive, now));
            logger.LogInformation("Lift of case {CaseId}'s {OrderKind} order on {EffectiveDate} waits for the order", reference.CaseId, kind, on);
            return;
        }
        foreach (var order in orders.Where(o => o.InForce)) await LiftAsync(order, on, directive, reference.Replayed, now, ct);
    }

    private async Task LiftAsync(LiquidationOrder order, DateOnly on, string directive, bool replayed, DateTimeOffset now, CancellationToken ct)
    {
        order.Lift(on);
        await InstructionLedger.IssueAsync(db, InstructionRecord.For(order, lifted: true, directive, replayed, now), ct);
        logger.LogInformation("Order {OrderId} ({OrderKind}) for case {CaseId} lifted on {EffectiveDate}", order.Id, order.Kind, order.CaseId, on);
    }

    /// <summary>
    /// Serializes the consumers of one case's events until the transaction ends: without it a lift could look
    /// for its order while the transaction opening that order is still uncommitted, and both would miss each other.
    /// </summary>
    private Task LockCaseAsync(Guid caseId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({BitConverter.ToInt64(caseId.ToByteArray())})", ct);

    private static CaseFacts Facts(CaseRef r) => new(r.CaseId, r.InvocationNumber, r.Facility.FacilityId == Guid.Empty ? null : r.Facility.FacilityId,
        r.Facility.LegalName, r.Facility.Mids, r.Replayed);
}
