using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

/// <summary>The Petition service with a clock the tests move; the scheduler and the API both read it.</summary>
public sealed class ControlledClockFixture : PetitionFixture
{
    public ManualClock Clock { get; } = new(DateTimeOffset.Parse("2024-06-24T14:00:00Z"));

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>The ILC's 30-day clock as durable deadlines: reminders before the due date, an alert after it.</summary>
public sealed class IlcReviewDeadlineTests(ControlledClockFixture fixture) : IClassFixture<ControlledClockFixture>
{
    private static readonly Metadata Analyst = PetitionFixture.Analyst;

    private Task<long> EventsAsync(string type, string petitionId) =>
        fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM petition.outbox_messages WHERE type = '{type}' AND payload->>'petitionId' = '{petitionId}'");

    private Task<long> EventuallyAsync(string type, string petitionId, long count) =>
        Eventually.GetAsync(() => EventsAsync(type, petitionId), n => n == count, what: $"{count} {type} for {petitionId}");

    private async Task<long> StaysAsync(string type, string petitionId, long count) =>
        await Eventually.StaysAsync(() => EventsAsync(type, petitionId), n => n == count, TimeSpan.FromSeconds(1));

    /// <summary>A petition received today (the clock's date in Washington) and its id.</summary>
    private async Task<string> ReceiveTodayAsync()
    {
        var facility = await fixture.RegisterAsync();
        var request = Samples.ImproPetition(facility.FacilityId);
        request.ReceivedDate = null; // defaults to today in America/New_York
        return (await fixture.Petitions().SubmitPetitionAsync(request, Analyst)).Petition.PetitionId;
    }

    [Fact]
    public async Task Reminders_fire_before_the_due_date_and_the_overdue_alert_after_it_each_once()
    {
        fixture.Clock.Set(DateTimeOffset.Parse("2024-06-24T14:00:00Z")); // 10:00 in Washington
        var id = await ReceiveTodayAsync(); // due July 24, 2024

        Assert.Equal(0, await StaysAsync("IlcReviewDeadlineApproaching", id, 0));
        fixture.Clock.Set(DateTimeOffset.Parse("2024-07-17T13:30:00Z")); // 09:30 on July 17: seven days left
        Assert.Equal(1, await EventuallyAsync("IlcReviewDeadlineApproaching", id, 1));
        Assert.Equal(0, await StaysAsync("IlcReviewOverdue", id, 0));

        fixture.Clock.Set(DateTimeOffset.Parse("2024-07-25T03:30:00Z")); // 23:30 on July 24: due today, not yet overdue
        Assert.Equal(2, await EventuallyAsync("IlcReviewDeadlineApproaching", id, 2));
        Assert.Equal(0, await StaysAsync("IlcReviewOverdue", id, 0));

        fixture.Clock.Set(DateTimeOffset.Parse("2024-07-25T04:30:00Z")); // 00:30 on July 25
        Assert.Equal(1, await EventuallyAsync("IlcReviewOverdue", id, 1));
        Assert.Equal(1, await StaysAsync("IlcReviewOverdue", id, 1));
        Assert.Equal(2, await EventsAsync("IlcReviewDeadlineApproaching", id));
    }

    [Fact]
    public async Task A_determination_in_time_cancels_the_reminders_and_the_alert()
    {
        fixture.Clock.Set(DateTimeOffset.Parse("2024-06-24T14:00:00Z"));
        var id = await ReceiveTodayAsync();
        fixture.Clock.Set(DateTimeOffset.Parse("2024-07-10T15:00:00Z"));
        await fixture.Petitions().RecordDeterminationAsync(new RecordDeterminationRequest
        {
            PetitionId = id, Outcome = DeterminationOutcome.Sufficient, Rationale = "Credible evidence.",
        }, Analyst);

        fixture.Clock.Set(DateTimeOffset.Parse("2024-08-01T12:00:00Z"));

        Assert.Equal(0, await StaysAsync("IlcReviewOverdue", id, 0));
        Assert.Equal(0, await EventsAsync("IlcReviewDeadlineApproaching", id));
    }

    [Fact]
    public async Task A_backfilled_petition_gets_no_reminders_for_past_days_and_its_determination_dated_in_time_is_timely()
    {
        fixture.Clock.Set(DateTimeOffset.Parse("2024-09-01T14:00:00Z"));
        var facility = await fixture.RegisterAsync();
        var request = Samples.ImproPetition(facility.FacilityId); // received June 24, due July 24: both long past
        var id = (await fixture.Petitions().SubmitPetitionAsync(request, Analyst)).Petition.PetitionId;

        // The review was due long before the petition was recorded: the alert waits the backfill grace (an hour).
        Assert.Equal(0, await StaysAsync("IlcReviewOverdue", id, 0));
        fixture.Clock.Advance(TimeSpan.FromMinutes(61));
        var overdue = await EventuallyAsync("IlcReviewOverdue", id, 1);
        var determined = (await fixture.Petitions().RecordDeterminationAsync(new RecordDeterminationRequest
        {
            PetitionId = id, Outcome = DeterminationOutcome.Sufficient, Rationale = "Credible evidence.",
            DeterminationDate = new Date { Year = 2024, Month = 7, Day = 24 },
        }, Analyst)).Petition;

        Assert.Equal(1, overdue);
        Assert.Equal(0, await EventsAsync("IlcReviewDeadlineApproaching", id));
        Assert.True(determined.Determination.Timely);
    }
}
