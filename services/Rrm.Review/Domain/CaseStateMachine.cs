using Rrm.ServiceDefaults.Errors;
using static Rrm.Review.Domain.CaseAct;
using static Rrm.Review.Domain.CaseState;
using D = Rrm.Review.Domain.DeadlineKind;

namespace Rrm.Review.Domain;

/// <summary>The clocks an act starts, the ones whose awaited act it is, and the ones it makes moot.</summary>
public sealed record ActClocks(D[] Starts, D[] Meets, D[] Cancels)
{
    public static readonly ActClocks None = new([], [], []);
}

/// <summary>
/// The one table of what may happen to an enforcement case (DOMAIN.md §6, STYLE.md §4), and next to it
/// the deadlines each act starts, meets or cancels. A terminal state cancels every clock still running.
/// </summary>
public static class CaseStateMachine
{
    // Declared first: the table below is built from them.
    public static readonly IReadOnlySet<CaseState> Terminal =
        new HashSet<CaseState> { PetitionDeclined, Resolved, ClosedNoDenial, RemediesLifted, ClosedOther };

    /// <summary>
    /// The open states between the request for review and a panel's determination: the Parties may resolve the
    /// matter from any of them, and USTR may direct the suspension of liquidation in any of them (19 U.S.C. 4692(a)).
    /// After a panel determines a denial the case ends only when remedies are lifted (4693(b)).
    /// </summary>
    public static readonly IReadOnlySet<CaseState> BeforeDetermination = new HashSet<CaseState>
    {
        ReviewRequested, UnderMexicanReview, MexicoDeclined, NoDenialFoundByMexico, RemediationConsultation, RemediationInProgress,
        RemediationCompleted, PanelAvailable, PanelNoticeGiven, PanelRequested, PanelConstituted, VerificationRequested,
        VerificationScheduled, DeterminationPending,
    };

    /// <summary>
    /// The treaty periods whose passing has a legal effect, and the act that effect is (ADR 0007): Mexico's silence
    /// after 10 days, the end of its 45-day review without findings, and 10 days' consultation without an agreed
    /// course of remediation each open the way to a panel. The case records the act itself when the period lapses.
    /// </summary>
    public static readonly IReadOnlyDictionary<D, CaseAct> Lapses = new Dictionary<D, CaseAct>
    {
        [D.MexicoAnswer] = MexicoSilent,
        [D.MexicoReview] = MexicoReviewLapses,
        [D.RemediationConsultation] = EndConsultationWithoutAgreement,
    };

    public static readonly IReadOnlyDictionary<(CaseState From, CaseAct Act), CaseState> Transitions = Build(
        (New, ReceivePetition, PetitionReceived),
        (New, OpenOnSufficientPetition, RequestPendingDispatch),
        (New, SelfInitiate, RequestPendingDispatch),
        (PetitionReceived, FindPetitionSufficient, RequestPendingDispatch),
        (PetitionReceived, FindPetitionInsufficient, PetitionDeclined),
        (RequestPendingDispatch, RequestReview, ReviewRequested),
        (ReviewRequested, MexicoAccepts, UnderMexicanReview),
        (ReviewRequested, MexicoDeclines, MexicoDeclined),
        (ReviewRequested, MexicoSilent, MexicoDeclined),
        (UnderMexicanReview, FindNoDenial, NoDenialFoundByMexico),
        (UnderMexicanReview, FindDenial, RemediationConsultation),
        (UnderMexicanReview, RecordRemediationProgress, UnderMexicanReview),
        (UnderMexicanReview, MexicoReviewLapses, PanelAvailable),
        (MexicoDeclined, RequestPanel, PanelRequested),
        // [P] Practice: the Parties have agreed courses of remediation without a recorded finding by Mexico (Volkswagen
        // Puebla 2024, Akwel Juárez 2026); a course may be agreed until a panel is requested.
        (MexicoDeclined, AgreeRemediation, RemediationInProgress),
        (NoDenialFoundByMexico, AgreeRemediation, RemediationInProgress),
        (PanelAvailable, AgreeRemediation, RemediationInProgress),
        (NoDenialFoundByMexico, RequestPanel, PanelRequested),
        (RemediationConsultation, AgreeRemediation, RemediationInProgress),
        (RemediationConsultation, RecordRemediationProgress, RemediationConsultation),
        (RemediationConsultation, EndConsultationWithoutAgreement, PanelAvailable),
        (RemediationInProgress, RecordRemediationProgress, RemediationInProgress),
        (RemediationInProgress, CompleteRemediation, RemediationCompleted),
        (RemediationInProgress, GivePanelNotice, PanelNoticeGiven),
        (PanelAvailable, RequestPanel, PanelRequested),
        (PanelAvailable, RecordRemediationProgress, PanelAvailable),
        (PanelNoticeGiven, RequestPanel, PanelRequested),
        (PanelRequested, ConstitutePanel, PanelConstituted),
        // A determination implies a constituted panel: public records often give no date for the constitution (Atento).
        (PanelRequested, PanelFindsDenial, RemedyNotice),
        (PanelRequested, PanelFindsNoDenial, ClosedNoDenial),
        (PanelConstituted, RequestVerification, VerificationRequested),
        (PanelConstituted, PanelFindsDenial, RemedyNotice),
        (PanelConstituted, PanelFindsNoDenial, ClosedNoDenial),
        (VerificationRequested, VerificationConsented, VerificationScheduled),
        (VerificationRequested, VerificationRefused, DeterminationPending),
        (VerificationScheduled, HoldVerification, DeterminationPending),
        (DeterminationPending, PanelFindsDenial, RemedyNotice),
        (DeterminationPending, PanelFindsNoDenial, ClosedNoDenial),
        (RemedyNotice, ImposeRemedy, RemediesInForce),
        (RemediesInForce, ImposeRemedy, RemediesInForce),
        (RemediesInForce, LiftRemedies, RemediesLifted));

