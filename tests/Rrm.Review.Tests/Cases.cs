using Rrm.Contracts.Events;
using Rrm.Review.Domain;

namespace Rrm.Review.Tests;

/// <summary>Cases built act by act, for domain tests: a path from nothing to every state.</summary>
internal static class Cases
{
    public static readonly DateOnly Start = new(2024, 1, 8);
    public static readonly BusinessCalendar Calendar = new();

    public static ActContext At(DateOnly date, string note = "") =>
        new(date, null, note, "tester", new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), Calendar);

    public static CaseFacility Facility() => new()
    {
        FacilityId = Guid.NewGuid(),
        LegalName = "Impro Industries Mexico, S. de R.L. de C.V.",
        City = "Villa de Reyes",
        StateCode = "SLP",
        StateName = "San Luis Potosí",
        Sector = "manufacturing",
        ApproximateWorkers = 1500,
        Mids = ["MXIMPIND1250VIL"],
    };

    /// <summary>The acts that lead from nothing to each state (the first is one of the opening acts).</summary>
    public static readonly IReadOnlyDictionary<CaseState, CaseAct[]> PathTo = new Dictionary<CaseState, CaseAct[]>
    {
        [CaseState.PetitionReceived] = [CaseAct.ReceivePetition],
        [CaseState.PetitionDeclined] = [CaseAct.ReceivePetition, CaseAct.FindPetitionInsufficient],
        [CaseState.RequestPendingDispatch] = [CaseAct.SelfInitiate],
        [CaseState.ReviewRequested] = [CaseAct.SelfInitiate, CaseAct.RequestReview],
        [CaseState.UnderMexicanReview] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoAccepts],
        [CaseState.MexicoDeclined] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoDeclines],
        [CaseState.NoDenialFoundByMexico] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoAccepts, CaseAct.FindNoDenial],
        [CaseState.RemediationConsultation] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoAccepts, CaseAct.FindDenial],
        [CaseState.RemediationInProgress] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoAccepts, CaseAct.FindDenial, CaseAct.AgreeRemediation],
        [CaseState.RemediationCompleted] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoAccepts, CaseAct.FindDenial, CaseAct.AgreeRemediation, CaseAct.CompleteRemediation],
        [CaseState.PanelAvailable] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoAccepts, CaseAct.FindDenial, CaseAct.EndConsultationWithoutAgreement],
        [CaseState.PanelNoticeGiven] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoAccepts, CaseAct.FindDenial, CaseAct.AgreeRemediation, CaseAct.GivePanelNotice],
        [CaseState.PanelRequested] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoDeclines, CaseAct.RequestPanel],
        [CaseState.PanelConstituted] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoDeclines, CaseAct.RequestPanel, CaseAct.ConstitutePanel],
        [CaseState.VerificationRequested] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoDeclines, CaseAct.RequestPanel, CaseAct.ConstitutePanel, CaseAct.RequestVerification],
        [CaseState.VerificationScheduled] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoDeclines, CaseAct.RequestPanel, CaseAct.ConstitutePanel, CaseAct.RequestVerification, CaseAct.VerificationConsented],
        [CaseState.DeterminationPending] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoDeclines, CaseAct.RequestPanel, CaseAct.ConstitutePanel, CaseAct.RequestVerification, CaseAct.VerificationRefused],
        [CaseState.RemedyNotice] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoDeclines, CaseAct.RequestPanel, CaseAct.ConstitutePanel, CaseAct.PanelFindsDenial],
        [CaseState.RemediesInForce] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoDeclines, CaseAct.RequestPanel, CaseAct.ConstitutePanel, CaseAct.PanelFindsDenial, CaseAct.ImposeRemedy],
        [CaseState.Resolved] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoAccepts, CaseAct.Resolve],
        [CaseState.ClosedNoDenial] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoDeclines, CaseAct.RequestPanel, CaseAct.ConstitutePanel, CaseAct.PanelFindsNoDenial],
        [CaseState.RemediesLifted] = [CaseAct.SelfInitiate, CaseAct.RequestReview, CaseAct.MexicoDeclines, CaseAct.RequestPanel, CaseAct.ConstitutePanel, CaseAct.PanelFindsDenial, CaseAct.ImposeRemedy, CaseAct.LiftRemedies],
        [CaseState.ClosedOther] = [CaseAct.SelfInitiate, CaseAct.Close],
    };

    /// <summary>A case in <paramref name="state"/>, each act 20 days after the one before; returns it and the last act's date.</summary>
    public static (EnforcementCase Case, DateOnly Date) In(CaseState state, bool suspend = true)
    {
        EnforcementCase? c = null;
        var date = Start;
        foreach (var act in PathTo[state])
        {
            c = Apply(c, act, At(date), suspend);
            date = date.AddDays(20);
        }
        return (c!, date.AddDays(-20));
    }

    public static readonly CaseAct[] OpeningActs = [CaseAct.ReceivePetition, CaseAct.OpenOnSufficientPetition, CaseAct.SelfInitiate];

    /// <summary>Records <paramref name="act"/> with ordinary data (suspension on, a penalty, a plan due 10 days later).</summary>
    public static EnforcementCase Apply(EnforcementCase? c, CaseAct act, ActContext ctx, bool suspend = true)
    {
        switch (act)
        {
            case CaseAct.ReceivePetition: return EnforcementCase.ReceivePetition(Facility(), ctx, "ref-" + Guid.NewGuid(), "A union");
            case CaseAct.OpenOnSufficientPetition: return EnforcementCase.OpenOnPetition(Guid.NewGuid(), Facility(), ctx.Date.AddDays(-30), ctx);
            case CaseAct.SelfInitiate: return EnforcementCase.SelfInitiate(Facility(), ctx);
        }
        ArgumentNullException.ThrowIfNull(c);
        _ = act switch
        {
            CaseAct.FindPetitionSufficient => c.DeterminePetition(ctx, true),
            CaseAct.FindPetitionInsufficient => c.DeterminePetition(ctx, false),
            CaseAct.RequestReview => c.RequestReview(ctx, suspendLiquidation: suspend),
            CaseAct.SuspendLiquidation => c.SuspendLiquidation(ctx),
            // Only the passing of time records a lapse: allowed where the table says, applied on the day given.
            CaseAct.MexicoReviewLapses => CaseStateMachine.Next(c.State, act) == CaseState.PanelAvailable
                && c.RecordLapses(ctx.Date, ctx.RecordedAt, ctx.Calendar),
            CaseAct.MexicoAccepts => c.RecordMexicoResponse(ctx, MexicoResponse.Accepted),
            CaseAct.MexicoDeclines => c.RecordMexicoResponse(ctx, MexicoResponse.Declined),
            CaseAct.MexicoSilent => c.RecordMexicoResponse(ctx, MexicoResponse.NoResponse),
            CaseAct.FindNoDenial => c.RecordReviewFindings(ctx, false),
            CaseAct.FindDenial => c.RecordReviewFindings(ctx, true),
            CaseAct.AgreeRemediation => c.AgreeRemediationPlan(ctx, ctx.Date.AddDays(10), ["Reinstate the dismissed worker with back pay"]),
            CaseAct.RecordRemediationProgress => c.RecordRemediationProgress(ctx, null, "Neutrality statement posted", ActionStatus.Completed, "https://evidence.example/1"),
            CaseAct.CompleteRemediation => c.CompleteRemediation(ctx),
            CaseAct.EndConsultationWithoutAgreement => c.EndConsultationWithoutAgreement(ctx),
            CaseAct.GivePanelNotice => c.GivePanelNotice(ctx),
            CaseAct.Resolve => c.Resolve(ctx),
            CaseAct.RequestPanel => c.RequestPanel(ctx, "MEX-USA-2024-31A-01"),
            CaseAct.ConstitutePanel => c.ConstitutePanel(ctx, ["A", "B", "C"]),
            CaseAct.RequestVerification => c.RequestVerification(ctx),
            CaseAct.VerificationConsented => c.RecordVerificationResponse(ctx, true),
            CaseAct.VerificationRefused => c.RecordVerificationResponse(ctx, false),
            CaseAct.HoldVerification => c.HoldVerification(ctx),
            CaseAct.PanelFindsDenial => c.RecordPanelDetermination(ctx, true),
            CaseAct.PanelFindsNoDenial => c.RecordPanelDetermination(ctx, false),
            CaseAct.ImposeRemedy => c.ImposeRemedy(ctx, c.RemediesInForce.Any() ? RemedyKind.PreferenceSuspension : RemedyKind.Penalty,
                "10% of the entered value", priorDenials: 0),
            CaseAct.LiftRemedies => c.LiftRemedies(ctx),
            CaseAct.Close => c.Close(ctx, "The plant closed", resumeLiquidation: true),
            _ => throw new ArgumentOutOfRangeException(nameof(act), act, null),
        };
        return c;
    }

    public static CaseRef Ref(EnforcementCase c) => new()
    {
        CaseId = c.Id,
        Origin = "self_initiated",
        LiquidationSuspended = c.LiquidationSuspended,
        Replayed = false,
        Facility = new FacilitySnapshot
        {
            FacilityId = Guid.Empty, LegalName = "", CommonName = "", StreetAddress = "", City = "", StateCode = "", StateName = "",
            Sector = "", Subsector = "", Owner = "", ApproximateWorkers = 0, Mids = [],
        },
    };
}
