using Rrm.Board.Calls;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;

namespace Rrm.Board.Components.CaseParts;

/// <summary>
/// The reads of the case page, each made as the signed-in user: a part the services refuse (or cannot give now)
/// comes back as the problem the page shows in its place.
/// </summary>
public static class CaseReads
{
    public static async Task<(Case? Case, CallProblem? Problem)> CaseAsync(Suite suite, string caseId, CancellationToken ct)
    {
        var (reply, problem) = await suite.ReadAsync(o => suite.Cases.GetCaseAsync(new GetCaseRequest { CaseId = caseId }, o), "the case", ct);
        return (reply?.Case, problem);
    }

    /// <summary>The petition with what the Petition service returns to this user (the petitioner to the ILC only).</summary>
    public static async Task<(Petition? Petition, CallProblem? Problem)> PetitionAsync(Suite suite, string petitionId, CancellationToken ct)
    {
        var (reply, problem) = await suite.ReadAsync(o => suite.Petitions.GetPetitionAsync(new GetPetitionRequest { PetitionId = petitionId }, o), "the petition", ct);
        return (reply?.Petition, problem);
    }

    /// <summary>The case's customs instructions in sequence order (a case has a handful: suspension, resumption, remedies).</summary>
    public static async Task<(List<CustomsInstruction>? Instructions, CallProblem? Problem)> InstructionsAsync(Suite suite, string caseId, CancellationToken ct)
    {
        var (reply, problem) = await suite.ReadAsync(o => suite.Liquidation.ListInstructionsAsync(new ListInstructionsRequest { CaseId = caseId, PageSize = 1000 }, o), "the customs instructions", ct);
        return (reply?.Instructions.ToList(), problem);
    }

    /// <summary>The case's notifications, oldest first (the first 500: a case makes a few dozen).</summary>
    public static async Task<(List<Notification>? Notifications, CallProblem? Problem)> NotificationsAsync(Suite suite, string caseId, CancellationToken ct)
    {
        var (reply, problem) = await suite.ReadAsync(o => suite.Notifications.ListNotificationsAsync(new ListNotificationsRequest { CaseId = caseId, PageSize = 500 }, o), "the notifications", ct);
        return (reply?.Notifications.ToList(), problem);
    }
}
