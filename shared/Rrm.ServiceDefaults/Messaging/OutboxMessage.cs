using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Rrm.Contracts.Events;

namespace Rrm.ServiceDefaults.Messaging;

/// <summary>
/// An integration event waiting to be published, written in the same transaction as the state change
/// that caused it. The relay publishes it and stamps <see cref="ProcessedAt"/>.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; private set; }
    /// <summary>The broker message id; consumers de-duplicate on it.</summary>
    public Guid MessageId { get; private set; }
    /// <summary>The event's wire name in <see cref="EventCatalog"/>.</summary>
    public string Type { get; private set; } = "";
    public string Payload { get; private set; } = "";
    /// <summary>W3C traceparent of the request that wrote the row, so the trace crosses the relay.</summary>
    public string? TraceParent { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NextAttemptAt { get; internal set; }
    public DateTimeOffset? ProcessedAt { get; internal set; }
    public int Attempts { get; internal set; }
    public string? LastError { get; internal set; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static OutboxMessage For(object @event, DateTimeOffset now) => new()
    {
        MessageId = NewId.NextGuid(),
        Type = EventCatalog.NameOf(@event.GetType()),
        Payload = JsonSerializer.Serialize(@event, @event.GetType(), Json),
        TraceParent = Activity.Current?.Id,
        CreatedAt = now,
        NextAttemptAt = now,
    };

    internal object Deserialize() =>
        JsonSerializer.Deserialize(Payload, EventCatalog.TypeOf(Type), Json)
        ?? throw new InvalidOperationException($"Outbox row {Id} has an empty payload.");
}
