using MassTransit;
using Rrm.Contracts.Events;
using Rrm.Notification.Application;
using Rrm.Notification.Data;
using Rrm.ServiceDefaults.Messaging;

namespace Rrm.Notification.Messaging;

/// <summary>Records an event and makes its notifications, once per message (the inbox).</summary>
internal abstract class EventNotifier<TEvent>(NotificationDbContext db, NotificationPlanner planner, ILogger logger)
    : IdempotentConsumer<TEvent, NotificationDbContext>(db, logger) where TEvent : class
{
    protected override Task HandleAsync(TEvent message, ConsumeContext<TEvent> context) =>
        planner.PlanAsync(typeof(TEvent).Name, context.MessageId!.Value, message, context.CancellationToken);
}

// One consumer class per event, so each gets a queue of its own (notification-<event>-notifier).
internal sealed class PetitionReceivedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<PetitionReceivedNotifier> logger) : EventNotifier<PetitionReceived>(db, planner, logger);
internal sealed class PetitionDeterminedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<PetitionDeterminedNotifier> logger) : EventNotifier<PetitionDetermined>(db, planner, logger);
internal sealed class PetitionWithdrawnNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<PetitionWithdrawnNotifier> logger) : EventNotifier<PetitionWithdrawn>(db, planner, logger);
internal sealed class IlcReviewDeadlineApproachingNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<IlcReviewDeadlineApproachingNotifier> logger) : EventNotifier<IlcReviewDeadlineApproaching>(db, planner, logger);
internal sealed class IlcReviewOverdueNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<IlcReviewOverdueNotifier> logger) : EventNotifier<IlcReviewOverdue>(db, planner, logger);
internal sealed class CaseOpenedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<CaseOpenedNotifier> logger) : EventNotifier<CaseOpened>(db, planner, logger);
internal sealed class ReviewRequestedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<ReviewRequestedNotifier> logger) : EventNotifier<ReviewRequested>(db, planner, logger);
internal sealed class LiquidationSuspensionDirectedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<LiquidationSuspensionDirectedNotifier> logger) : EventNotifier<LiquidationSuspensionDirected>(db, planner, logger);
internal sealed class MexicoRespondedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<MexicoRespondedNotifier> logger) : EventNotifier<MexicoResponded>(db, planner, logger);
internal sealed class ReviewFindingsRecordedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<ReviewFindingsRecordedNotifier> logger) : EventNotifier<ReviewFindingsRecorded>(db, planner, logger);
internal sealed class RemediationPlanAgreedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<RemediationPlanAgreedNotifier> logger) : EventNotifier<RemediationPlanAgreed>(db, planner, logger);
internal sealed class CaseResolvedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<CaseResolvedNotifier> logger) : EventNotifier<CaseResolved>(db, planner, logger);
internal sealed class PanelRequestedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<PanelRequestedNotifier> logger) : EventNotifier<PanelRequested>(db, planner, logger);
internal sealed class PanelDeterminedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<PanelDeterminedNotifier> logger) : EventNotifier<PanelDetermined>(db, planner, logger);
internal sealed class RemedyImposedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<RemedyImposedNotifier> logger) : EventNotifier<RemedyImposed>(db, planner, logger);
internal sealed class RemedyLiftedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<RemedyLiftedNotifier> logger) : EventNotifier<RemedyLifted>(db, planner, logger);
internal sealed class CaseClosedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<CaseClosedNotifier> logger) : EventNotifier<CaseClosed>(db, planner, logger);
internal sealed class CaseDeadlineApproachingNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<CaseDeadlineApproachingNotifier> logger) : EventNotifier<CaseDeadlineApproaching>(db, planner, logger);
internal sealed class CaseDeadlineMissedNotifier(NotificationDbContext db, NotificationPlanner planner, ILogger<CaseDeadlineMissedNotifier> logger) : EventNotifier<CaseDeadlineMissed>(db, planner, logger);
