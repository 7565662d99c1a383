namespace Rrm.Review.Domain;

public enum DeadlineKind
{
    UstrPanelDecision,
    MexicoAnswer,
    MexicoReview,
    RemediationConsultation,
    RemediationCompletion,
    PanelNotice,
    PanelSelection,
    PanelConfirmation,
    VerificationAnswer,
    PanelDetermination,
    RemedyNotice,
}

public enum DeadlineStatus
{
    /// <summary>Running; the awaited act is not recorded.</summary>
    Open,
    /// <summary>The due date passed without the awaited act; a missed-deadline alert went out.</summary>
    Overdue,
    /// <summary>The awaited act is dated on or before the due date (supersedes an earlier alert).</summary>
    Met,
    /// <summary>The awaited act is dated after the due date.</summary>
    Late,
    /// <summary>No longer awaited, and its due date had passed without the act.</summary>
    Missed,
    /// <summary>No longer applies (e.g. Mexico declined, so its review will not happen).</summary>
    Cancelled,
    /// <summary>A treaty period ended without the awaited act and the lapse took legal effect (e.g. a panel may be requested).</summary>
    Lapsed,
    /// <summary>The Parties resolved the case while the clock ran: neither met nor late.</summary>
    EndedByResolution,
}

/// <summary>How long a clock runs and what it waits for. A waiting period is a time before which an act may not be taken.</summary>
public sealed record DeadlineRule(DeadlineKind Kind, int Length, bool BusinessDays, bool WaitingPeriod, string Description)
{
    public DateOnly DueFrom(DateOnly start, BusinessCalendar calendar) =>
        BusinessDays ? calendar.AddBusinessDays(start, Length) : start.AddDays(Length);

    public static readonly IReadOnlyDictionary<DeadlineKind, DeadlineRule> All = new[]
    {
        new DeadlineRule(DeadlineKind.UstrPanelDecision, TreatyPeriods.UstrPanelDecisionCalendarDays, false, false,
            "USTR decides whether to request a panel (19 U.S.C. 4646(b)(4))"),
        new DeadlineRule(DeadlineKind.MexicoAnswer, TreatyPeriods.MexicoAnswerCalendarDays, false, false,
            "Mexico says whether it will conduct the review"),
        new DeadlineRule(DeadlineKind.MexicoReview, TreatyPeriods.MexicoReviewCalendarDays, false, false,
            "Mexico completes its review"),
        new DeadlineRule(DeadlineKind.RemediationConsultation, TreatyPeriods.RemediationConsultationCalendarDays, false, false,
            "The Parties agree a course of remediation"),
        new DeadlineRule(DeadlineKind.RemediationCompletion, 0, false, false, "Remediation completed by the agreed date"),
        new DeadlineRule(DeadlineKind.PanelNotice, TreatyPeriods.PanelNoticeCalendarDays, false, true,
            "Notice before a panel request over unfinished remediation"),
        new DeadlineRule(DeadlineKind.PanelSelection, TreatyPeriods.PanelSelectionBusinessDays, true, false, "The panel is selected"),
        new DeadlineRule(DeadlineKind.PanelConfirmation, TreatyPeriods.PanelConfirmationBusinessDays, true, false,
            "The panel confirms the request and may seek a verification"),
        new DeadlineRule(DeadlineKind.VerificationAnswer, TreatyPeriods.VerificationAnswerBusinessDays, true, false,
            "Mexico answers the verification request"),
        new DeadlineRule(DeadlineKind.PanelDetermination, TreatyPeriods.PanelDeterminationCalendarDays, false, false,
            "The panel issues its determination"),
        new DeadlineRule(DeadlineKind.RemedyNotice, TreatyPeriods.RemedyNoticeBusinessDays, true, true,
            "Notice to Mexico before remedies are imposed"),
    }.ToDictionary(r => r.Kind);
}

/// <summary>One clock of a case: started by an act, closed by the act it awaits (or cancelled).</summary>
public sealed class CaseDeadline
{
    public DeadlineKind Kind { get; private set; }
    public DateOnly StartedOn { get; private set; }
    public DateOnly DueDate { get; private set; }
    public DeadlineStatus Status { get; internal set; }
    public DateOnly? ClosedOn { get; internal set; }

    private CaseDeadline() { }

    internal CaseDeadline(DeadlineKind kind, DateOnly startedOn, DateOnly dueDate)
    {
        Kind = kind;
        StartedOn = startedOn;
        DueDate = dueDate;
        Status = DeadlineStatus.Open;
    }

    public bool IsRunning => Status is DeadlineStatus.Open or DeadlineStatus.Overdue;
    public DeadlineRule Rule => DeadlineRule.All[Kind];
}
