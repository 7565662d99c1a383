using System.Text.Json;

namespace Rrm.ServiceDefaults.Deadlines;

/// <summary>
/// A durable deadline: a row the scheduler fires once when <see cref="DueAt"/> has passed, calling the
/// <see cref="IDeadlineHandler"/> registered for <see cref="Kind"/> in the same transaction that marks
/// it fired.
/// </summary>
public sealed class ScheduledDeadline
{
    public long Id { get; private set; }
    /// <summary>Unique business key, e.g. <c>petition:{id}:ilc-review-overdue</c>; scheduling the same key again moves it.</summary>
    public string Key { get; private set; } = "";
    public string Kind { get; private set; } = "";
    public DateTimeOffset DueAt { get; internal set; }
    public string? Payload { get; internal set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NextAttemptAt { get; internal set; }
    public DateTimeOffset? FiredAt { get; internal set; }
    public DateTimeOffset? CancelledAt { get; internal set; }
    public int Attempts { get; internal set; }
    public string? LastError { get; internal set; }

    // Stored as UTC: Postgres timestamptz takes no other offset, and callers compute local legal times.
    internal static ScheduledDeadline Create(string key, string kind, DateTimeOffset dueAt, object? payload, DateTimeOffset now) => new()
    {
        Key = key,
        Kind = kind,
        DueAt = dueAt.ToUniversalTime(),
        Payload = payload is null ? null : JsonSerializer.Serialize(payload, PayloadJson),
        CreatedAt = now,
        NextAttemptAt = dueAt.ToUniversalTime(),
    };

    public T ReadPayload<T>() =>
        JsonSerializer.Deserialize<T>(Payload ?? throw new InvalidOperationException($"Deadline {Key} has no payload."), PayloadJson)
        ?? throw new InvalidOperationException($"Deadline {Key} has an empty payload.");

    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);
}
