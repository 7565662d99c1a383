using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rrm.Contracts.Events;
using Rrm.Notification.Data;
using Rrm.Testing;

namespace Rrm.Notification.Tests;

public sealed class InboxTests(NotificationFixture fixture) : IClassFixture<NotificationFixture>
{
    private static PetitionReceived Received(Guid petitionId) => new()
    {
        PetitionId = petitionId,
        FacilityName = "Impro Industries Mexico, S. de R.L. de C.V.",
        Language = "es",
        ReceivedDate = new DateOnly(2024, 6, 24),
        ReviewDueDate = new DateOnly(2024, 7, 24),
    };

    private Task<long> RecordedAsync(Guid petitionId) =>
        fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM notification.received_events WHERE petition_id = '{petitionId}'");

    [Fact]
    public async Task The_same_message_delivered_twice_has_its_effect_once()
    {
        var bus = fixture.Service.Services.GetRequiredService<IBus>();
        var petitionId = Guid.NewGuid();
        var messageId = NewId.NextGuid();

        await bus.Publish(Received(petitionId), c => c.MessageId = messageId);
        await Eventually.GetAsync(() => RecordedAsync(petitionId), n => n >= 1, what: "the first delivery to be recorded");
        await bus.Publish(Received(petitionId), c => c.MessageId = messageId);
        await Eventually.GetAsync(
            () => fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM notification.inbox_messages WHERE message_id = '{messageId}'"),
            n => n >= 1, what: "the inbox row");
        await Task.Delay(1000); // the redelivery has been consumed (or is being): give it time to do harm

        Assert.Equal(1, await RecordedAsync(petitionId));
    }

    [Fact]
    public async Task Concurrent_duplicates_have_their_effect_once()
    {
        var bus = fixture.Service.Services.GetRequiredService<IBus>();
        var petitionId = Guid.NewGuid();
        var messageId = NewId.NextGuid();

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => bus.Publish(Received(petitionId), c => c.MessageId = messageId)));
        await Eventually.GetAsync(() => RecordedAsync(petitionId), n => n >= 1, what: "a delivery to be recorded");
        await Task.Delay(1500);

        Assert.Equal(1, await RecordedAsync(petitionId));
    }

    [Fact]
    public async Task Different_messages_about_the_same_petition_are_each_recorded()
    {
        var bus = fixture.Service.Services.GetRequiredService<IBus>();
        var petitionId = Guid.NewGuid();

        await bus.Publish(Received(petitionId));
        await bus.Publish(Received(petitionId));

        Assert.Equal(2, await Eventually.GetAsync(() => RecordedAsync(petitionId), n => n >= 2, what: "two records"));
    }
}
