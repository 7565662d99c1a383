namespace Rrm.Notification.Domain;

/// <summary>A domain event the service has heard of; notifications to send are derived from these.</summary>
public sealed class ReceivedEvent
{
    public long Id { get; private set; }
    public Guid MessageId { get; private set; }
    public string EventType { get; private set; } = "";
    public Guid? PetitionId { get; private set; }
    public string Summary { get; private set; } = "";
    public DateTimeOffset ReceivedAt { get; private set; }

    private ReceivedEvent() { }

    public static ReceivedEvent Record(Guid messageId, string eventType, Guid? petitionId, string summary, DateTimeOffset now) => new()
    {
        MessageId = messageId,
        EventType = eventType,
        PetitionId = petitionId,
        Summary = summary,
        ReceivedAt = now,
    };
}
