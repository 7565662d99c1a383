namespace Rrm.Contracts.Events;

/// <summary>
/// The integration events by their stable wire name. The outbox stores this name, never a CLR
/// assembly-qualified name, so moving code cannot orphan stored rows. Append only.
/// </summary>
public static class EventCatalog
{
    private static readonly Dictionary<string, Type> ByName = new(StringComparer.Ordinal)
    {
        [nameof(PetitionReceived)] = typeof(PetitionReceived),
        [nameof(PetitionDetermined)] = typeof(PetitionDetermined),
        [nameof(PetitionWithdrawn)] = typeof(PetitionWithdrawn),
        [nameof(IlcReviewDeadlineApproaching)] = typeof(IlcReviewDeadlineApproaching),
        [nameof(IlcReviewOverdue)] = typeof(IlcReviewOverdue),
        [nameof(CaseOpened)] = typeof(CaseOpened),
        [nameof(ReviewRequested)] = typeof(ReviewRequested),
        [nameof(MexicoResponded)] = typeof(MexicoResponded),
        [nameof(ReviewFindingsRecorded)] = typeof(ReviewFindingsRecorded),
        [nameof(RemediationPlanAgreed)] = typeof(RemediationPlanAgreed),
        [nameof(CaseResolved)] = typeof(CaseResolved),
        [nameof(PanelRequested)] = typeof(PanelRequested),
        [nameof(PanelDetermined)] = typeof(PanelDetermined),
        [nameof(RemedyImposed)] = typeof(RemedyImposed),
        [nameof(RemedyLifted)] = typeof(RemedyLifted),
        [nameof(CaseClosed)] = typeof(CaseClosed),
        [nameof(CaseDeadlineApproaching)] = typeof(CaseDeadlineApproaching),
        [nameof(CaseDeadlineMissed)] = typeof(CaseDeadlineMissed),
        [nameof(LiquidationSuspensionDirected)] = typeof(LiquidationSuspensionDirected),
        [nameof(FacilityMidAdded)] = typeof(FacilityMidAdded),
        [nameof(CaseHistoryImported)] = typeof(CaseHistoryImported),
    };

    private static readonly Dictionary<Type, string> ByType = ByName.ToDictionary(p => p.Value, p => p.Key);

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static Type TypeOf(string name) =>
        ByName.TryGetValue(name, out var type)
            ? type
            : throw new KeyNotFoundException($"Unknown event name '{name}': add it to {nameof(EventCatalog)}.");

    public static string NameOf(Type type) =>
        ByType.TryGetValue(type, out var name)
            ? name
            : throw new KeyNotFoundException($"Event type {type.FullName} is not in {nameof(EventCatalog)}.");
}
