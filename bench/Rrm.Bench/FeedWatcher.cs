using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Rrm.Bench;

/// <summary>A customs-system consumer of the instruction feed that notes when each case's instruction arrives.</summary>
internal sealed class FeedWatcher : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, long> _arrived = new();
    private IConnection _connection = null!;
    private IChannel _channel = null!;

    /// <summary>Watches the feed of the running suite, or of the broker at <paramref name="amqp"/> (a <see cref="PrivateSuite"/>'s).</summary>
    public static async Task<FeedWatcher> StartAsync(Bench bench, string routingKey, CancellationToken ct, string? amqp = null)
    {
        var watcher = new FeedWatcher { _connection = await new ConnectionFactory { Uri = new Uri(amqp ?? bench.Amqp) }.CreateConnectionAsync(ct) };
        watcher._channel = await watcher._connection.CreateChannelAsync(cancellationToken: ct);
        var queue = (await watcher._channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: ct)).QueueName;
        await watcher._channel.QueueBindAsync(queue, "rrm.customs.instructions", routingKey, cancellationToken: ct);
        var consumer = new AsyncEventingBasicConsumer(watcher._channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            using var body = JsonDocument.Parse(Encoding.UTF8.GetString(delivery.Body.Span));
            watcher._arrived.TryAdd(body.RootElement.GetProperty("caseId").GetString()!, Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        };
        await watcher._channel.BasicConsumeAsync(queue, autoAck: true, consumer, ct);
        return watcher;
    }

    /// <summary>Milliseconds from <paramref name="since"/> (a Stopwatch timestamp) to the case's instruction.</summary>
    public async Task<double> MillisecondsUntilAsync(string caseId, long since, CancellationToken ct)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        long at;
        while (!_arrived.TryGetValue(caseId, out at))
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"No instruction for case {caseId} within 60 s.");
            await Task.Delay(1, ct);
        }
        return Stopwatch.GetElapsedTime(since, at).TotalMilliseconds;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
