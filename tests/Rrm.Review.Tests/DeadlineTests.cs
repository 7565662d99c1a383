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

    [Fact]
    public async Task A_reminder_comes_before_the_due_date_and_a_late_recorded_answer_dated_in_time_supersedes_the_alert()
    {
        var c = await RequestedOnJuly26Async(); // Mexico's answer is due August 5

        fixture.Clock.Set(DateTimeOffset.Parse("2024-08-02T13:30:00Z")); // 09:30 on August 2: three days left
        Assert.Equal(1, await Eventually.GetAsync(() => fixture.EventCountAsync("CaseDeadlineApproaching", c.CaseId), n => n >= 1, what: "the reminder"));
        Assert.Equal(0, await Eventually.StaysAsync(() => AlertsAsync(c.CaseId, "DeadlineMissed"), n => n == 0, TimeSpan.FromSeconds(1)));

        fixture.Clock.Set(DateTimeOffset.Parse("2024-08-06T04:30:00Z")); // 00:30 on August 6: the answer is missing
        Assert.Equal(1, await Eventually.GetAsync(() => AlertsAsync(c.CaseId, "DeadlineMissed"), n => n >= 1, what: "the missed-deadline alert"));
        Assert.Equal(1, await fixture.EventCountAsync("CaseDeadlineMissed", c.CaseId));
        var overdue = (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, Officer)).Case;
        Assert.Equal(DeadlineStatus.Overdue, overdue.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoAnswer).Status);

        // The answer arrives late in the system, dated August 5: it was timely after all.
        var answered = (await fixture.Reviews().RecordMexicoResponseAsync(new RecordMexicoResponseRequest
        {
            CaseId = c.CaseId, Act = On(2024, 8, 5), Response = MexicoResponse.Accepted,
        }, Officer)).Case;

        Assert.Equal(DeadlineStatus.Met, answered.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoAnswer).Status);
        var timeline = (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, Officer)).Case.Timeline;
        Assert.Contains(timeline, e => e.Kind == TimelineKind.DeadlineMissed && e.DeadlineKind == DeadlineKind.MexicoAnswer);
        Assert.Contains(timeline, e => e.Kind == TimelineKind.DeadlineMet && e.Summary.Contains("supersedes the missed-deadline alert"));
        var responded = await fixture.Database.ScalarAsync<string>(
            $"SELECT payload->>'timely' FROM review.outbox_messages WHERE type = 'MexicoResponded' AND payload->'case'->>'caseId' = '{c.CaseId}'");
        Assert.Equal("true", responded);
        Assert.Equal(1, await Eventually.StaysAsync(() => AlertsAsync(c.CaseId, "DeadlineMissed"), n => n == 1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task An_act_recorded_after_the_fact_gives_the_rest_of_the_history_time_before_any_alert()
    {
        fixture.Clock.Set(DateTimeOffset.Parse("2024-10-01T14:00:00Z"));
        var opened = await fixture.OpenCaseAsync(D(2024, 7, 1));
        await fixture.Reviews().SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest { CaseId = opened.CaseId, Act = On(2024, 7, 2) }, Officer);

        // Both of Mexico's deadlines passed long ago, but the alerts wait for the grace period (an hour by default).
        Assert.Equal(0, await Eventually.StaysAsync(() => AlertsAsync(opened.CaseId, "DeadlineMissed"), n => n == 0, TimeSpan.FromSeconds(1)));
        fixture.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(2, await Eventually.GetAsync(() => AlertsAsync(opened.CaseId, "DeadlineMissed"), n => n >= 2, what: "both alerts"));
    }

    [Fact]
    public async Task With_two_replicas_running_every_deadline_fires_once()
    {
        await using var replica = await fixture.StartReplicaAsync();
        var cases = new List<Case>();
        for (var i = 0; i < 5; i++) cases.Add(await RequestedOnJuly26Async());

        fixture.Clock.Set(DateTimeOffset.Parse("2024-09-15T12:00:00Z")); // past August 5 and September 9

        foreach (var c in cases)
            Assert.Equal(2, await Eventually.GetAsync(() => AlertsAsync(c.CaseId, "DeadlineMissed"), n => n >= 2, what: "both alerts of a case"));
        await Task.Delay(1000);
        foreach (var c in cases)
        {
            Assert.Equal(2, await AlertsAsync(c.CaseId, "DeadlineMissed"));
            Assert.Equal(2, await fixture.EventCountAsync("CaseDeadlineMissed", c.CaseId));
            Assert.Equal(1, await fixture.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM review.timeline_entries WHERE case_id = '{c.CaseId}' AND kind = 'DeadlineMissed' AND deadline_kind = 'MexicoAnswer'"));
        }
    }
}
