namespace Rrm.TariffLiquidation.Domain;

public enum InstructionKind { LiquidationSuspend, LiquidationResume, PreferenceSuspend, PenaltyApply, EntryDeny, RemedyLift, LiquidationApplyRemedy, OrderExtend, OrderInForce, LedgerRestored }

/// <summary>
/// One line of the customs instruction ledger (the public feed of DESIGN.md §4). The sequence number is
/// given by <see cref="Data.InstructionLedger"/> in the issuing transaction, so it is gap-free.
/// </summary>
public sealed class InstructionRecord
{
    /// <summary>19 U.S.C. 1504(d): CBP liquidates within six months of the notice that a suspension is removed.</summary>
    public const int LiquidateWithinMonths = 6;

    public long Sequence { get; internal set; }
    public Guid Id { get; private set; }
    public InstructionKind Kind { get; private set; }
    public Guid CaseId { get; private set; }
    public int? InvocationNumber { get; private set; }
    public Guid? FacilityId { get; private set; }
    public string FacilityName { get; private set; } = "";
    public List<string> Mids { get; private set; } = [];
    public DateOnly EffectiveDate { get; private set; }
    public string Directive { get; private set; } = "";
    public DateOnly? LiquidateBy { get; private set; }
    public Guid OrderId { get; private set; }
    public Guid? RemedyId { get; private set; }
    public string RemedyDescription { get; private set; } = "";
    public DateTimeOffset IssuedAt { get; private set; }
    public bool Replayed { get; private set; }
    /// <summary>The kind of the order <see cref="OrderId"/> names; null for <see cref="InstructionKind.LedgerRestored"/>, which names none.</summary>
    public OrderKind? OrderKind { get; private set; }
    /// <summary>Remedy instructions and <see cref="InstructionKind.LiquidationApplyRemedy"/>: the remedy's kind.</summary>
    public OrderKind? RemedyKind { get; private set; }
    /// <summary><see cref="InstructionKind.LiquidationApplyRemedy"/>: the suspension's effective date and the last entry date it held.</summary>
    public DateOnly? SuspendedFrom { get; private set; }
    public DateOnly? EnteredThrough { get; private set; }
    /// <summary><see cref="InstructionKind.OrderInForce"/>: the MIDs of <see cref="Mids"/> the order covers only from a later date (added to the facility).</summary>
    public Dictionary<string, DateOnly>? AddedMids { get; private set; }
    /// <summary>
    /// <see cref="InstructionKind.LedgerRestored"/>: the last sequence of the ledger as restored from a backup. The numbers
    /// between it and this instruction's own were issued before the restore and lost with it, or never issued.
    /// </summary>
    public long? RestoredThroughSequence { get; private set; }

    private InstructionRecord() { }

    /// <summary>
    /// The mark a restore leaves in the ledger (<see cref="Application.RestoreFence"/>): it names no case or order, it explains the jump
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

    /// <summary>
    /// A remedy reaches the entries the suspension held (19 U.S.C. 4693(a)(1)(B)): liquidate them applying it, within six
    /// months of the suspension's end (19 U.S.C. 1504(d)).
    /// </summary>
    public static InstructionRecord ApplyRemedy(LiquidationOrder suspension, LiquidationOrder remedy, string directive, bool replayed, DateTimeOffset now)
    {
        var i = Base(suspension, InstructionKind.LiquidationApplyRemedy, remedy.EffectiveFrom, directive, replayed, now);
        i.LiquidateBy = suspension.LiftedOn!.Value.AddMonths(LiquidateWithinMonths);
        i.RemedyId = remedy.RemedyId;
        i.RemedyDescription = remedy.Description;
        i.RemedyKind = remedy.Kind;
        i.SuspendedFrom = suspension.EffectiveFrom;
        i.EnteredThrough = suspension.LiftedOn;
        return i;
    }

    /// <summary>The order now covers <paramref name="mid"/> too, for goods entered from <paramref name="from"/>.</summary>
    public static InstructionRecord Extend(LiquidationOrder order, string mid, DateOnly from, string directive, bool replayed, DateTimeOffset now)
    {
        var i = Base(order, InstructionKind.OrderExtend, from, directive, replayed, now);
        i.Mids = [mid];
        if (order.RemedyId is not null) (i.RemedyId, i.RemedyDescription, i.RemedyKind) = (order.RemedyId, order.Description, order.Kind);
        return i;
    }

    /// <summary>
    /// The order stands after an imported history: the same effect as its (replayed) opening, published as current for a customs
    /// system that ignores history. Every MID it covers, each added one from its own date.
    /// </summary>
    public static InstructionRecord InForce(LiquidationOrder order, string directive, DateTimeOffset now)
    {
        var i = Base(order, InstructionKind.OrderInForce, order.EffectiveFrom, directive, replayed: false, now);
        if (order.RemedyId is not null) (i.RemedyId, i.RemedyDescription, i.RemedyKind) = (order.RemedyId, order.Description, order.Kind);
        i.AddedMids = order.AddedMids.Count == 0 ? null : new(order.AddedMids);
        return i;
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

    /// <summary>Postgres keeps microseconds: the feed must show the instant the ledger keeps.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset now) => new(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);

    /// <summary>The instruction that tells customs about <paramref name="order"/> starting or (when <paramref name="lifted"/>) ending.</summary>
    public static InstructionRecord For(LiquidationOrder order, bool lifted, string directive, bool replayed, DateTimeOffset now)
    {
        var kind = (order.Kind, lifted) switch
        {
            (Domain.OrderKind.LiquidationSuspension, false) => InstructionKind.LiquidationSuspend,
            (Domain.OrderKind.LiquidationSuspension, true) => InstructionKind.LiquidationResume,
            (Domain.OrderKind.PreferenceSuspension, false) => InstructionKind.PreferenceSuspend,
            (Domain.OrderKind.Penalty, false) => InstructionKind.PenaltyApply,
            (Domain.OrderKind.EntryDenial, false) => InstructionKind.EntryDeny,
            _ => InstructionKind.RemedyLift,
        };
        var effective = lifted ? order.LiftedOn!.Value : order.EffectiveFrom;
        var i = Base(order, kind, effective, directive, replayed, now);
        i.LiquidateBy = kind == InstructionKind.LiquidationResume ? effective.AddMonths(LiquidateWithinMonths) : null;
        i.RemedyId = order.RemedyId;
        i.RemedyDescription = order.RemedyId is null ? "" : order.Description;
        i.RemedyKind = order.RemedyId is null ? null : order.Kind;
        return i;
    }

    /// <summary>The routing key on the feed exchange (DESIGN.md §4).</summary>
    public string RoutingKey => Kind switch
    {
        InstructionKind.LiquidationSuspend => "liquidation.suspend",
        InstructionKind.LiquidationResume => "liquidation.resume",
        InstructionKind.PreferenceSuspend => "preference.suspend",
        InstructionKind.PenaltyApply => "penalty.apply",
        InstructionKind.EntryDeny => "entry.deny",
        InstructionKind.LiquidationApplyRemedy => "liquidation.apply-remedy",
        InstructionKind.OrderExtend => "order.extend",
        InstructionKind.OrderInForce => "order.in-force",
        InstructionKind.LedgerRestored => "ledger.restored",
        _ => "remedy.lift",
    };
}
