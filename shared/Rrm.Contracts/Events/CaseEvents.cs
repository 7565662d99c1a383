namespace Rrm.Contracts.Events;

/// <summary>
/// The case an event is about, as consumers need it: ids, invocation numbers, the facility with its
/// MIDs, and whether liquidation is suspended after the event.
/// </summary>
public sealed record CaseRef
{
    public required Guid CaseId { get; init; }
    /// <summary>The petition the case arose from; null for a self-initiated case or an imported history.</summary>
    public Guid? PetitionId { get; init; }
    /// <summary>"petition" or "self_initiated".</summary>
    public required string Origin { get; init; }
    /// <summary>An imported history's reference (e.g. "impro-2024"); null otherwise.</summary>
    public string? Reference { get; init; }
    /// <summary>1 for the first request for review overall; null before the request.</summary>
    public int? InvocationNumber { get; init; }
    public int? InvocationNumberInYear { get; init; }
    public int? InvocationYear { get; init; }
    /// <summary><see cref="FacilitySnapshot.FacilityId"/> is Guid.Empty for a facility known only from an imported history.</summary>
    public required FacilitySnapshot Facility { get; init; }
    /// <summary>Liquidation of entries from the facility is suspended after this event.</summary>
    public required bool LiquidationSuspended { get; init; }
    /// <summary>
    /// The event replays an imported history: consumers record it (orders, history) but send no
    /// notifications for it.
    /// </summary>
    public required bool Replayed { get; init; }
}

/// <summary>A case was opened (on a sufficient petition, on USTR's own initiative, or by import).</summary>
public sealed record CaseOpened
{
    public required CaseRef Case { get; init; }
    public required DateOnly OpenedDate { get; init; }
}

/// <summary>
/// USTR sent Mexico the Art. 31-A.4.2 request for review. When <see cref="SuspendLiquidation"/> is true,
/// USTR directed Treasury, by its letter of <see cref="RequestDate"/>, to suspend liquidation of unliquidated entries of
/// goods from the facility. Facts only: what customs is told, and in which words, the Tariff-Liquidation service decides.
/// </summary>
public sealed record ReviewRequested
{
    public required CaseRef Case { get; init; }
    public required DateOnly RequestDate { get; init; }
    public DateOnly? AnnouncedDate { get; init; }
    public required bool SuspendLiquidation { get; init; }
    public required DateOnly AnswerDueDate { get; init; }
    public required DateOnly ReviewDueDate { get; init; }
}

/// <summary>
/// USTR directed Treasury, by its letter of <see cref="EffectiveDate"/>, to suspend liquidation of unliquidated entries of
/// goods from the facility (19 U.S.C. 4692(a)) as its own dated act, after the request for review; the order takes effect
/// from that date. (A request may also carry the suspension: <see cref="ReviewRequested.SuspendLiquidation"/>.)
/// </summary>
public sealed record LiquidationSuspensionDirected
{
    public required CaseRef Case { get; init; }
    public required DateOnly EffectiveDate { get; init; }
    public DateOnly? AnnouncedDate { get; init; }
}

/// <summary>Mexico's answer to the request: "accepted", "declined" or "no_response".</summary>
public sealed record MexicoResponded
{
    public required CaseRef Case { get; init; }
    public required string Response { get; init; }
    public required DateOnly ResponseDate { get; init; }
    /// <summary>Within the 10 days.</summary>
    public required bool Timely { get; init; }
}

/// <summary>Mexico's review found a denial of rights (a 10-day remediation consultation starts) or none.</summary>
public sealed record ReviewFindingsRecorded
{
    public required CaseRef Case { get; init; }
    public required bool DenialFound { get; init; }
    public required DateOnly FindingsDate { get; init; }
    /// <summary>Within the 45 days from the request.</summary>
    public required bool Timely { get; init; }
}

/// <summary>A course of remediation was agreed.</summary>
public sealed record RemediationPlanAgreed
{
    public required CaseRef Case { get; init; }
    public required DateOnly AgreedDate { get; init; }
    /// <summary>Null only for an imported history whose record does not give the agreed completion date.</summary>
    public required DateOnly? CompletionDate { get; init; }
    public required IReadOnlyList<string> Actions { get; init; }
}

