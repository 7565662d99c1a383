using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Rrm.Contracts.Events;

namespace Rrm.ServiceDefaults.Messaging;

/// <summary>
/// A message waiting to be published, written in the same transaction as the state change that caused
/// it. The relay publishes it and stamps <see cref="ProcessedAt"/>. Most are integration events, published
/// through MassTransit; a feed message (<see cref="Exchange"/> set) goes as its exact body to a topic
/// exchange for consumers outside the suite.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; private set; }
    /// <summary>The broker message id; consumers de-duplicate on it.</summary>
    public Guid MessageId { get; private set; }
    /// <summary>The event's wire name in <see cref="EventCatalog"/>, or a feed message's schema name.</summary>
    public string Type { get; private set; } = "";
    public string Payload { get; private set; } = "";
    /// <summary>W3C traceparent of the request that wrote the row, so the trace crosses the relay.</summary>
    public string? TraceParent { get; private set; }
    /// <summary>A feed message's topic exchange; null for an integration event.</summary>
    public string? Exchange { get; private set; }
    public string? RoutingKey { get; private set; }
    /// <summary>A feed message's AMQP headers, as a JSON object of strings.</summary>
    public string? Headers { get; private set; }
    /// <summary>A feed message's body exactly as it goes out (<see cref="Payload"/>, jsonb, does not keep key order).</summary>
    public string? Body { get; private set; }
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

    /// <summary>A feed message: <paramref name="body"/> goes to <paramref name="exchange"/> exactly as given (it must be JSON).</summary>
    public static OutboxMessage ForFeed(Guid messageId, string exchange, string routingKey, string schema, string body,
        IReadOnlyDictionary<string, string> headers, DateTimeOffset now) => new()
    {
        MessageId = messageId,
        Type = schema,
        Payload = body,
        Body = body,
        Exchange = exchange,
        RoutingKey = routingKey,
        Headers = JsonSerializer.Serialize(headers),
        TraceParent = Activity.Current?.Id,
        CreatedAt = now,
        NextAttemptAt = now,
    };

    internal IReadOnlyDictionary<string, string> ReadHeaders() =>
        Headers is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(Headers)!;

    internal object Deserialize() =>
        JsonSerializer.Deserialize(Payload, EventCatalog.TypeOf(Type), Json)
        ?? throw new InvalidOperationException($"Outbox row {Id} has an empty payload.");
}
