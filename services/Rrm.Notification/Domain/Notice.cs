namespace Rrm.Notification.Domain;

public enum NoticeStatus
{
    /// <summary>Waiting for its first attempt or for its next one (see NextAttemptAt).</summary>
    Pending,
    /// <summary>An attempt is under way (claimed until LeaseUntil).</summary>
    Sending,
    Sent,
    /// <summary>The last attempt failed; another will be made at NextAttemptAt.</summary>
    Failed,
    /// <summary>Failed as many times as allowed; RetryNotification brings it back.</summary>
    Dead,
}

/// <summary>
/// One notification: one event to one recipient, rendered once, delivered with retries. Unique per
/// (event, recipient), so a redelivered event sends nothing twice.
/// </summary>
public sealed class Notice
{
    public Guid Id { get; private set; }
    /// <summary>The broker message id of the event it comes from.</summary>
    public Guid EventId { get; private set; }
    public string EventType { get; private set; } = "";
    public Guid? CaseId { get; private set; }
    public Guid? PetitionId { get; private set; }
    public RecipientRole Role { get; private set; }
    /// <summary>The directory entry; null for a petitioner (whose address is looked up from the petition when sending).</summary>
    public Guid? RecipientId { get; private set; }
    /// <summary>Unique with the event: the recipient's id, or "petitioner:{petition id}".</summary>
    public string RecipientKey { get; private set; } = "";
    public Channel Channel { get; private set; }
    /// <summary>Empty for a petitioner: never stored, looked up at each attempt.</summary>
    public string Address { get; private set; } = "";
    public string Language { get; private set; } = "en";
    public string Template { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string Body { get; private set; } = "";
    public NoticeStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? LeaseUntil { get; private set; }
    public string LastError { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    /// <summary>Position among the notices of its event (the order of the rules): with <see cref="CreatedAt"/>, the order of sending and listing.</summary>
    public int Position { get; private set; }

    private Notice() { }

    public static Notice Create(Guid eventId, string eventType, Guid? caseId, Guid? petitionId, int position, RecipientRole role,
        Recipient? recipient, Guid? petitioner, string language, string template, string subject, string body, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        EventId = eventId,
        EventType = eventType,
        CaseId = caseId,
        PetitionId = petitionId,
        Position = position,
        Role = role,
        RecipientId = recipient?.Id,
        RecipientKey = recipient?.Id.ToString() ?? $"petitioner:{petitioner}",
        Channel = recipient?.Channel ?? Channel.Email,
        Address = recipient?.Address ?? "",
        Language = language,
        Template = template,
        Subject = subject,
        Body = body,
        Status = NoticeStatus.Pending,
        NextAttemptAt = now,
        CreatedAt = now,
    };

    public bool IsForPetitioner => RecipientId is null;

    /// <summary>Claims the notice for one attempt until <paramref name="leaseUntil"/> (a crashed sender's claim expires).</summary>
    public void Claim(DateTimeOffset leaseUntil)
    {
        Status = NoticeStatus.Sending;
        Attempts++;
        LeaseUntil = leaseUntil;
    }

    public void MarkSent(DateTimeOffset now)
    {
        Status = NoticeStatus.Sent;
        SentAt = now;
        LeaseUntil = null;
        LastError = "";
    }

    /// <summary>Records a failed attempt: retried at <paramref name="nextAttempt"/>, or dead after <paramref name="maxAttempts"/>.</summary>
    public void MarkFailed(string error, int maxAttempts, DateTimeOffset nextAttempt)
    {
        LastError = error.Length > 2000 ? error[..2000] : error;
        LeaseUntil = null;
        Status = Attempts >= maxAttempts ? NoticeStatus.Dead : NoticeStatus.Failed;
        NextAttemptAt = nextAttempt;
    }

    /// <summary>Brings a dead (or failed) notice back for another round of attempts.</summary>
    public void Retry(DateTimeOffset now)
    {
        if (Status is not (NoticeStatus.Dead or NoticeStatus.Failed))
            throw new Rrm.ServiceDefaults.Errors.InvalidStateTransitionException(
                $"Notification {Id} is {Status.ToString().ToLowerInvariant()}: only a dead or failed notification can be retried.");
        Status = NoticeStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
    }
}

/// <summary>A petition the service heard of: whether its petitioner can be written to, and in which language.</summary>
public sealed class KnownPetition
{
    public Guid PetitionId { get; set; }
    public bool Contactable { get; set; }
    public string Language { get; set; } = "en";
}
