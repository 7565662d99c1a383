namespace Rrm.Notification.Domain;

/// <summary>An event the service heard of, kept with its payload: the notifications it made are derived from it.</summary>
public sealed class ReceivedEvent
{
    public long Id { get; private set; }
    public Guid MessageId { get; private set; }
    public string EventType { get; private set; } = "";
    public Guid? CaseId { get; private set; }
    public Guid? PetitionId { get; private set; }
    public string Summary { get; private set; } = "";
    /// <summary>The event as JSON. Events never carry petitioner identity.</summary>
    public string Payload { get; private set; } = "{}";
    /// <summary>Replayed from an imported history: recorded, notified to nobody.</summary>
    public bool Replayed { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }

    private ReceivedEvent() { }

    public static ReceivedEvent Record(Guid messageId, string eventType, Guid? caseId, Guid? petitionId, string summary, string payload,
        bool replayed, DateTimeOffset now) => new()
    {
        MessageId = messageId,
        EventType = eventType,
        CaseId = caseId,
        PetitionId = petitionId,
        Summary = summary,
        Payload = payload,
        Replayed = replayed,
        ReceivedAt = now,
    };
}
