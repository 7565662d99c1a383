namespace Rrm.ServiceDefaults.Messaging;

/// <summary>A message a consumer has handled, recorded in the same transaction as its effects.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; private set; }
    public string Consumer { get; private set; } = "";
    public DateTimeOffset ProcessedAt { get; private set; }
}
