using Microsoft.EntityFrameworkCore;
using Rrm.Contracts.Events;
using Rrm.TariffLiquidation.Data;
using Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Application;

/// <summary>
/// Turns the Review service's decisions into orders and the customs instructions that carry them. Runs
/// inside a consumer's transaction (the inbox makes a redelivered event change nothing); an event that
/// finds its order already opened or lifted issues nothing.
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
        await KnowFacilityAsync(reference, ct);
        var inForce = await db.Orders.AnyAsync(o => o.CaseId == reference.CaseId && o.Kind == kind && o.LiftedOn == null && o.RemedyId == remedyId, ct);
        if (inForce) return;
        var now = clock.GetUtcNow();
        var order = LiquidationOrder.Open(kind, Facts(reference), from, directive, remedyId, description, now);
        db.Orders.Add(order);
        await InstructionLedger.IssueAsync(db, InstructionRecord.For(order, lifted: false, directive, reference.Replayed, now), ct);
        logger.LogInformation("Order {OrderId} ({OrderKind}) for case {CaseId} in force from {EffectiveDate} for MIDs {Mids}",
            order.Id, kind, reference.CaseId, from, order.Mids);
    }

    /// <summary>Lifts the case's orders of <paramref name="kind"/> in force (only the remedy's, given one).</summary>
    public async Task LiftAsync(CaseRef reference, OrderKind? kind, Guid? remedyId, DateOnly on, string directive, CancellationToken ct)
    {
        var orders = await db.Orders.Where(o => o.CaseId == reference.CaseId && o.LiftedOn == null
            && (kind == null || o.Kind == kind) && (remedyId == null || o.RemedyId == remedyId)).ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var order in orders.Where(o => o.Lift(on)))
        {
            await InstructionLedger.IssueAsync(db, InstructionRecord.For(order, lifted: true, directive, reference.Replayed, now), ct);
            logger.LogInformation("Order {OrderId} ({OrderKind}) for case {CaseId} lifted on {EffectiveDate}", order.Id, order.Kind, reference.CaseId, on);
        }
    }

    private static CaseFacts Facts(CaseRef r) => new(r.CaseId, r.InvocationNumber, r.Facility.FacilityId == Guid.Empty ? null : r.Facility.FacilityId,
        r.Facility.LegalName, r.Facility.Mids, r.Replayed);
}
