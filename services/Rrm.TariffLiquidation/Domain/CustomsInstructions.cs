namespace Rrm.TariffLiquidation.Domain;

/// <summary>
/// Every customs instruction the service issues, built here and only here: its kind, its fields and its text (the legal act
/// it cites), from the facts of the order it opens, ends or extends and the facts the deciding event gave. The other services'
/// events carry facts (dates, the case, the facility and its MIDs), never words for customs. docs/customs-feed.md is the
/// manual of what is built here.
/// </summary>
public static class CustomsInstructions
{
    /// <summary>19 U.S.C. 1504(d): CBP liquidates within six months of the notice that a suspension is removed.</summary>
    public const int LiquidateWithinMonths = 6;

    /// <summary>The ledger keeps a directive of at most this many characters.</summary>
    public const int MaxDirective = 500;

    /// <summary>The act that opens an order of <paramref name="kind"/> on <paramref name="from"/>: kept with the order, cited by its instructions.</summary>
    public static string OpeningDirective(OrderKind kind, DateOnly from) => kind == OrderKind.LiquidationSuspension
        ? $"USTR letter to the Secretary of the Treasury of {from:yyyy-MM-dd}"
        : $"USTR direction to the Secretary of the Treasury of {from:yyyy-MM-dd} (19 U.S.C. 4693(a))";

    /// <summary>The order starts: a suspension of liquidation, or a remedy (preference suspension, penalty, denial of entry).</summary>
    public static InstructionRecord Opening(LiquidationOrder order, bool replayed, DateTimeOffset now)
    {
        var kind = order.Kind switch
        {
            OrderKind.LiquidationSuspension => InstructionKind.LiquidationSuspend,
            OrderKind.PreferenceSuspension => InstructionKind.PreferenceSuspend,
            OrderKind.Penalty => InstructionKind.PenaltyApply,
            _ => InstructionKind.EntryDeny,
        };
        return WithRemedyOf(order, Base(order, kind, order.EffectiveFrom, order.Directive, replayed, now));
    }

    /// <summary>
    /// The lifted order ends: a suspension is removed (19 U.S.C. 4692(b); liquidate within six months, 19 U.S.C. 1504(d)),
    /// a remedy ends because the denial of rights is remedied (19 U.S.C. 4693(b)).
    /// </summary>
    public static InstructionRecord Ending(LiquidationOrder order, bool replayed, DateTimeOffset now)
    {
        var on = order.LiftedOn ?? throw new InvalidOperationException($"Order {order.Id} is in force: it has no ending to instruct.");
        if (order.IsSuspension)
        {
            var resume = Base(order, InstructionKind.LiquidationResume, on,
                $"USTR notice to the Secretary of the Treasury of {on:yyyy-MM-dd}: the suspension of liquidation is removed (19 U.S.C. 4692(b))", replayed, now);
            resume.LiquidateBy = on.AddMonths(LiquidateWithinMonths);
            return resume;
        }
        return WithRemedyOf(order, Base(order, InstructionKind.RemedyLift, on,
            $"USTR notice to the Secretary of the Treasury of {on:yyyy-MM-dd}: the denial of rights is remedied (19 U.S.C. 4693(b))", replayed, now));
    }

    /// <summary>
    /// A remedy reaches the entries the suspension held (19 U.S.C. 4693(a)(1)(B)): liquidate them applying it, within six
    /// months of the suspension's end (19 U.S.C. 1504(d)).
    /// </summary>
    public static InstructionRecord ApplyRemedy(LiquidationOrder suspension, LiquidationOrder remedy, bool replayed, DateTimeOffset now)
    {
        var through = suspension.LiftedOn ?? throw new InvalidOperationException($"Suspension {suspension.Id} is in force: no remedy reached it.");
        var i = Base(suspension, InstructionKind.LiquidationApplyRemedy, remedy.EffectiveFrom,
            $"USTR direction to the Secretary of the Treasury of {remedy.EffectiveFrom:yyyy-MM-dd}: apply the remedy to the entries whose liquidation was suspended " +
            $"from {suspension.EffectiveFrom:yyyy-MM-dd} (entered through {through:yyyy-MM-dd}) (19 U.S.C. 4693(a)(1)(B))", replayed, now);
        i.LiquidateBy = through.AddMonths(LiquidateWithinMonths);
        (i.RemedyId, i.RemedyDescription, i.RemedyKind) = (remedy.RemedyId, remedy.Description, remedy.Kind);
        i.SuspendedFrom = suspension.EffectiveFrom;
        i.EnteredThrough = through;
        return i;
    }

