using Rrm.Testing;

namespace Rrm.ServiceDefaults.Tests;

/// <summary>Messaging:QuorumQueues, as production sets it for a RabbitMQ cluster.</summary>
public sealed class QueueTypeTests
{
    [Theory]
    [InlineData(null, "classic")]
    [InlineData("true", "quorum")]
    public async Task Consumer_queues_are_quorum_queues_when_configured_and_still_deliver(string? quorum, string type)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var vhost = await TestVirtualHost.CreateAsync();
        await TestDbContext.CreateSchemaAsync(database.ConnectionString);
        var marker = $"queue-type-{Guid.NewGuid():N}";

        await using (var host = await StartedHost.StartAsync(MessagingHost.Build(database.ConnectionString, vhost.AmqpUri, consume: true,
                         settings: new Dictionary<string, string?> { ["Messaging:QuorumQueues"] = quorum }), waitForBus: true))
        {
            await using (var db = TestDbContext.Open(database.ConnectionString))
            {
                db.AddEvent(MessagingHost.Event(marker));
                await db.SaveChangesAsync();
            }
            await Eventually.GetAsync(() => Task.FromResult(RecordingConsumer.CountFor(marker)), n => n == 1, what: "the delivery");
        }

        var queues = await vhost.QueuesAsync();
        Assert.Equal(type, queues["machinery-test-recording"].Type);
    }

    [Fact]
    public async Task An_ordered_queue_has_one_active_consumer_among_the_replicas()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var vhost = await TestVirtualHost.CreateAsync();
        await TestDbContext.CreateSchemaAsync(database.ConnectionString);

        await using (await StartedHost.StartAsync(MessagingHost.Build(database.ConnectionString, vhost.AmqpUri, consume: true, inOrder: true), waitForBus: true)) { }

        var queue = (await vhost.QueuesAsync())[MessagingHost.OrderedQueue];
        Assert.True(queue.Arguments["x-single-active-consumer"].GetBoolean());
    }
}
