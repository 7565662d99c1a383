using Microsoft.EntityFrameworkCore;
using Rrm.Contracts.Events;
using Rrm.TariffLiquidation.Data;
using Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Application;

/// <summary>
/// Turns the Review and Petition services' decisions into orders and the customs instructions that carry them
/// (<see cref="CustomsInstructions"/> builds each). Runs inside a consumer's transaction (the inbox makes a redelivered
/// event change nothing); a decision already applied (its order opened, or lifted) issues nothing.
/// </summary>
/// <remarks>
/// Order of a case's events: every consumer of this service reads one queue, which one replica at a time consumes, one
/// message at a time (RabbitMQ's single active consumer, TariffLiquidationModule). So decisions are applied one after
/// another in the order they arrive, never two at once, and nothing here locks: a message handed to another replica after
/// a failover was not acknowledged, comes back ahead of later ones and waits on its own inbox row. Arrival is not always
/// the order of the case's history, though (the Review service's relay replicas publish batches side by side, a failed
/// publish is retried later, a message from an error queue is replayed late): a lift that comes before the order it ends
/// waits as a <see cref="PendingLift"/> and ends the order when it opens (docs/adr/0010).
/// </remarks>
internal sealed class OrderDesk(LiquidationDbContext db, InstructionLedger ledger, TimeProvider clock, ILogger<OrderDesk> logger)
{
    /// <summary>
    /// Remembers the facility's MIDs (with those added to its registration), so entries under them can be registered;
    /// answers the additions, oldest first.
    /// </summary>
    public async Task<List<FacilityMidAddition>> KnowFacilityAsync(CaseRef reference, CancellationToken ct)
    {
        var f = reference.Facility;
        var added = f.FacilityId == Guid.Empty ? []
            : await db.FacilityMidAdditions.AsNoTracking().Where(a => a.FacilityId == f.FacilityId).OrderBy(a => a.EffectiveFrom).ToListAsync(ct);
        await KnowAsync(f.FacilityId == Guid.Empty ? null : f.FacilityId, f.LegalName, [.. f.Mids.Union(added.Select(a => a.Mid))], ct);
        return added;
    }

    private async Task KnowAsync(Guid? facilityId, string facilityName, List<string> mids, CancellationToken ct)
    {
        // One round trip for all of them; one added earlier in this unit of work is only in the change tracker.
        var stored = await db.KnownMids.Where(k => mids.Contains(k.Mid)).ToDictionaryAsync(k => k.Mid, ct);
        foreach (var mid in mids)
        {
            var known = db.KnownMids.Local.FirstOrDefault(k => k.Mid == mid) ?? stored.GetValueOrDefault(mid);
            if (known is null) db.KnownMids.Add(known = new KnownMid { Mid = mid });
            known.FacilityId = facilityId;
            known.FacilityName = facilityName;
            known.FacilityMids = [.. mids];
        }
    }

    /// <summary>
    /// Opens the case's order of <paramref name="kind"/> (the remedy's, given one) from <paramref name="from"/>, the date of
    /// the act that directs it, unless it is opened already. With <paramref name="unlessInForce"/>, only an order in force (or
    /// one from the same date: the same decision) counts, so a suspension directed again after a resumption opens a new order.
    /// </summary>
    public async Task OpenAsync(CaseRef reference, OrderKind kind, DateOnly from, Guid? remedyId, string description,
        CancellationToken ct, bool unlessInForce = false)
    {
        var additions = await KnowFacilityAsync(reference, ct);
        var existing = await db.Orders.Where(o => o.CaseId == reference.CaseId && o.Kind == kind && o.RemedyId == remedyId).ToListAsync(ct);
        if (existing.Any(o => !unlessInForce || o.InForce || o.EffectiveFrom == from)) return;
        var now = clock.GetUtcNow();
        var order = LiquidationOrder.Open(kind, Facts(reference), from, CustomsInstructions.OpeningDirective(kind, from), remedyId, description, now);
        db.Orders.Add(order);
        await ledger.IssueAsync(CustomsInstructions.Opening(order, reference.Replayed, now), ct);
        logger.LogInformation("Order {OrderId} ({OrderKind}) for case {CaseId} in force from {EffectiveDate} for MIDs {Mids}",
            order.Id, kind, reference.CaseId, from, order.Mids);
        // MIDs the facility gained before this order: it covers them from the day each was added.
        foreach (var added in additions) await ExtendAsync(order, added.Mid, added.EffectiveFrom, reference.Replayed, now, ct);
        if (order.IsDutyRemedy) await ApplyToHeldEntriesAsync(order, reference.Replayed, now, ct);
        var pending = (await db.PendingLifts.Where(p => p.CaseId == reference.CaseId).ToListAsync(ct)).FirstOrDefault(p => p.Ends(order));
        if (pending is not null)
        {
            db.PendingLifts.Remove(pending);
            await LiftAsync(order, pending.LiftOn, reference.Replayed, now, ct);
        }
    }