    /// <summary>The order now covers <paramref name="mid"/> too (added to the facility's registration), for goods entered from <paramref name="from"/>.</summary>
    public static InstructionRecord Extension(LiquidationOrder order, string mid, DateOnly from, bool replayed, DateTimeOffset now)
    {
        var i = WithRemedyOf(order, Base(order, InstructionKind.OrderExtend, from,
            $"MID {mid} added to the covered facility's registration, effective {from:yyyy-MM-dd}: the order extends to goods entered under it from that day", replayed, now));
        i.Mids = [mid];
        return i;
    }

    /// <summary>
    /// The order stands after the imported history of case <paramref name="caseReference"/>: the same effect as its (replayed)
    /// opening, published as current for a customs system that ignores history. Every MID it covers, each added one from its own date.
    /// </summary>
    public static InstructionRecord InForce(LiquidationOrder order, string caseReference, DateTimeOffset now)
    {
        // Within the ledger's limit: the order's own directive is stored in full with the order.
        var text = $"In force after the imported history of case {caseReference}: {order.Directive}";
        var i = WithRemedyOf(order, Base(order, InstructionKind.OrderInForce, order.EffectiveFrom,
            text.Length <= MaxDirective ? text : text[..(MaxDirective - 1)] + "…", replayed: false, now));
        i.AddedMids = order.AddedMids.Count == 0 ? null : new(order.AddedMids);
        return i;
    }

    /// <summary>
    /// The mark a restore leaves in the ledger (Application.RestoreFence): it names no case or order, it explains the jump
    /// of the sequence to a consumer that finds the numbers before it missing from the ledger.
    /// </summary>
    public static InstructionRecord Restored(long restoredThrough, DateTimeOffset now)
    {
        now = Microseconds(now);
        return new InstructionRecord
        {
            Id = Guid.CreateVersion7(now), Kind = InstructionKind.LedgerRestored, EffectiveDate = DateOnly.FromDateTime(now.UtcDateTime),
            Directive = $"The ledger was restored from a backup that ended at sequence {restoredThrough}: instructions numbered between it and this one were lost with the restore or never issued",
            IssuedAt = now, RestoredThroughSequence = restoredThrough,
        };
    }

    private static InstructionRecord Base(LiquidationOrder order, InstructionKind kind, DateOnly effective, string directive, bool replayed, DateTimeOffset now)
    {
        now = Microseconds(now);
        return new InstructionRecord
        {
            Id = Guid.CreateVersion7(now), Kind = kind, CaseId = order.CaseId, InvocationNumber = order.InvocationNumber, FacilityId = order.FacilityId,
            FacilityName = order.FacilityName, Mids = [.. order.Mids], EffectiveDate = effective, Directive = directive, OrderId = order.Id,
            OrderKind = order.Kind, IssuedAt = now, Replayed = replayed,
        };
    }

    /// <summary>An instruction about a remedy order names the remedy.</summary>
    private static InstructionRecord WithRemedyOf(LiquidationOrder order, InstructionRecord i)
    {
        if (order.RemedyId is not null) (i.RemedyId, i.RemedyDescription, i.RemedyKind) = (order.RemedyId, order.Description, order.Kind);
        return i;
    }

    /// <summary>Postgres keeps microseconds: the feed must show the instant the ledger keeps.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset now) => new(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);
}
