using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.Testing;
using static Rrm.EndToEnd.Tests.Suite;
using static Rrm.Testing.ServiceStack;

namespace Rrm.EndToEnd.Tests;

/// <summary>The other roads through the four services: Mexico declines and a panel imposes remedies; the ILC finds a petition insufficient.</summary>
[Collection("suite")]
public sealed class PanelAndRemedyTests(Suite suite)
{
    private static RegisterFacilityRequest Plant(string name) => new()
    {
        LegalName = $"{name}, S.A. de C.V.", StreetAddress = "Boulevard Industrial 100", City = "Saltillo", State = "Coahuila",
        Sector = Sector.Manufacturing, Subsector = Subsector.AutoParts, ApproximateWorkers = 800,
    };

    [Fact]
    public async Task A_declined_request_goes_to_a_panel_whose_determination_brings_a_penalty_at_the_border_and_its_notices()
    {
        var (facility, petition, _) = await suite.PetitionAsync(Plant("Autopartes Declinadas"), D(2024, 1, 2));
        var opened = await suite.SufficientAsync(petition, D(2024, 1, 30));
        var cases = suite.Cases;
        var id = opened.CaseId;
        await cases.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest { CaseId = id, Act = On(2024, 2, 1), SuspendLiquidation = true }, Officer);
        await cases.RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = id, Act = On(2024, 2, 8), Response = MexicoResponse.Declined }, Officer);
        await cases.RequestPanelAsync(new RequestPanelRequest { CaseId = id, Act = On(2024, 2, 12), PanelCaseNumber = "MEX-USA-2024-31A-99" }, Officer);
        await cases.RecordPanelConstitutionAsync(new RecordPanelConstitutionRequest { CaseId = id, Act = On(2024, 2, 15), Panelists = { "A. Panelist", "B. Panelist", "C. Panelist" } }, Officer);
        await cases.RequestVerificationAsync(new RequestVerificationRequest { CaseId = id, Act = On(2024, 2, 19) }, Officer);
        await cases.RecordVerificationAnswerAsync(new RecordVerificationAnswerRequest { CaseId = id, Act = On(2024, 2, 23), Response = VerificationResponse.Refused }, Officer);
        await cases.RecordPanelDeterminationAsync(new RecordPanelDeterminationRequest { CaseId = id, Act = On(2024, 3, 18), Finding = Finding.Denial }, Officer);
        var remedied = (await cases.ImposeRemedyAsync(new ImposeRemedyRequest
        {
            CaseId = id, Act = On(2024, 3, 26), Kind = RemedyKind.Penalty, Description = "Penalty on goods from the facility",
        }, Officer)).Case;

        Assert.Equal(CaseState.RemediesInForce, remedied.State);
        Assert.True(remedied.PanelFoundDenial);
        Assert.Equal("MEX-USA-2024-31A-99", remedied.PanelCaseNumber);
        Assert.Equal(RemedyKind.Penalty, remedied.Remedies.Single().Kind);

        // At the border: the penalty applies to goods entered from its date, and the entries held since the request are to be
        // liquidated applying it (19 U.S.C. 4693(a)(1)(B)), which ends their suspension.
        var instructions = await suite.InstructionsAsync(id, 3);
        Assert.Equal([InstructionKind.LiquidationSuspend, InstructionKind.PenaltyApply, InstructionKind.LiquidationApplyRemedy], instructions.Select(i => i.Kind));
        Assert.All(instructions.Skip(1), i => Assert.Equal(D(2024, 3, 26), i.EffectiveDate));
        Assert.All(instructions, i => Assert.Equal(facility.Mids, i.Mids));
        var status = await suite.Instructions.GetFacilityStatusAsync(new GetFacilityStatusRequest { Mid = facility.Mids[0] }, Treasury);
        Assert.False(status.LiquidationSuspended);
        Assert.Contains(status.ActiveOrders, o => o.Kind == OrderKind.Penalty);

        // Mexico hears of the panel and of the remedy in Spanish; Treasury is directed to apply it.
        var notices = await suite.NotifiedAsync(20, caseId: id);
        var toMexico = notices.Where(n => n.Role == RecipientRole.GovernmentOfMexico).Select(n => (n.EventType, n.Language)).ToList();
        Assert.Equal([("ReviewRequested", "es"), ("PanelRequested", "es"), ("PanelDetermined", "es"), ("RemedyImposed", "es")], toMexico);
        Assert.Contains(notices, n => n is { Role: RecipientRole.TreasuryCbp, Template: "remedy-direction", Status: NotificationStatus.Sent });
        Assert.Contains(notices, n => n is { Role: RecipientRole.LaborAdvisoryCommittee, EventType: "PanelDetermined" });
        Assert.Contains(suite.MailTo("liquidation@cbp.example"), m => m.GetProperty("text").GetString()!.Contains(facility.Mids[0])
                                                                       && m.GetProperty("headers").GetProperty("x-rrm-event").GetString() == "RemedyImposed");

        // The denial is remedied: the penalty ends on the feed, and nothing resumes what the remedy already ended.
        var lifted = (await cases.LiftRemedyAsync(new LiftRemedyRequest { CaseId = id, Act = On(2024, 6, 3) }, Officer)).Case;
        Assert.Equal(CaseState.RemediesLifted, lifted.State);
        var after = await suite.InstructionsAsync(id, 4);
        Assert.Equal(InstructionKind.RemedyLift, after[3].Kind);
        Assert.Equal(4, (await Eventually.StaysAsync(() => suite.InstructionsAsync(id, 4), list => list.Count == 4, TimeSpan.FromSeconds(2))).Count);
    }

    [Fact]
    public async Task An_insufficient_petition_opens_no_case_and_is_certified_to_both_committees_and_the_petitioner()
    {
        var (facility, petition, contact) = await suite.PetitionAsync(Plant("Planta Insuficiente"), D(2025, 3, 3));
        await suite.Petitions.RecordDeterminationAsync(new RecordDeterminationRequest
        {
            PetitionId = petition.PetitionId, Outcome = DeterminationOutcome.Insufficient, DeterminationDate = D(2025, 3, 28),
            Rationale = "The evidence does not show a denial of rights at a covered facility.",
        }, Analyst);

        var notices = await suite.NotifiedAsync(4, petitionId: petition.PetitionId);
        var certifications = notices.Where(n => n.Template == "insufficient-certification").Select(n => n.Role).ToList();
        Assert.Equal([RecipientRole.Petitioner, RecipientRole.SenateFinanceCommittee, RecipientRole.HouseWaysAndMeansCommittee], certifications);
        Assert.Single(suite.MailTo("trade@finance.senate.example"), m => m.GetProperty("text").GetString()!.Contains(facility.LegalName));
        Assert.Single(suite.MailTo("trade@waysandmeans.house.example"), m => m.GetProperty("text").GetString()!.Contains(facility.LegalName));
        Assert.Equal(2, suite.MailTo(contact).Count); // the acknowledgement and the certification
        Assert.Empty((await suite.Cases.ListCasesAsync(new ListCasesRequest { FacilityId = facility.FacilityId }, Officer)).Cases);
    }
}