    /// <summary>
    /// A duty remedy reaches the entries held by the case's suspension (19 U.S.C. 4693(a)(1)(B)): the suspension ends with
    /// an instruction to liquidate them applying the remedy, never with a plain resumption, which only the 4692(b)
    /// conditions (resolution, no denial found, the denial remedied) give. A later remedy of the case reaches them too.
    /// </summary>
    private async Task ApplyToHeldEntriesAsync(LiquidationOrder remedy, bool replayed, DateTimeOffset now, CancellationToken ct)
    {
        var suspensions = await db.Orders.Where(o => o.CaseId == remedy.CaseId && o.Kind == OrderKind.LiquidationSuspension).ToListAsync(ct);
        foreach (var suspension in suspensions.Where(s => s.CanBeReachedBy(remedy) && s.EffectiveFrom <= remedy.EffectiveFrom))
        {
            suspension.EndByRemedy(remedy);
            await ledger.IssueAsync(CustomsInstructions.ApplyRemedy(suspension, remedy, replayed, now), ct);
            logger.LogInformation("Remedy {RemedyId} of case {CaseId} reaches the entries held by order {OrderId} from {EffectiveDate}",
                remedy.RemedyId, remedy.CaseId, suspension.Id, suspension.EffectiveFrom);
        }
    }

    /// <summary>Lifts the case's orders of <paramref name="kind"/> in force (only the remedy's, given one).</summary>
    public async Task LiftAsync(CaseRef reference, OrderKind? kind, Guid? remedyId, DateOnly on, CancellationToken ct)
    {
        var orders = await db.Orders.Where(o => o.CaseId == reference.CaseId
            && (kind == null || o.Kind == kind) && (remedyId == null || o.RemedyId == remedyId)).ToListAsync(ct);
        var now = clock.GetUtcNow();
        if (orders.Count == 0)
        {
            db.PendingLifts.Add(new PendingLift(reference.CaseId, kind, remedyId, on, now));
            logger.LogInformation("Lift of case {CaseId}'s {OrderKind} order on {EffectiveDate} waits for the order", reference.CaseId, kind, on);
            return;
        }
        foreach (var order in orders.Where(o => o.InForce)) await LiftAsync(order, on, reference.Replayed, now, ct);
    }

    private async Task LiftAsync(LiquidationOrder order, DateOnly on, bool replayed, DateTimeOffset now, CancellationToken ct)
    {
        order.Lift(on);
        await ledger.IssueAsync(CustomsInstructions.Ending(order, replayed, now), ct);
        logger.LogInformation("Order {OrderId} ({OrderKind}) for case {CaseId} lifted on {EffectiveDate}", order.Id, order.Kind, order.CaseId, on);
    }

    /// <summary>
    /// A MID added to a registered facility: remembered for orders opened later, known for entries, and every order in
    /// force for the facility (by its id, or by its other MIDs for a facility known only from an imported history)
    /// extends to it for goods entered from <see cref="FacilityMidAdded.EffectiveDate"/>.
    /// </summary>
    public async Task AddMidAsync(FacilityMidAdded added, CancellationToken ct)
    {
        var mid = added.Mid.Trim().ToUpperInvariant();
        if (mid.Length is 0 or > 15) throw new InvalidOperationException($"FacilityMidAdded for facility {added.FacilityId} carries no valid MID ('{added.Mid}').");
        var others = added.Mids.Select(m => m.Trim().ToUpperInvariant()).Where(m => m.Length > 0 && m != mid).ToList();
        if (await db.FacilityMidAdditions.AnyAsync(a => a.FacilityId == added.FacilityId && a.Mid == mid, ct)) return; // the same addition again
        var now = clock.GetUtcNow();
        db.FacilityMidAdditions.Add(new FacilityMidAddition(added.FacilityId, mid, added.EffectiveDate, now));
        var known = await db.KnownMids.AsNoTracking().Where(k => k.FacilityId == added.FacilityId || others.Contains(k.Mid)).ToListAsync(ct);
        if (known.Count > 0) await KnowAsync(added.FacilityId, known[0].FacilityName, [.. known.SelectMany(k => k.FacilityMids).Union(others).Append(mid).Distinct()], ct);
        var orders = await db.Orders.Where(o => o.LiftedOn == null && (o.FacilityId == added.FacilityId || o.Mids.Any(m => others.Contains(m))))
            .OrderBy(o => o.CreatedAt).ToListAsync(ct);
        foreach (var order in orders) await ExtendAsync(order, mid, added.EffectiveDate, replayed: false, now, ct);
    }

