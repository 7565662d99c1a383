using Rrm.ServiceDefaults.Errors;

namespace Rrm.Petition.Domain;

public enum PetitionStatus { Received, UnderReview, Sufficient, Insufficient, Withdrawn }

public enum PetitionAct { BeginReview, FindSufficient, FindInsufficient, Withdraw }

/// <summary>
/// The one table of what may happen to a petition (STYLE.md §4). The ILC review deadline starts with
/// BeginReview and is cleared by every act that leaves review.
/// </summary>
public static class PetitionStateMachine
{
    public static readonly IReadOnlyDictionary<(PetitionStatus From, PetitionAct Act), PetitionStatus> Transitions =
        new Dictionary<(PetitionStatus, PetitionAct), PetitionStatus>
        {
            [(PetitionStatus.Received, PetitionAct.BeginReview)] = PetitionStatus.UnderReview,
            [(PetitionStatus.Received, PetitionAct.FindSufficient)] = PetitionStatus.Sufficient,
            [(PetitionStatus.Received, PetitionAct.FindInsufficient)] = PetitionStatus.Insufficient,
            [(PetitionStatus.Received, PetitionAct.Withdraw)] = PetitionStatus.Withdrawn,
            [(PetitionStatus.UnderReview, PetitionAct.FindSufficient)] = PetitionStatus.Sufficient,
            [(PetitionStatus.UnderReview, PetitionAct.FindInsufficient)] = PetitionStatus.Insufficient,
            [(PetitionStatus.UnderReview, PetitionAct.Withdraw)] = PetitionStatus.Withdrawn,
        };

    /// <summary>Acts that clear the ILC review deadline (and its reminders).</summary>
    public static readonly IReadOnlySet<PetitionAct> ClearsReviewDeadline =
        new HashSet<PetitionAct> { PetitionAct.FindSufficient, PetitionAct.FindInsufficient, PetitionAct.Withdraw };

    /// <summary>Acts that start the ILC review deadline.</summary>
    public static readonly IReadOnlySet<PetitionAct> StartsReviewDeadline = new HashSet<PetitionAct> { PetitionAct.BeginReview };

    public static bool IsTerminal(PetitionStatus status) => Allowed(status).Count == 0;

    public static IReadOnlyList<PetitionAct> Allowed(PetitionStatus status) =>
        Transitions.Keys.Where(k => k.From == status).Select(k => k.Act).ToList();

    public static PetitionStatus Next(PetitionStatus from, PetitionAct act) =>
        Transitions.TryGetValue((from, act), out var next)
            ? next
            : throw new InvalidStateTransitionException(
                $"A petition that is {Describe(from)} cannot be {Describe(act)}; allowed: " +
                (Allowed(from) is { Count: > 0 } allowed ? string.Join(", ", allowed.Select(Describe)) : "nothing (the petition is closed)") + ".");

    public static string Describe(PetitionStatus status) => status switch
    {
        PetitionStatus.Received => "received",
        PetitionStatus.UnderReview => "under ILC review",
        PetitionStatus.Sufficient => "determined sufficient",
        PetitionStatus.Insufficient => "determined insufficient",
        PetitionStatus.Withdrawn => "withdrawn",
        _ => status.ToString(),
    };

    public static string Describe(PetitionAct act) => act switch
    {
        PetitionAct.BeginReview => "put under review",
        PetitionAct.FindSufficient => "determined sufficient",
        PetitionAct.FindInsufficient => "determined insufficient",
        PetitionAct.Withdraw => "withdrawn",
        _ => act.ToString(),
    };
}
