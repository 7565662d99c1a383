using MassTransit;
using Rrm.Contracts.Events;
using Rrm.Notification.Data;
using Rrm.Notification.Domain;
using Rrm.ServiceDefaults.Messaging;

namespace Rrm.Notification.Messaging;

/// <summary>Records that a petition arrived (the petitioner's acknowledgement is derived from it).</summary>
internal sealed class PetitionReceivedConsumer(NotificationDbContext db, TimeProvider clock, ILogger<PetitionReceivedConsumer> logger)
    : IdempotentConsumer<PetitionReceived, NotificationDbContext>(db, logger)
{
    protected override Task HandleAsync(PetitionReceived message, ConsumeContext<PetitionReceived> context)
    {
        Db.ReceivedEvents.Add(ReceivedEvent.Record(context.MessageId!.Value, nameof(PetitionReceived), message.PetitionId,
            $"Petition about {message.FacilityName} received {message.ReceivedDate:yyyy-MM-dd}; ILC review due {message.ReviewDueDate:yyyy-MM-dd}",
            clock.GetUtcNow()));
        logger.LogInformation("Recorded {EventType} for petition {PetitionId}", nameof(PetitionReceived), message.PetitionId);
        return Task.CompletedTask;
    }
}
