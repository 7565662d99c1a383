using MassTransit;
using Rrm.Contracts.Events;
using Rrm.Notification.Application;
using Rrm.Notification.Data;
using Rrm.ServiceDefaults.Messaging;

namespace Rrm.Notification.Messaging;

/// <summary>
/// Records an event and makes its notifications, once per message (the inbox). Registered closed over each of
/// <see cref="EventNotifiers.Events"/>, all on the one ordered queue notification-events (NotificationModule).
/// </summary>
internal sealed class EventNotifier<TEvent>(NotificationDbContext db, NotificationPlanner planner, ILogger<EventNotifier<TEvent>> logger)
    : IdempotentConsumer<TEvent, NotificationDbContext>(db, logger) where TEvent : class
{
    // The name each event's consumer had when each was a class of its own, so the inbox keeps recognising messages.
    protected override string Name => $"{typeof(TEvent).Name}Notifier";

    protected override Task HandleAsync(TEvent message, ConsumeContext<TEvent> context) =>
        planner.PlanAsync(typeof(TEvent).Name, context.MessageId!.Value, message, context.CancellationToken);
}

/// <summary>The contract events that can make notifications.</summary>
internal static class EventNotifiers
{
    public static readonly Type[] Events =
    [
        typeof(PetitionReceived), typeof(PetitionDetermined), typeof(PetitionWithdrawn),
        typeof(IlcReviewDeadlineApproaching), typeof(IlcReviewOverdue),
        typeof(CaseOpened), typeof(ReviewRequested), typeof(LiquidationSuspensionDirected), typeof(MexicoResponded),
        typeof(ReviewFindingsRecorded), typeof(RemediationPlanAgreed), typeof(CaseResolved),
        typeof(PanelRequested), typeof(PanelDetermined), typeof(RemedyImposed), typeof(RemedyLifted), typeof(CaseClosed),
        typeof(CaseDeadlineApproaching), typeof(CaseDeadlineMissed),
    ];

    /// <summary>The consumer of each of <see cref="Events"/>.</summary>
    public static IEnumerable<Type> Consumers => Events.Select(e => typeof(EventNotifier<>).MakeGenericType(e));
}
