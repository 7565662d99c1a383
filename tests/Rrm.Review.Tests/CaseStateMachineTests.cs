using Rrm.Review.Domain;
using Rrm.Review.Application;
using Rrm.ServiceDefaults.Errors;
using static Rrm.Review.Domain.CaseAct;
using static Rrm.Review.Domain.CaseState;

namespace Rrm.Review.Tests;

/// <summary>
/// Every (state, act) pair through the real aggregate, against the expectations written out here
/// (DOMAIN.md §6; STYLE.md §5): allowed pairs give their next state, move the clocks as the table says and
/// publish their events; all others are rejected naming the state and the allowed acts, changing nothing.
/// </summary>
public sealed class CaseStateMachineTests
{
    private static readonly Dictionary<(CaseState, CaseAct), CaseState> Expected = new()
    {
        [(New, ReceivePetition)] = PetitionReceived,
        [(New, OpenOnSufficientPetition)] = RequestPendingDispatch,
        [(New, SelfInitiate)] = RequestPendingDispatch,
        [(PetitionReceived, FindPetitionSufficient)] = RequestPendingDispatch,
        [(PetitionReceived, FindPetitionInsufficient)] = PetitionDeclined,
        [(RequestPendingDispatch, RequestReview)] = ReviewRequested,
        [(ReviewRequested, MexicoAccepts)] = UnderMexicanReview,
        [(ReviewRequested, MexicoDeclines)] = MexicoDeclined,
        [(ReviewRequested, MexicoSilent)] = MexicoDeclined,
        [(UnderMexicanReview, FindNoDenial)] = NoDenialFoundByMexico,
        [(UnderMexicanReview, FindDenial)] = RemediationConsultation,
        [(UnderMexicanReview, RecordRemediationProgress)] = UnderMexicanReview,
        [(UnderMexicanReview, MexicoReviewLapses)] = PanelAvailable,
        [(UnderMexicanReview, Resolve)] = Resolved,
        [(ReviewRequested, Resolve)] = Resolved,
        [(MexicoDeclined, Resolve)] = Resolved,
        [(MexicoDeclined, RequestPanel)] = PanelRequested,
        [(MexicoDeclined, AgreeRemediation)] = RemediationInProgress,
        [(NoDenialFoundByMexico, AgreeRemediation)] = RemediationInProgress,
        [(PanelAvailable, AgreeRemediation)] = RemediationInProgress,
        [(PanelRequested, PanelFindsDenial)] = RemedyNotice,
        [(PanelRequested, PanelFindsNoDenial)] = ClosedNoDenial,
        [(NoDenialFoundByMexico, Resolve)] = Resolved,
        [(NoDenialFoundByMexico, RequestPanel)] = PanelRequested,
        [(RemediationConsultation, AgreeRemediation)] = RemediationInProgress,
        [(RemediationConsultation, RecordRemediationProgress)] = RemediationConsultation,
        [(RemediationConsultation, EndConsultationWithoutAgreement)] = PanelAvailable,
        [(RemediationConsultation, Resolve)] = Resolved,
        [(RemediationInProgress, RecordRemediationProgress)] = RemediationInProgress,
        [(RemediationInProgress, CompleteRemediation)] = RemediationCompleted,
        [(RemediationInProgress, GivePanelNotice)] = PanelNoticeGiven,
        [(RemediationInProgress, Resolve)] = Resolved,
        [(RemediationCompleted, Resolve)] = Resolved,
        [(PanelAvailable, RequestPanel)] = PanelRequested,
        [(PanelAvailable, RecordRemediationProgress)] = PanelAvailable,
        [(PanelAvailable, Resolve)] = Resolved,
        [(PanelNoticeGiven, RequestPanel)] = PanelRequested,
        [(PanelNoticeGiven, Resolve)] = Resolved,
        [(PanelRequested, ConstitutePanel)] = PanelConstituted,
        [(PanelRequested, Resolve)] = Resolved,
        [(PanelConstituted, Resolve)] = Resolved,
        [(VerificationRequested, Resolve)] = Resolved,
        [(VerificationScheduled, Resolve)] = Resolved,
        [(DeterminationPending, Resolve)] = Resolved,
        [(PanelConstituted, RequestVerification)] = VerificationRequested,
        [(PanelConstituted, PanelFindsDenial)] = RemedyNotice,
        [(PanelConstituted, PanelFindsNoDenial)] = ClosedNoDenial,
        [(VerificationRequested, VerificationConsented)] = VerificationScheduled,
        [(VerificationRequested, VerificationRefused)] = DeterminationPending,
        [(VerificationScheduled, HoldVerification)] = DeterminationPending,
        [(DeterminationPending, PanelFindsDenial)] = RemedyNotice,
        [(DeterminationPending, PanelFindsNoDenial)] = ClosedNoDenial,
        [(RemedyNotice, ImposeRemedy)] = RemediesInForce,
        [(RemediesInForce, ImposeRemedy)] = RemediesInForce,
        [(RemediesInForce, LiftRemedies)] = RemediesLifted,
        // USTR may direct the suspension in every state between the request and a panel's determination (4692(a)).
        [(ReviewRequested, SuspendLiquidation)] = ReviewRequested,
        [(UnderMexicanReview, SuspendLiquidation)] = UnderMexicanReview,
        [(MexicoDeclined, SuspendLiquidation)] = MexicoDeclined,
        [(NoDenialFoundByMexico, SuspendLiquidation)] = NoDenialFoundByMexico,
        [(RemediationConsultation, SuspendLiquidation)] = RemediationConsultation,
        [(RemediationInProgress, SuspendLiquidation)] = RemediationInProgress,
        [(RemediationCompleted, SuspendLiquidation)] = RemediationCompleted,
        [(PanelAvailable, SuspendLiquidation)] = PanelAvailable,
        [(PanelNoticeGiven, SuspendLiquidation)] = PanelNoticeGiven,
        [(PanelRequested, SuspendLiquidation)] = PanelRequested,
        [(PanelConstituted, SuspendLiquidation)] = PanelConstituted,
        [(VerificationRequested, SuspendLiquidation)] = VerificationRequested,
        [(VerificationScheduled, SuspendLiquidation)] = VerificationScheduled,
        [(DeterminationPending, SuspendLiquidation)] = DeterminationPending,
    };