    public static readonly IReadOnlyDictionary<CaseAct, ActClocks> Clocks = new Dictionary<CaseAct, ActClocks>
    {
        [FindPetitionSufficient] = new([D.UstrPanelDecision], [], []),
        [OpenOnSufficientPetition] = new([D.UstrPanelDecision], [], []),
        [RequestReview] = new([D.MexicoAnswer, D.MexicoReview], [], []),
        [MexicoAccepts] = new([], [D.MexicoAnswer], []),
        [MexicoDeclines] = new([], [D.MexicoAnswer], [D.MexicoReview]),
        [MexicoSilent] = new([], [], [D.MexicoAnswer, D.MexicoReview]),
        [FindNoDenial] = new([], [D.MexicoReview], []),
        [FindDenial] = new([D.RemediationConsultation], [D.MexicoReview], []),
        // Agreeing a course of remediation is USTR's decision not to request a panel (4646(b)(4)).
        [AgreeRemediation] = new([D.RemediationCompletion], [D.RemediationConsultation, D.UstrPanelDecision], []),
        [CompleteRemediation] = new([], [D.RemediationCompletion], []),
        [EndConsultationWithoutAgreement] = new([], [], [D.RemediationConsultation]),
        [GivePanelNotice] = new([D.PanelNotice], [], [D.RemediationCompletion]),
        // A resolution is USTR's decision not to request a panel; every other clock still running ends "by resolution".
        [Resolve] = new([], [D.UstrPanelDecision], []),
        [RequestPanel] = new([D.PanelSelection], [D.UstrPanelDecision, D.PanelNotice], []),
        [ConstitutePanel] = new([D.PanelConfirmation, D.PanelDetermination], [D.PanelSelection], []),
        [RequestVerification] = new([D.VerificationAnswer], [D.PanelConfirmation], [D.PanelDetermination]),
        [VerificationConsented] = new([], [D.VerificationAnswer], []),
        [VerificationRefused] = new([D.PanelDetermination], [D.VerificationAnswer], []),
        [HoldVerification] = new([D.PanelDetermination], [], []),
        [PanelFindsDenial] = new([D.RemedyNotice], [D.PanelDetermination, D.PanelConfirmation], [D.PanelSelection]),
        [PanelFindsNoDenial] = new([], [D.PanelDetermination, D.PanelConfirmation], []),
        [ImposeRemedy] = new([], [D.RemedyNotice], []),
    };

    public static bool IsTerminal(CaseState state) => Terminal.Contains(state);

    /// <summary>The acts a person may record in <paramref name="state"/> (a review's lapse is recorded only by the passing of time).</summary>
    public static IReadOnlyList<CaseAct> Allowed(CaseState state) =>
        Transitions.Keys.Where(k => k.From == state && k.Act != MexicoReviewLapses).Select(k => k.Act).ToList();

