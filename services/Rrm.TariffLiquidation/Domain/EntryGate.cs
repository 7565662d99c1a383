namespace Rrm.TariffLiquidation.Domain;

/// <summary>What the customs system may do with a registered entry (the gate's answer, docs/customs-feed.md "The entry gate").</summary>
public enum EntryStatus { MayLiquidate, Held, LiquidatedBeforeSuspension, LiquidateApplyingRemedy, Liquidated }

/// <summary>
/// The gate's answer for one entry: its status with the reason in words; the suspension it names (with the date it has held
/// the entry since, while it holds it), the date to liquidate by, the remedies in force for its MID and those to apply.
/// </summary>
public sealed record EntryVerdict(EntryStatus Status, string Reason, LiquidationOrder? Suspension, DateOnly? HeldSince, DateOnly? LiquidateBy,
    IReadOnlyList<LiquidationOrder> Remedies, IReadOnlyList<LiquidationOrder> ApplyRemedies);

/// <summary>
/// The entry gate's rules. An entry's status is derived from the orders for its MID and its liquidation date: nothing is
/// written to entries when an order starts or ends.
/// </summary>
public static class EntryGate
{
    /// <summary>
    /// What the customs system may do with one entry. Held by a suspension in force: HELD. Held by a suspension a remedy
    /// reached: liquidate applying the remedies (19 U.S.C. 4693(a)(1)(B)). Liquidated before a suspension took effect:
    /// never held (19 U.S.C. 4692(a)). Otherwise it may liquidate, applying any duty remedy in force on its entry date.
    /// </summary>
    public static EntryVerdict Decide(CustomsEntry entry, IReadOnlyList<LiquidationOrder> orders)
    {
        List<LiquidationOrder> remedies = [.. orders.Where(o => o.InForce && !o.IsSuspension && o.Covers(entry))];
        var liquidated = entry.LiquidatedOn is { } on ? $"; it was reported liquidated on {on:yyyy-MM-dd}, after the suspension took effect" : "";
        var hold = orders.Where(o => o.InForce && o.Holds(entry)).MinBy(o => o.EffectiveFrom);
        if (hold is not null)
            return new(EntryStatus.Held,
                $"liquidation of entries from the facility is suspended from {hold.EffectiveFrom:yyyy-MM-dd} (19 U.S.C. 4692(a)){liquidated}",
                hold, HeldSince(hold, entry), null, remedies, []);
        var reached = orders.Where(o => o.EndedByRemedyId is not null && o.Holds(entry)).MinBy(o => o.EffectiveFrom);
        if (reached is not null)
        {
            var reaching = reached.RemediesReaching(orders).ToList();
            return new(EntryStatus.LiquidateApplyingRemedy,
                $"held by the suspension of {reached.EffectiveFrom:yyyy-MM-dd}, which the remedy imposed on {reached.LiftedOn:yyyy-MM-dd} " +
                $"reached: liquidate it applying {string.Join(" and ", reaching.Select(Describe))} (19 U.S.C. 4693(a)(1)(B)){liquidated}",
                reached, HeldSince(reached, entry), reached.LiftedOn!.Value.AddMonths(CustomsInstructions.LiquidateWithinMonths), remedies, reaching);
        }
        var governing = orders.Where(o => o.GovernsEntry(entry)).OrderBy(o => o.EffectiveFrom).ToList();
        var applying = governing.Count == 0 ? ""
            : $"; entered while {string.Join(" and ", governing.Select(Describe))} was in force: it applies (19 U.S.C. 4693(a)(1)(A))";
        var before = orders.Where(o => o.CameAfterLiquidationOf(entry)).MinBy(o => o.EffectiveFrom);
        if (before is not null)
            return new(EntryStatus.LiquidatedBeforeSuspension,
                $"liquidated on {entry.LiquidatedOn:yyyy-MM-dd}, before the suspension of liquidation took effect on {before.EffectiveFrom:yyyy-MM-dd}: " +
                "only unliquidated entries are held (19 U.S.C. 4692(a))" + applying,
                before, null, null, remedies, governing);
        if (entry.LiquidatedOn is not null)
            return new(EntryStatus.Liquidated, $"liquidated on {entry.LiquidatedOn:yyyy-MM-dd}; no order holds it" + applying, null, null, null, remedies, governing);
        // Entered before a suspension ended: CBP has six months from the notice (19 U.S.C. 1504(d)).
        var lifted = orders.Where(o => o.IsSuspension && !o.InForce && o.EndedByRemedyId is null && o.Holds(entry)).MaxBy(o => o.LiftedOn);
        if (lifted is null)
            return new(EntryStatus.MayLiquidate, "no suspension of liquidation holds it" + applying, null, null, null, remedies, governing);
        var by = lifted.LiftedOn!.Value.AddMonths(CustomsInstructions.LiquidateWithinMonths);
        return new(EntryStatus.MayLiquidate,
            $"the suspension of {lifted.EffectiveFrom:yyyy-MM-dd} was removed on {lifted.LiftedOn:yyyy-MM-dd}: liquidate by {by:yyyy-MM-dd} (19 U.S.C. 1504(d))" + applying,
            null, null, by, remedies, governing);
    }

    private static DateOnly HeldSince(LiquidationOrder suspension, CustomsEntry entry) =>
        entry.EntryDate > suspension.EffectiveFrom ? entry.EntryDate : suspension.EffectiveFrom;

    private static string Describe(LiquidationOrder remedy) => remedy.Kind switch
    {
        OrderKind.PreferenceSuspension => $"the suspension of the USMCA preference of {remedy.EffectiveFrom:yyyy-MM-dd}",
        OrderKind.Penalty => $"the penalty of {remedy.EffectiveFrom:yyyy-MM-dd}" + (remedy.Description.Length > 0 ? $" ({remedy.Description})" : ""),
        _ => $"the remedy of {remedy.EffectiveFrom:yyyy-MM-dd}",
    };
}
