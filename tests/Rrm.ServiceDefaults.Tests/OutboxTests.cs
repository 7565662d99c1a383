using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Rrm.Testing;

namespace Rrm.ServiceDefaults.Tests;

public sealed class OutboxTests(InfrastructureFixture infra) : IClassFixture<InfrastructureFixture>
{
    private static string Marker() => "outbox-" + Guid.NewGuid().ToString("N");

    private async Task CommitEventsAsync(string marker, int count = 1)
    {
        await using var db = TestDbContext.Open(infra.Database.ConnectionString);
        for (var i = 0; i < count; i++) db.AddEvent(MessagingHost.Event(marker));
        await db.SaveChangesAsync();
    }

    private Task<int> DeliveredAsync(string marker, int expected) =>
        Eventually.GetAsync(() => Task.FromResult(RecordingConsumer.CountFor(marker)), n => n >= expected,
            what: $"{expected} deliveries of {marker}");

    [Fact]
    public async Task A_committed_event_is_delivered_once()
    {
        await using var host = await infra.StartAsync(consume: true);
        var marker = Marker();

        await CommitEventsAsync(marker);

        Assert.Equal(1, await DeliveredAsync(marker, 1));
        await Task.Delay(500);
        Assert.Equal(1, RecordingConsumer.CountFor(marker));
    }

    [Fact]
    public async Task A_rolled_back_transaction_publishes_nothing()
    {
        await using var host = await infra.StartAsync(consume: true);
        var marker = Marker();

        await using (var db = TestDbContext.Open(infra.Database.ConnectionString))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.AddEvent(MessagingHost.Event(marker));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }
        var control = Marker();
        await CommitEventsAsync(control);
        await DeliveredAsync(control, 1);

        Assert.Equal(0, await Eventually.StaysAsync(() => Task.FromResult(RecordingConsumer.CountFor(marker)), n => n == 0, TimeSpan.FromSeconds(1)));
        Assert.Equal(0, await infra.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM machinery.outbox_messages WHERE payload->>'facilityName' = '{marker}'"));
    }

    [Fact]
    public async Task An_event_committed_while_no_relay_runs_is_delivered_when_one_starts()
    {
        // The state a relay killed between commit and publish leaves behind: a committed, unpublished row.
        var marker = Marker();
        await using (await infra.StartAsync()) { }
        await CommitEventsAsync(marker);
        Assert.Equal(0, RecordingConsumer.CountFor(marker));

        await using var restarted = await infra.StartAsync(consume: true);

        Assert.Equal(1, await DeliveredAsync(marker, 1));
    }

    [Fact]
    public async Task Two_relays_over_one_table_deliver_each_message_once()
    {
        const int count = 200;
        var marker = Marker();
        await CommitEventsAsync(marker, count);
        var starting = new[] { infra.StartAsync(consume: true), infra.StartAsync() };
        await using var consumerAndRelay = await starting[0];
        await using var secondRelay = await starting[1];

        await DeliveredAsync(marker, count);
        await Task.Delay(1000);
        var deliveries = RecordingConsumer.Deliveries.Where(d => d.Message.FacilityName == marker).ToList();
        Assert.Equal(count, deliveries.Count);
        Assert.Equal(count, deliveries.Select(d => d.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task While_the_broker_is_unreachable_events_wait_in_the_outbox_and_nothing_is_lost()
    {
        var marker = Marker();
        var unreachable = $"amqp://rrm:rrm@127.0.0.1:1/{infra.VirtualHost.Name}";
        await using (await StartedHost.StartAsync(MessagingHost.Build(infra.Database.ConnectionString, unreachable), waitForBus: false))
        {
            await CommitEventsAsync(marker);
            var attempts = await Eventually.GetAsync(
                () => infra.Database.ScalarAsync<int>($"SELECT attempts FROM machinery.outbox_messages WHERE payload->>'facilityName' = '{marker}'"),
                n => n >= 1, what: "a failed publish attempt");
            Assert.True(attempts >= 1);
        }
        await infra.Database.ScalarAsync<int>(
            $"UPDATE machinery.outbox_messages SET next_attempt_at = now() WHERE payload->>'facilityName' = '{marker}' RETURNING 1");

        await using var reconnected = await infra.StartAsync(consume: true);

        Assert.Equal(1, await DeliveredAsync(marker, 1));
    }
}
