using Microsoft.Extensions.DependencyInjection;
using Rrm.Grpc.Review.V1;
using Rrm.Review.Data;
using Rrm.Testing;
using static Rrm.Review.Tests.ReviewFixture;

namespace Rrm.Review.Tests;

/// <summary>The Review service with a clock the tests move (the API and the scheduler both read it).</summary>
public sealed class ClockedReviewFixture : ReviewFixture
{
    public ManualClock Clock { get; } = new(DateTimeOffset.Parse("2024-07-26T14:00:00Z"));

    public override void ConfigureReview(IServiceCollection services)
    {
        base.ConfigureReview(services);
        services.AddSingleton<TimeProvider>(Clock);
    }
}

/// <summary>Case clocks as durable deadlines: reminders, missed-deadline alerts, late acts, several replicas.</summary>
public sealed class DeadlineTests(ClockedReviewFixture fixture) : IClassFixture<ClockedReviewFixture>
{
    private Task<long> AlertsAsync(string caseId, string kind) =>
        fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM review.timeline_entries WHERE case_id = '{caseId}' AND kind = '{kind}' AND recorded_by = 'scheduler'");

    private async Task<Case> RequestedOnJuly26Async()
    {
        fixture.Clock.Set(DateTimeOffset.Parse("2024-07-26T14:00:00Z")); // 10:00 in Washington
        var opened = await fixture.OpenCaseAsync(D(2024, 7, 26));
        return (await fixture.Reviews().SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest
        {
            CaseId = opened.CaseId, Act = On(2024, 7, 26), SuspendLiquidation = true,
        }, Officer)).Case;
    }

    private Task<long> LapsesAsync(string caseId, string deadline) =>
        fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM review.timeline_entries WHERE case_id = '{caseId}' AND kind = 'DeadlineLapsed' AND deadline_kind = '{deadline}'");

    [Fact]
    public async Task A_reminder_comes_before_the_due_date_the_silence_lapses_after_it_and_an_answer_dated_in_time_supersedes_the_lapse()
    {
        var c = await RequestedOnJuly26Async(); // Mexico's answer is due August 5

        fixture.Clock.Set(DateTimeOffset.Parse("2024-08-02T13:30:00Z")); // 09:30 on August 2: three days left
        Assert.Equal(1, await Eventually.GetAsync(() => fixture.EventCountAsync("CaseDeadlineApproaching", c.CaseId), n => n >= 1, what: "the reminder"));
        Assert.Equal(0, await Eventually.StaysAsync(() => LapsesAsync(c.CaseId, "MexicoAnswer"), n => n == 0, TimeSpan.FromSeconds(1)));

        fixture.Clock.Set(DateTimeOffset.Parse("2024-08-06T04:30:00Z")); // 00:30 on August 6: the answer is missing
        Assert.Equal(1, await Eventually.GetAsync(() => LapsesAsync(c.CaseId, "MexicoAnswer"), n => n >= 1, what: "the lapse of Mexico's answer"));
        Assert.Equal(1, await fixture.EventCountAsync("CaseDeadlineMissed", c.CaseId));
        var lapsed = (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, Officer)).Case;
        Assert.Equal(CaseState.MexicoDeclined, lapsed.State);
        Assert.Equal(DeadlineStatus.Lapsed, lapsed.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoAnswer).Status);
        Assert.Contains(lapsed.Timeline, e => e.Act == CaseAct.MexicoSilent && e.EffectiveDate.Equals(D(2024, 8, 6))
            && e.Summary.Contains("Mexico did not answer by 2024-08-05"));

        // The answer arrives late in the system, dated August 5: it was timely after all, and the lapse no longer applies.
        var answered = (await fixture.Reviews().RecordMexicoResponseAsync(new RecordMexicoResponseRequest
        {
            CaseId = c.CaseId, Act = On(2024, 8, 5), Response = MexicoResponse.Accepted,
        }, Officer)).Case;

        Assert.Equal(CaseState.UnderMexicanReview, answered.State);
        Assert.Equal(DeadlineStatus.Met, answered.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoAnswer).Status);
        Assert.Equal(DeadlineStatus.Open, answered.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoReview).Status);
        var timeline = (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, Officer)).Case.Timeline;
        Assert.Contains(timeline, e => e.Kind == TimelineKind.LapseSuperseded && e.Summary.Contains("no longer applies"));
        var timely = await fixture.Database.ScalarAsync<string>(
            $"SELECT payload->>'timely' FROM review.outbox_messages WHERE type = 'MexicoResponded' AND payload->>'response' = 'accepted' AND payload->'case'->>'caseId' = '{c.CaseId}'");
        Assert.Equal("true", timely);
        // The review's own clock runs again and lapses once, on its own date.
        fixture.Clock.Set(DateTimeOffset.Parse("2024-09-10T12:00:00Z"));
        Assert.Equal(1, await Eventually.GetAsync(() => LapsesAsync(c.CaseId, "MexicoReview"), n => n >= 1, what: "the lapse of Mexico's review"));
        Assert.Equal(1, await Eventually.StaysAsync(() => LapsesAsync(c.CaseId, "MexicoAnswer"), n => n == 1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task An_act_recorded_after_the_fact_gives_the_rest_of_the_history_time_before_any_lapse()
    {
        fixture.Clock.Set(DateTimeOffset.Parse("2024-10-01T14:00:00Z"));
        var opened = await fixture.OpenCaseAsync(D(2024, 7, 1));
        await fixture.Reviews().SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest { CaseId = opened.CaseId, Act = On(2024, 7, 2) }, Officer);

        // Both of Mexico's deadlines passed long ago, but nothing lapses before the grace period (an hour by default).
        Assert.Equal(0, await Eventually.StaysAsync(() => fixture.TimelineCountAsync(opened.CaseId, "DeadlineLapsed"), n => n == 0, TimeSpan.FromSeconds(1)));
        // An answer dated in time, recorded within the grace period: no lapse and no alert, ever.
        await fixture.Reviews().RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = opened.CaseId, Act = On(2024, 7, 10), Response = MexicoResponse.Accepted }, Officer);
        fixture.Clock.Advance(TimeSpan.FromMinutes(61));
        // Mexico's review (due August 16) has no findings: it lapses once the grace period is over; the answer met its deadline.
        Assert.Equal(1, await Eventually.GetAsync(() => fixture.TimelineCountAsync(opened.CaseId, "DeadlineLapsed"), n => n >= 1, what: "the review's lapse"));
        var c = (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = opened.CaseId }, Officer)).Case;
        Assert.Equal(CaseState.PanelAvailable, c.State);
        Assert.Equal(DeadlineStatus.Met, c.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoAnswer).Status);
        Assert.Equal(0, await LapsesAsync(opened.CaseId, "MexicoAnswer"));
        Assert.Equal(0, await fixture.TimelineCountAsync(opened.CaseId, "DeadlineMissed"));
    }

    [Fact]
    public async Task With_two_replicas_running_every_lapse_is_recorded_once()
    {
        await using var replica = await fixture.StartReplicaAsync();
        var cases = new List<Case>();
        for (var i = 0; i < 5; i++) cases.Add(await RequestedOnJuly26Async());

        fixture.Clock.Set(DateTimeOffset.Parse("2024-09-15T12:00:00Z")); // past August 5 and September 9

        foreach (var c in cases)
            Assert.Equal(1, await Eventually.GetAsync(() => LapsesAsync(c.CaseId, "MexicoAnswer"), n => n >= 1, what: "the lapse of a case"));
        await Task.Delay(1000);
        foreach (var c in cases)
        {
            // Mexico never answered: the answer lapsed on August 6, and its review, no longer to happen, was cancelled.
            Assert.Equal(1, await fixture.TimelineCountAsync(c.CaseId, "DeadlineLapsed"));
            Assert.Equal(1, await fixture.EventCountAsync("CaseDeadlineMissed", c.CaseId));
            Assert.Equal(1, await fixture.EventCountAsync("MexicoResponded", c.CaseId));
            var now = (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, Officer)).Case;
            Assert.Equal(CaseState.MexicoDeclined, now.State);
            Assert.Equal(DeadlineStatus.Cancelled, now.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoReview).Status);
        }
    }
}
