namespace Rrm.Review.Domain;

/// <summary>
/// The lengths of the mechanism's clocks (DOMAIN.md §9). Items marked [R] are recalled from the Annex 31-A
/// text and not yet checked against it: confirm before relying on them, and change them only here.
/// </summary>
public static class TreatyPeriods
{
    /// <summary>[V] USMCA entered into force on July 1, 2020: no act of the mechanism is dated before.</summary>
    public static readonly DateOnly EntryIntoForce = new(2020, 7, 1);

    /// <summary>[V] 19 U.S.C. 4646(b)(4): USTR decides whether to request a panel within 60 days of the ILC's affirmative determination.</summary>
    public const int UstrPanelDecisionCalendarDays = 60;
    /// <summary>[V/P] Mexico says within 10 days of the request whether it will review.</summary>
    public const int MexicoAnswerCalendarDays = 10;
    /// <summary>[V/P] Mexico completes its review within 45 days of the request (not of its acceptance).</summary>
    public const int MexicoReviewCalendarDays = 45;
    /// <summary>[P/R] The Parties consult 10 days to agree a course of remediation after Mexico finds a denial.</summary>
    public const int RemediationConsultationCalendarDays = 10;
    /// <summary>[R] Notice before requesting a panel over remediation not completed in the agreed time.</summary>
    public const int PanelNoticeCalendarDays = 15;
    /// <summary>[R] The panel is selected within 3 business days of the request.</summary>
    public const int PanelSelectionBusinessDays = 3;
    /// <summary>[R] Within 5 business days of constitution the panel confirms the request and may seek verification.</summary>
    public const int PanelConfirmationBusinessDays = 5;
    /// <summary>[R] Mexico answers a verification request within 7 business days.</summary>
    public const int VerificationAnswerBusinessDays = 7;
    /// <summary>[R] The panel determines within 30 days of the verification, the refusal, or its constitution.</summary>
    public const int PanelDeterminationCalendarDays = 30;
    /// <summary>[R] Notice to Mexico before remedies are imposed.</summary>
    public const int RemedyNoticeBusinessDays = 5;
    /// <summary>[V] Denial of entry is available after two prior panel determinations of a denial of rights.</summary>
    public const int PriorDenialsForEntryDenial = 2;
}
