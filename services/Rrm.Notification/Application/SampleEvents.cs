using System.Text.Json;
using Rrm.Contracts.Events;

namespace Rrm.Notification.Application;

/// <summary>The Impro Mexico case of 2024 as events, for PreviewNotification without an event of one's own.</summary>
internal static class SampleEvents
{
    private static readonly Guid PetitionId = Guid.Parse("01a20770-01b6-75d3-b83e-c8d6c1491143");

    public static readonly FacilitySnapshot Facility = new()
    {
        FacilityId = Guid.Parse("01a2076f-ff05-758e-be63-d9510c620420"),
        LegalName = "Impro Industries Mexico, S. de R.L. de C.V.",
        CommonName = "Impro Mexico facility",
        StreetAddress = "Carretera 57 km 1250",
        City = "Villa de Reyes",
        StateCode = "SLP",
        StateName = "San Luis Potosí",
        Sector = "manufacturing",
        Subsector = "component parts (energy, medical, automotive, agricultural)",
        Owner = "Impro Industries",
        ApproximateWorkers = 0,
        Mids = ["MXIMPIND1250VIL"],
    };

    public static readonly CaseRef Case = new()
    {
        CaseId = Guid.Parse("01a207a5-72aa-77a3-a431-1988a8f002e0"),
        PetitionId = PetitionId,
        Origin = "petition",
        InvocationNumber = 25,
        InvocationNumberInYear = 7,
        InvocationYear = 2024,
        Facility = Facility,
        LiquidationSuspended = true,
        Replayed = false,
    };

    private static readonly Dictionary<string, object> Samples = new object[]
    {
        new PetitionReceived
        {
            PetitionId = PetitionId, FacilityId = Facility.FacilityId, FacilityName = Facility.LegalName, FacilityStateCode = "SLP", Language = "es",
            ReceivedDate = new DateOnly(2024, 6, 24), ReviewDueDate = new DateOnly(2024, 7, 24), PetitionerContactable = true,
        },
        new PetitionDetermined
        {
            PetitionId = PetitionId, Outcome = "sufficient", DeterminationDate = new DateOnly(2024, 7, 24), ReceivedDate = new DateOnly(2024, 6, 24),
            ReviewDueDate = new DateOnly(2024, 7, 24), Timely = true, Rationale = "Sufficient, credible evidence of a denial of rights.",
            Language = "es", PetitionerContactable = true, Facility = Facility,
        },
        new ReviewRequested
        {
            Case = Case, RequestDate = new DateOnly(2024, 7, 26), SuspendLiquidation = true, AnswerDueDate = new DateOnly(2024, 8, 5),
            ReviewDueDate = new DateOnly(2024, 9, 9),
        },
        new LiquidationSuspensionDirected
        {
            Case = Case, EffectiveDate = new DateOnly(2024, 7, 29),
        },
        new RemediationPlanAgreed
        {
            Case = Case, AgreedDate = new DateOnly(2024, 8, 30), CompletionDate = new DateOnly(2024, 9, 16),
            Actions = ["Reinstate the dismissed worker with back pay", "Publish a neutrality statement", "Train managers on freedom of association"],
        },
        new PanelRequested { Case = Case, RequestDate = new DateOnly(2024, 10, 1), PanelCaseNumber = "MEX-USA-2024-31A-09" },
        new PanelDetermined
        {
            Case = Case, DeterminationDate = new DateOnly(2024, 12, 2), DenialFound = true, RemediesAvailableFrom = new DateOnly(2024, 12, 9),
        },
        new CaseClosed
        {
            Case = Case with { LiquidationSuspended = false }, ClosedDate = new DateOnly(2024, 10, 15), FinalState = "closed_other",
            Reason = "The facility closed.", LiquidationResumes = true,
        },
        new CaseResolved
        {
            Case = Case with { LiquidationSuspended = false }, ResolutionDate = new DateOnly(2024, 9, 17), LiquidationResumes = true,
            Summary = "Dismissed worker reinstated with back pay; neutrality statement; trainings.",
        },
    }.ToDictionary(e => e.GetType().Name);

    public static IEnumerable<string> Types => Samples.Keys;

    public static string? Json(string eventType) =>
        Samples.TryGetValue(eventType, out var sample) ? JsonSerializer.Serialize(sample, sample.GetType(), NotificationPlanner.EventJson) : null;
}
