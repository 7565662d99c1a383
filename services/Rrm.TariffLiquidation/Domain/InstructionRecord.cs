namespace Rrm.TariffLiquidation.Domain;

public enum InstructionKind { LiquidationSuspend, LiquidationResume, PreferenceSuspend, PenaltyApply, EntryDeny, RemedyLift, LiquidationApplyRemedy, OrderExtend, OrderInForce, LedgerRestored }

/// <summary>
/// One line of the customs instruction ledger (the public feed of DESIGN.md §4), as <see cref="CustomsInstructions"/> built it.
/// The sequence number is given by Application.InstructionLedger in the issuing transaction, so it is gap-free.
/// </summary>
public sealed class InstructionRecord
{
    public long Sequence { get; internal set; }
    public Guid Id { get; internal set; }
    public InstructionKind Kind { get; internal set; }
    public Guid CaseId { get; internal set; }
    public int? InvocationNumber { get; internal set; }
    public Guid? FacilityId { get; internal set; }
    public string FacilityName { get; internal set; } = "";
    public List<string> Mids { get; internal set; } = [];
    public DateOnly EffectiveDate { get; internal set; }
    public string Directive { get; internal set; } = "";
    public DateOnly? LiquidateBy { get; internal set; }
    public Guid OrderId { get; internal set; }
    public Guid? RemedyId { get; internal set; }
    public string RemedyDescription { get; internal set; } = "";
    public DateTimeOffset IssuedAt { get; internal set; }
    public bool Replayed { get; internal set; }
    /// <summary>The kind of the order <see cref="OrderId"/> names; null for <see cref="InstructionKind.LedgerRestored"/>, which names none.</summary>
    public OrderKind? OrderKind { get; internal set; }
    /// <summary>Remedy instructions and <see cref="InstructionKind.LiquidationApplyRemedy"/>: the remedy's kind.</summary>
    public OrderKind? RemedyKind { get; internal set; }
    /// <summary><see cref="InstructionKind.LiquidationApplyRemedy"/>: the suspension's effective date and the last entry date it held.</summary>
    public DateOnly? SuspendedFrom { get; internal set; }
    public DateOnly? EnteredThrough { get; internal set; }
    /// <summary><see cref="InstructionKind.OrderInForce"/>: the MIDs of <see cref="Mids"/> the order covers only from a later date (added to the facility).</summary>
    public Dictionary<string, DateOnly>? AddedMids { get; internal set; }
    /// <summary>
    /// <see cref="InstructionKind.LedgerRestored"/>: the last sequence of the ledger as restored from a backup. The numbers
    /// between it and this instruction's own were issued before the restore and lost with it, or never issued.
    /// </summary>
    public long? RestoredThroughSequence { get; internal set; }

    /// <summary>Built by <see cref="CustomsInstructions"/>, the one place that says what an instruction holds.</summary>
    internal InstructionRecord() { }

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
