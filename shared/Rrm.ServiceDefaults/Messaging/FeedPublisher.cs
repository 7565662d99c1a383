using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using Rrm.ServiceDefaults.Configuration;

namespace Rrm.ServiceDefaults.Messaging;

/// <summary>
/// Publishes feed messages (outbox rows with an exchange) to durable topic exchanges for consumers
/// outside the suite: the body exactly as stored, no MassTransit envelope, persistent, with the row's
/// message id and headers, and waits for the broker's confirm. One connection and channel, opened on first
/// use and again after any failure.
/// </summary>
public sealed class FeedPublisher(IOptions<ConnectionStringOptions> connections, ILogger<FeedPublisher> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _declared = [];
    private IConnection? _connection;
    private IChannel? _channel;

    /// <summary>Declares <paramref name="exchange"/> (durable topic) so consumers can bind before the first message.</summary>
    public async Task DeclareAsync(string exchange, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try { await ChannelFor(exchange, cancellationToken); }
        catch { await ResetAsync(); throw; }
        finally { _gate.Release(); }
    }

    internal async Task PublishAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var channel = await ChannelFor(row.Exchange!, cancellationToken);
            var properties = new BasicProperties
            {
                MessageId = row.MessageId.ToString(),
                ContentType = "application/json",
                Type = row.Type,
                Persistent = true,
                Timestamp = new AmqpTimestamp(row.CreatedAt.ToUnixTimeSeconds()),
                Headers = row.ReadHeaders().ToDictionary(h => h.Key, h => (object?)h.Value),
            };
            if (row.TraceParent is not null) properties.Headers["traceparent"] = row.TraceParent;
            // With confirmation tracking on, this returns once the broker confirmed, and throws on a nack.
            await channel.BasicPublishAsync(row.Exchange!, row.RoutingKey ?? "", mandatory: false, properties, System.Text.Encoding.UTF8.GetBytes(row.Body ?? row.Payload), cancellationToken);
        }
        catch
        {
            await ResetAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IChannel> ChannelFor(string exchange, CancellationToken cancellationToken)
    {
        if (_channel is not { IsOpen: true })
        {
            await ResetAsync();
            var factory = new ConnectionFactory { Uri = new Uri(connections.Value.RabbitMq), ClientProvidedName = "rrm-feed" };
            _connection = await factory.CreateConnectionAsync(cancellationToken);
            _channel = await _connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            _declared.Clear();
        }
        if (_declared.Add(exchange))
            await _channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        return _channel;
    }

    private async Task ResetAsync()
    {
        try
        {
            if (_channel is not null) await _channel.DisposeAsync();
            if (_connection is not null) await _connection.DisposeAsync();
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Closing the feed connection failed");
        }
        _channel = null;
        _connection = null;
        _declared.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await ResetAsync();
        _gate.Dispose();
    }
}