    private async Task ExtendAsync(LiquidationOrder order, string mid, DateOnly from, bool replayed, DateTimeOffset now, CancellationToken ct)
    {
        if (!order.AddMid(mid, from)) return;
        db.OrderMidAdditions.Add(new OrderMidAddition(order.Id, mid, from, now));
        await ledger.IssueAsync(CustomsInstructions.Extension(order, mid, from, replayed, now), ct);
        logger.LogInformation("Order {OrderId} ({OrderKind}) for case {CaseId} extends to MID {Mid} from {EffectiveDate}", order.Id, order.Kind, order.CaseId, mid, from);
    }

    /// <summary>
    /// After an imported history (whose instructions went out as history), publishes each order of the case still in force in
    /// this service's records as current: one <see cref="InstructionKind.OrderInForce"/> per order, never twice, and none for an
    /// order whose opening already went out as current. What the event says stands but these records lack is only logged:
    /// an instruction must carry an order this service keeps (and the entry gate answers by).
    /// </summary>
    public async Task PublishInForceAsync(CaseHistoryImported imported, CancellationToken ct)
    {
        var caseId = imported.Case.CaseId;
        var orders = await db.Orders.Where(o => o.CaseId == caseId).OrderBy(o => o.EffectiveFrom).ThenBy(o => o.CreatedAt).ToListAsync(ct);
        var inForce = orders.Where(o => o.InForce).ToList();
        var reference = imported.Case.Reference ?? caseId.ToString();

        // A suspension ended by a remedy is not missing: the case's remedy reached its held entries (4693(a)(1)(B)).
        if (imported.Case.LiquidationSuspended && !orders.Any(o => o.IsSuspension && (o.InForce || o.EndedByRemedyId is not null)))
            logger.LogWarning("Case {CaseId} ({Reference}) has liquidation suspended after its imported history, but no suspension order is in force here; nothing issued for it",
                caseId, reference);
        foreach (var remedyId in imported.RemediesInForce.Where(r => !inForce.Any(o => o.RemedyId == r)))
            logger.LogWarning("Case {CaseId} ({Reference}) has remedy {RemedyId} in force after its imported history, but no order of it is in force here; nothing issued for it",
                caseId, reference, remedyId);
        foreach (var order in inForce.Where(o => o.IsSuspension ? !imported.Case.LiquidationSuspended : !imported.RemediesInForce.Contains(o.RemedyId!.Value)))
            logger.LogWarning("Order {OrderId} ({OrderKind}) of case {CaseId} is in force here but not after the imported history; published as in force, as the entry gate applies it",
                order.Id, order.Kind, caseId);
        if (inForce.Count == 0) return;

        var ids = inForce.Select(o => o.Id).ToList();
        var issued = await db.Instructions.Where(i => i.CaseId == caseId && ids.Contains(i.OrderId)).Select(i => new { i.OrderId, i.Kind, i.Replayed }).ToListAsync(ct);
        var current = issued.Where(i => i.Kind == InstructionKind.OrderInForce || (IsOpening(i.Kind) && !i.Replayed)).Select(i => i.OrderId).ToHashSet();
        var additions = await db.OrderMidAdditions.Where(a => ids.Contains(a.OrderId)).ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var order in inForce.Where(o => !current.Contains(o.Id)))
        {
            foreach (var added in additions.Where(a => a.OrderId == order.Id)) order.AddedMids[added.Mid] = added.EffectiveFrom;
            await ledger.IssueAsync(CustomsInstructions.InForce(order, reference, now), ct);
            logger.LogInformation("Order {OrderId} ({OrderKind}) for case {CaseId} published as in force after the imported history, from {EffectiveDate}",
                order.Id, order.Kind, caseId, order.EffectiveFrom);
        }
    }

    private static bool IsOpening(InstructionKind kind) =>
        kind is InstructionKind.LiquidationSuspend or InstructionKind.PreferenceSuspend or InstructionKind.PenaltyApply or InstructionKind.EntryDeny;

    private static CaseFacts Facts(CaseRef r) => new(r.CaseId, r.InvocationNumber, r.Facility.FacilityId == Guid.Empty ? null : r.Facility.FacilityId,
        r.Facility.LegalName, r.Facility.Mids, r.Replayed);
}