    public static CaseState Next(CaseState from, CaseAct act) =>
        Transitions.TryGetValue((from, act), out var next)
            ? next
            : throw new InvalidStateTransitionException(
                $"A case that is {Describe(from)} cannot be {Describe(act)}; allowed: " +
                (Allowed(from) is { Count: > 0 } allowed ? string.Join(", ", allowed.Select(Describe)) : "nothing (the case is closed)") + ".");

    public static ActClocks ClocksOf(CaseAct act) => Clocks.GetValueOrDefault(act, ActClocks.None);

    public static string Describe(CaseState state) => state switch
    {
        New => "new",
        PetitionReceived => "a petition under ILC review",
        PetitionDeclined => "a petition the ILC found insufficient",
        RequestPendingDispatch => "awaiting the request for review",
        ReviewRequested => "awaiting Mexico's answer to the request for review",
        UnderMexicanReview => "under review by Mexico",
        MexicoDeclined => "without Mexico's review (declined, or unanswered within the 10 days)",
        NoDenialFoundByMexico => "found by Mexico to show no denial of rights",
        RemediationConsultation => "in consultation on remediation",
        RemediationInProgress => "under remediation",
        RemediationCompleted => "remediated",
        PanelAvailable => "open to a panel request",
        PanelNoticeGiven => "under notice of a panel request",
        PanelRequested => "awaiting the panel's constitution",
        PanelConstituted => "before a constituted panel",
        VerificationRequested => "awaiting Mexico's answer on verification",
        VerificationScheduled => "awaiting the verification",
        DeterminationPending => "awaiting the panel's determination",
        RemedyNotice => "under notice of remedies",
        RemediesInForce => "subject to remedies",
        Resolved => "resolved",
        ClosedNoDenial => "closed (the panel found no denial of rights)",
        RemediesLifted => "closed (remedies lifted)",
        ClosedOther => "closed",
        _ => state.ToString(),
    };

    public static string Describe(CaseAct act) => act switch
    {
        ReceivePetition => "opened on a received petition",
        FindPetitionSufficient => "given the ILC's affirmative determination",
        FindPetitionInsufficient => "given the ILC's negative determination",
        OpenOnSufficientPetition => "opened on the ILC's affirmative determination",
        SelfInitiate => "self-initiated",
        RequestReview => "sent a request for review",
        MexicoAccepts => "accepted for review by Mexico",
        MexicoDeclines => "declined by Mexico",
        MexicoSilent => "recorded as unanswered by Mexico",
        FindNoDenial => "given Mexico's finding of no denial",
        FindDenial => "given Mexico's finding of a denial",
        AgreeRemediation => "given an agreed remediation plan",
        RecordRemediationProgress => "given remediation progress",
        CompleteRemediation => "recorded as remediated",
        EndConsultationWithoutAgreement => "recorded as without agreement on remediation",
        GivePanelNotice => "given notice of a panel request",
        Resolve => "resolved",
        RequestPanel => "taken to a panel",
        ConstitutePanel => "given a constituted panel",
        RequestVerification => "given a verification request",
        VerificationConsented => "given Mexico's consent to verification",
        VerificationRefused => "given Mexico's refusal of verification",
        HoldVerification => "given a held verification",
        PanelFindsDenial => "given a panel determination of denial",
        PanelFindsNoDenial => "given a panel determination of no denial",
        ImposeRemedy => "given a remedy",
        LiftRemedies => "relieved of its remedies",
        Close => "closed",
        MexicoReviewLapses => "recorded as past Mexico's review period",
        SuspendLiquidation => "given a suspension of liquidation",
        _ => act.ToString(),
    };

    /// <summary>
    /// The rows above, plus "closed for another reason" from every state that is neither new nor terminal, and a
    /// resolution or a suspension of liquidation from every state before a panel's determination.
    /// </summary>
    private static Dictionary<(CaseState, CaseAct), CaseState> Build(params (CaseState From, CaseAct Act, CaseState To)[] rows)
    {
        var table = rows.ToDictionary(r => (r.From, r.Act), r => r.To);
        foreach (var state in Enum.GetValues<CaseState>().Where(s => s != New && !Terminal.Contains(s)))
            table.Add((state, Close), ClosedOther);
        foreach (var state in BeforeDetermination)
        {
            table.Add((state, Resolve), Resolved);
            table.Add((state, SuspendLiquidation), state);
        }
        return table;
    }
}
