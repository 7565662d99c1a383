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
        List<string> mids, DateOnly effectiveFrom, DateOnly? liftedOn, string directive, Guid? remedyId, string description, DateTimeOffset createdAt) => new()
    {
        Id = id, Kind = kind, CaseId = caseId, InvocationNumber = invocationNumber, FacilityId = facilityId, FacilityName = facilityName, Mids = mids,
        EffectiveFrom = effectiveFrom, LiftedOn = liftedOn, Directive = directive, RemedyId = remedyId, Description = description, CreatedAt = createdAt,
    };

    public bool InForce => LiftedOn is null;

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
/// A lift that arrived before the order it ends: events travel on separate queues, so a resolution may be
/// consumed before the request for review that suspended. Applied when the order is opened.
/// </summary>
public sealed class PendingLift
{
    public long Id { get; private set; }
    public Guid CaseId { get; private set; }
    public OrderKind? Kind { get; private set; }
    public Guid? RemedyId { get; private set; }
    public DateOnly LiftOn { get; private set; }
    public string Directive { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    private PendingLift() { }

    public PendingLift(Guid caseId, OrderKind? kind, Guid? remedyId, DateOnly liftOn, string directive, DateTimeOffset now) =>
        (CaseId, Kind, RemedyId, LiftOn, Directive, CreatedAt) = (caseId, kind, remedyId, liftOn, directive, now);

    public bool Ends(LiquidationOrder order) =>
        order.CaseId == CaseId && (Kind is null || order.Kind == Kind) && (RemedyId is null || order.RemedyId == RemedyId);
}