    /// <summary>The acts that may only follow the end of a period (recorded the day after it ends).</summary>
    private static readonly Dictionary<CaseAct, DeadlineKind> AfterPeriod = new()
    {
        [MexicoSilent] = DeadlineKind.MexicoAnswer,
        [MexicoReviewLapses] = DeadlineKind.MexicoReview,
        [EndConsultationWithoutAgreement] = DeadlineKind.RemediationConsultation,
        [GivePanelNotice] = DeadlineKind.RemediationCompletion,
    };

    private static readonly CaseState[] TerminalStates = [PetitionDeclined, Resolved, ClosedNoDenial, RemediesLifted, ClosedOther];

    /// <summary>The events each act publishes (with suspension on, as <see cref="Cases.Apply"/> records it).</summary>
    private static readonly Dictionary<CaseAct, string[]> ExpectedEvents = new()
    {
        [ReceivePetition] = ["CaseOpened"],
        [OpenOnSufficientPetition] = ["CaseOpened"],
        [SelfInitiate] = ["CaseOpened"],
        [FindPetitionInsufficient] = ["CaseClosed"],
        [RequestReview] = ["ReviewRequested"],
        [MexicoAccepts] = ["MexicoResponded"],
        [MexicoDeclines] = ["MexicoResponded"],
        [MexicoSilent] = ["MexicoResponded"],
        [FindNoDenial] = ["ReviewFindingsRecorded"],
        [FindDenial] = ["ReviewFindingsRecorded"],
        [AgreeRemediation] = ["RemediationPlanAgreed"],
        [Resolve] = ["CaseResolved"],
        [RequestPanel] = ["PanelRequested"],
        [PanelFindsDenial] = ["PanelDetermined"],
        [PanelFindsNoDenial] = ["PanelDetermined", "CaseClosed"],
        [ImposeRemedy] = ["RemedyImposed"],
        [LiftRemedies] = ["RemedyLifted", "CaseClosed"],
        [Close] = ["CaseClosed"],
        [MexicoReviewLapses] = ["CaseDeadlineMissed"],
        [SuspendLiquidation] = ["LiquidationSuspensionDirected"],
    };