/// <summary>
/// The case is resolved: no ongoing denial of rights. When <see cref="LiquidationResumes"/> is true,
/// USTR notifies Treasury to resume liquidation (CBP liquidates within six months, 19 U.S.C. 1504(d)).
/// </summary>
public sealed record CaseResolved
{
    public required CaseRef Case { get; init; }
    public required DateOnly ResolutionDate { get; init; }
    public DateOnly? AnnouncedDate { get; init; }
    public required bool LiquidationResumes { get; init; }
    public required string Summary { get; init; }
}

/// <summary>A Rapid Response Labor Panel was requested.</summary>
public sealed record PanelRequested
{
    public required CaseRef Case { get; init; }
    public required DateOnly RequestDate { get; init; }
    public required string PanelCaseNumber { get; init; }
}

/// <summary>The panel determined whether a denial of rights exists (its report goes to Congress, the LAC and the petitioner).</summary>
public sealed record PanelDetermined
{
    public required CaseRef Case { get; init; }
    public required DateOnly DeterminationDate { get; init; }
    public required bool DenialFound { get; init; }
    /// <summary>The first date remedies may be imposed (after the notice period); null when no denial was found.</summary>
    public DateOnly? RemediesAvailableFrom { get; init; }
}

/// <summary>A remedy was imposed: "preference_suspension", "penalty" or "entry_denial" (19 U.S.C. 4693).</summary>
public sealed record RemedyImposed
{
    public required CaseRef Case { get; init; }
    public required Guid RemedyId { get; init; }
    public required string Kind { get; init; }
    public required string Description { get; init; }
    public required DateOnly ImposedDate { get; init; }
}

/// <summary>A remedy was lifted because the denial of rights was remedied (19 U.S.C. 4693(b)).</summary>
public sealed record RemedyLifted
{
    public required CaseRef Case { get; init; }
    public required Guid RemedyId { get; init; }
    public required string Kind { get; init; }
    public required DateOnly LiftedDate { get; init; }
}

/// <summary>
/// The case closed other than by resolution: "petition_declined", "closed_no_denial" (a panel found no denial),
/// "remedies_lifted" or "closed_other". <see cref="LiquidationResumes"/> as in <see cref="CaseResolved"/>.
/// </summary>
public sealed record CaseClosed
{
    public required CaseRef Case { get; init; }
    public required DateOnly ClosedDate { get; init; }
    public required string FinalState { get; init; }
    public required string Reason { get; init; }
    public required bool LiquidationResumes { get; init; }
}

/// <summary>
/// A case's history was imported (its replayed events came before this one). Consumers publish what is still
/// in force for it as current, not as history: <see cref="CaseRef.LiquidationSuspended"/> and
/// <see cref="RemediesInForce"/> say what stands after the last imported act.
/// </summary>
public sealed record CaseHistoryImported
{
    public required CaseRef Case { get; init; }
    /// <summary>The date of the history's last act.</summary>
    public required DateOnly LastActDate { get; init; }
    /// <summary>The ids of the remedies still in force after the import.</summary>
    public required IReadOnlyList<Guid> RemediesInForce { get; init; }
}

/// <summary>A case's clock is due soon and its awaited act is not recorded.</summary>
public sealed record CaseDeadlineApproaching
{
    public required CaseRef Case { get; init; }
    /// <summary>e.g. "mexico_answer", "mexico_review", "remediation_completion".</summary>
    public required string Deadline { get; init; }
    public required string Description { get; init; }
    public required DateOnly DueDate { get; init; }
    public required int DaysLeft { get; init; }
}

/// <summary>
/// A case's due date passed without the awaited act. A later act dated within the deadline supersedes
/// this alert (the case's timeline shows both).
/// </summary>
public sealed record CaseDeadlineMissed
{
    public required CaseRef Case { get; init; }
    public required string Deadline { get; init; }
    public required string Description { get; init; }
    public required DateOnly DueDate { get; init; }
}
