using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Rrm.Chaos.Tests;

/// <summary>
/// The customs system's durable queue on the instruction feed (docs/customs-feed.md), bound before the run and
/// read at its end, so it holds whatever the feed delivered, across broker restarts.
/// </summary>
public sealed class FeedQueue : IAsyncDisposable
{
    private const string Exchange = "rrm.customs.instructions";
    private readonly string _uri;
    private readonly string _queue = "chaos-customs-" + Guid.NewGuid().ToString("N")[..8];

    private FeedQueue(string uri) => _uri = uri;

    public static async Task<FeedQueue> BindAsync(string amqpUri)
    {
        var feed = new FeedQueue(amqpUri);
        await using var connection = await feed.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(feed._queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(feed._queue, Exchange, "#");
        return feed;
    }

    /// <summary>One delivered feed message.</summary>
    public sealed record Delivery(string InstructionId, long Sequence, string CaseId, string Kind);

    /// <summary>Takes every message now in the queue.</summary>
    public async Task<List<Delivery>> DrainAsync()
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var deliveries = new List<Delivery>();
        while (await channel.BasicGetAsync(_queue, autoAck: true) is { } message)
        {
            using var body = JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.Span));
            var root = body.RootElement;
            deliveries.Add(new Delivery(root.GetProperty("instructionId").GetString()!, long.Parse(root.GetProperty("sequence").GetString()!),
                root.TryGetProperty("caseId", out var c) ? c.GetString() ?? "" : "", root.GetProperty("kind").GetString()!));
        }
        return deliveries;
    }

    private Task<IConnection> ConnectAsync() => new ConnectionFactory { Uri = new Uri(_uri) }.CreateConnectionAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var connection = await ConnectAsync();
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(_queue);
        }
        catch (Exception) { } // the virtual host goes with the stack anyway
    }
}