    public static TheoryData<CaseState, CaseAct> AllPairs()
    {
        var data = new TheoryData<CaseState, CaseAct>();
        foreach (var s in Enum.GetValues<CaseState>())
            foreach (var a in Enum.GetValues<CaseAct>()) data.Add(s, a);
        return data;
    }

    private static CaseState? ExpectedNext(CaseState from, CaseAct act) =>
        Expected.TryGetValue((from, act), out var next) ? next
        : act == Close && from != New && !TerminalStates.Contains(from) ? ClosedOther
        : null;

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Each_pair_is_allowed_with_its_next_state_clocks_and_events_or_rejected_naming_the_state_and_the_allowed_acts(CaseState from, CaseAct act)
    {
        var expected = ExpectedNext(from, act);
        if (from == New || Cases.OpeningActs.Contains(act))
        {
            // Opening acts create a case and others need one: for these pairs the table alone decides.
            if (expected is { } opened) Assert.Equal(opened, Cases.Apply(null, act, Cases.At(Cases.Start)).State);
            else Assert.Throws<InvalidStateTransitionException>(() => CaseStateMachine.Next(from, act));
            return;
        }
        // A case that is to be suspended by the act is built without the request's suspension.
        var (c, last) = Cases.In(from, suspend: act != SuspendLiquidation);
        var runningBefore = c.Deadlines.Where(d => d.IsRunning).Select(d => d.Kind).ToHashSet();
        var entriesBefore = c.NewEntries.Count;
        var ctx = Cases.At(ActDate(c, act, last));

        if (expected is not { } next)
        {
            var error = Assert.Throws<InvalidStateTransitionException>(() => Cases.Apply(c, act, ctx));
            Assert.Contains(CaseStateMachine.Describe(from), error.Message);
            Assert.Contains("allowed:", error.Message);
            Assert.Equal(from, c.State);
            Assert.Equal(entriesBefore, c.NewEntries.Count);
            return;
        }

        Cases.Apply(c, act, ctx);

        Assert.Equal(next, c.State);
        var clocks = CaseStateMachine.ClocksOf(act);
        var runningAfter = c.Deadlines.Where(d => d.IsRunning).Select(d => d.Kind).ToHashSet();
        var recorded = c.RecordedActs[^1];
        var expectedRunning = TerminalStates.Contains(next)
            ? []
            : runningBefore.Except(clocks.Meets).Except(clocks.Cancels).Except(recorded.Lapsed is { } l ? [l] : []).Union(clocks.Starts).ToHashSet();
        Assert.Equal(expectedRunning.Order(), runningAfter.Order());
        Assert.Equal(act, recorded.Act);
        Assert.Equal(ExpectedEvents.GetValueOrDefault(act, []), CaseEventMapper.EventsOf(c, recorded, Cases.Ref(c)).Select(e => e.GetType().Name));
        Assert.Equal(TimelineKind.Act, c.LastActEntries.First().Kind);
    }

    /// <summary>
    /// The day after the last act, inside every running period so that no lapse intervenes; for an act that may only
    /// follow a period (or a waiting period that runs), the day after it ends.
    /// </summary>
    private static DateOnly ActDate(EnforcementCase c, CaseAct act, DateOnly last) =>
        c.Deadlines.Where(d => d.IsRunning && (d.Rule.WaitingPeriod || (AfterPeriod.TryGetValue(act, out var k) && k == d.Kind)))
            .Select(d => d.DueDate.AddDays(1)).Append(last.AddDays(1)).Max();

    [Fact]
    public void Every_state_and_act_appears_in_the_table_and_the_table_has_nothing_else()
    {
        var table = CaseStateMachine.Transitions;
        Assert.All(Enum.GetValues<CaseAct>(), a => Assert.Contains(table.Keys, k => k.Act == a));
        Assert.All(Enum.GetValues<CaseState>(), s => Assert.True(table.Keys.Any(k => k.From == s) || table.Values.Contains(s)));
        var closeRows = Enum.GetValues<CaseState>().Count(s => s != New && !TerminalStates.Contains(s));
        Assert.Equal(Expected.Count + closeRows, table.Count);
        Assert.Equal(TerminalStates.Order(), CaseStateMachine.Terminal.Order());
    }

    [Fact]
    public void Every_state_has_a_path_for_these_tests() =>
        Assert.All(Enum.GetValues<CaseState>().Where(s => s != New), s => Assert.Equal(s, Cases.In(s).Case.State));
}
