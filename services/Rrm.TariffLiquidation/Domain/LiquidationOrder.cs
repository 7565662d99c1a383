namespace Rrm.TariffLiquidation.Domain;

public enum OrderKind { LiquidationSuspension, PreferenceSuspension, Penalty, EntryDenial }

/// <summary>
/// A suspension of liquidation or a remedy for the MIDs of one facility, from a date until lifted.
/// Entries are never updated when an order starts or ends: their status is derived from the orders.
/// </summary>
public sealed class LiquidationOrder
{
    public Guid Id { get; private set; }
    public OrderKind Kind { get; private set; }
    public Guid CaseId { get; private set; }
    public int? InvocationNumber { get; private set; }
    /// <summary>The registry's id; null for a facility known only from an imported history.</summary>
    public Guid? FacilityId { get; private set; }
    public string FacilityName { get; private set; } = "";
    public List<string> Mids { get; private set; } = [];
    public DateOnly EffectiveFrom { get; private set; }
    public DateOnly? LiftedOn { get; private set; }
    public string Directive { get; private set; } = "";
    /// <summary>The Review service's remedy, for remedy orders.</summary>
    public Guid? RemedyId { get; private set; }
    public string Description { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>
    /// A suspension a remedy reached (19 U.S.C. 4693(a)(1)(B)): the first such remedy, which ended it. Its held entries
    /// are liquidated applying the case's duty remedies, not plainly resumed.
    /// </summary>
    public Guid? EndedByRemedyId { get; private set; }
    /// <summary>MIDs added to the order after it opened, each covering goods entered from its date (stored in <see cref="OrderMidAddition"/>).</summary>
    public Dictionary<string, DateOnly> AddedMids { get; private set; } = [];

    private LiquidationOrder() { }

    public static LiquidationOrder Open(OrderKind kind, CaseFacts facts, DateOnly effectiveFrom, string directive, Guid? remedyId,
        string description, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Kind = kind,
        CaseId = facts.CaseId,
        InvocationNumber = facts.InvocationNumber,
        FacilityId = facts.FacilityId,
        FacilityName = facts.FacilityName,
        Mids = [.. facts.Mids],
        EffectiveFrom = effectiveFrom,
        Directive = directive,
        RemedyId = remedyId,
        Description = description,
        CreatedAt = now,
    };

    /// <summary>An order as stored, read without the ORM (the entry gate's hot path).</summary>
    public static LiquidationOrder Restore(Guid id, OrderKind kind, Guid caseId, int? invocationNumber, Guid? facilityId, string facilityName,
        List<string> mids, DateOnly effectiveFrom, DateOnly? liftedOn, string directive, Guid? remedyId, string description, DateTimeOffset createdAt,
        Guid? endedByRemedyId = null, Dictionary<string, DateOnly>? addedMids = null) => new()
    {
        Id = id, Kind = kind, CaseId = caseId, InvocationNumber = invocationNumber, FacilityId = facilityId, FacilityName = facilityName, Mids = mids,
        EffectiveFrom = effectiveFrom, LiftedOn = liftedOn, Directive = directive, RemedyId = remedyId, Description = description, CreatedAt = createdAt,
        EndedByRemedyId = endedByRemedyId, AddedMids = addedMids ?? [],
    };

    public bool InForce => LiftedOn is null;

    public bool IsSuspension => Kind == OrderKind.LiquidationSuspension;

    /// <summary>Remedies that change what the goods pay (19 U.S.C. 4693(a)(1)(B) applies "duties or penalties" to held entries); denial of entry does not.</summary>
    public bool IsDutyRemedy => Kind is OrderKind.PreferenceSuspension or OrderKind.Penalty;

    /// <summary>The order names the entry's MID, and, for a MID added later, the entry was made from the day it was added.</summary>
    public bool Covers(CustomsEntry entry) =>
        Mids.Contains(entry.Mid) && !(AddedMids.TryGetValue(entry.Mid, out var from) && entry.EntryDate < from);

    /// <summary>
    /// A suspension holds (or held) the entry: it covers it, the entry was unliquidated when the suspension took effect
    /// (19 U.S.C. 4692(a): "unliquidated entries"), and it was entered before the suspension ended.
    /// </summary>
    public bool Holds(CustomsEntry entry) =>
        IsSuspension && Covers(entry) && !(entry.LiquidatedOn < EffectiveFrom) && (LiftedOn is null || entry.EntryDate <= LiftedOn);

    /// <summary>A suspension covering the entry that took effect only after it was liquidated.</summary>
    public bool CameAfterLiquidationOf(CustomsEntry entry) =>
        IsSuspension && Covers(entry) && entry.LiquidatedOn < EffectiveFrom && (LiftedOn is null || entry.EntryDate <= LiftedOn);

    /// <summary>A duty remedy in force on the entry's date governs its liquidation (19 U.S.C. 4693(a)(1)(A)).</summary>
    public bool GovernsEntry(CustomsEntry entry) =>
        IsDutyRemedy && Covers(entry) && entry.EntryDate >= EffectiveFrom && (LiftedOn is null || entry.EntryDate < LiftedOn);

    /// <summary>
    /// A remedy reaches this suspension's held entries: the suspension is in force, or was ended by an earlier remedy
    /// of the case (never after a plain resumption, which released them).
    /// </summary>
    public bool CanBeReachedBy(LiquidationOrder remedy) =>
        IsSuspension && remedy.IsDutyRemedy && remedy.CaseId == CaseId && (InForce || EndedByRemedyId is not null);

    /// <summary>The case's duty remedies that reached this suspension's held entries: those imposed from the day it ended by a remedy.</summary>
    public IEnumerable<LiquidationOrder> RemediesReaching(IEnumerable<LiquidationOrder> orders) =>
        EndedByRemedyId is null ? [] : orders.Where(o => o.IsDutyRemedy && o.CaseId == CaseId && o.EffectiveFrom >= LiftedOn).OrderBy(o => o.EffectiveFrom);

    /// <summary>Ends a suspension because a remedy reaches its held entries; false when it had already ended.</summary>
    public bool EndByRemedy(LiquidationOrder remedy)
    {
        if (!IsSuspension || !InForce) return false;
        LiftedOn = remedy.EffectiveFrom;
        EndedByRemedyId = remedy.RemedyId;
        return true;
    }

    /// <summary>Extends the order to a MID added to the facility, for goods entered from <paramref name="from"/>; false when it names it already.</summary>
    public bool AddMid(string mid, DateOnly from)
    {
        if (Mids.Contains(mid)) return false;
        Mids = [.. Mids, mid];
        AddedMids[mid] = from;
        return true;
    }

    /// <summary>Ends the order on <paramref name="date"/>; false when it had already ended.</summary>
    public bool Lift(DateOnly date)
    {
        if (LiftedOn is not null) return false;
        LiftedOn = date;
        return true;
    }
}

/// <summary>What an event tells this service about a case and its facility.</summary>
public sealed record CaseFacts(Guid CaseId, int? InvocationNumber, Guid? FacilityId, string FacilityName, IReadOnlyList<string> Mids, bool Replayed);

/// <summary>
/// A lift that arrived before the order it ends (events do not always arrive in the order of the case's history: see
/// OrderDesk). Applied when the order opens; the instruction that ends it is built then, from the order and this date.
/// </summary>
public sealed class PendingLift
{
    public long Id { get; private set; }
    public Guid CaseId { get; private set; }
    public OrderKind? Kind { get; private set; }
    public Guid? RemedyId { get; private set; }
    public DateOnly LiftOn { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    private PendingLift() { }

    public PendingLift(Guid caseId, OrderKind? kind, Guid? remedyId, DateOnly liftOn, DateTimeOffset now) =>
        (CaseId, Kind, RemedyId, LiftOn, CreatedAt) = (caseId, kind, remedyId, liftOn, now);

    public bool Ends(LiquidationOrder order) =>
        order.CaseId == CaseId && (Kind is null || order.Kind == Kind) && (RemedyId is null || order.RemedyId == RemedyId);
}

/// <summary>A MID added to an order after it opened: the order covers goods under it entered from <see cref="EffectiveFrom"/>.</summary>
public sealed class OrderMidAddition
{
    public Guid OrderId { get; private set; }
    public string Mid { get; private set; } = "";
    public DateOnly EffectiveFrom { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    private OrderMidAddition() { }

    public OrderMidAddition(Guid orderId, string mid, DateOnly effectiveFrom, DateTimeOffset now) =>
        (OrderId, Mid, EffectiveFrom, CreatedAt) = (orderId, mid, effectiveFrom, now);
}

/// <summary>
/// A MID added to a registered facility (the Petition service's FacilityMidAdded), kept so that an order opened
/// later for the facility extends to it too, from its date.
/// </summary>
public sealed class FacilityMidAddition
{
    public Guid FacilityId { get; private set; }
    public string Mid { get; private set; } = "";
    public DateOnly EffectiveFrom { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    private FacilityMidAddition() { }

    public FacilityMidAddition(Guid facilityId, string mid, DateOnly effectiveFrom, DateTimeOffset now) =>
        (FacilityId, Mid, EffectiveFrom, CreatedAt) = (facilityId, mid, effectiveFrom, now);
}
