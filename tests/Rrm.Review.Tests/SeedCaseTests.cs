using System.Text.Json;
using Grpc.Core;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.Testing;
using static Rrm.Review.Tests.ReviewFixture;

namespace Rrm.Review.Tests;

/// <summary>The Impro Mexico case of 2024 (the seed documents), act by act through both services' RPCs.</summary>
public sealed class SeedCaseTests(ReviewFixture fixture) : IClassFixture<ReviewFixture>
{
    [Fact]
    public async Task The_Impro_case_runs_from_the_petition_to_resolution_with_its_deadlines_and_liquidation_on_the_timeline()
    {
        var facility = await fixture.RegisterFacilityAsync();
        var petition = Samples.ImproPetition(facility.FacilityId);
        var submitted = (await fixture.Petitions().SubmitPetitionAsync(petition, Analyst)).Petition;
        await fixture.Petitions().RecordDeterminationAsync(new RecordDeterminationRequest
        {
            PetitionId = submitted.PetitionId, Outcome = DeterminationOutcome.Sufficient, DeterminationDate = D(2024, 7, 24),
            Rationale = "Sufficient, credible evidence of a denial of rights.",
        }, Analyst);

        // The Review service opens the case from PetitionDetermined.
        var opened = await Eventually.GetAsync(async () =>
            (await fixture.Reviews().ListCasesAsync(new ListCasesRequest { FacilityId = facility.FacilityId }, Officer)).Cases.SingleOrDefault(),
            c => c is not null, what: "the case opened on the sufficient petition");
        Assert.Equal(CaseState.RequestPendingDispatch, opened!.State);
        Assert.Equal(submitted.PetitionId, opened.PetitionId);
        Assert.Equal(CaseOrigin.Petition, opened.Origin);
        Assert.Equal(facility.Mids, opened.Facility.Mids);

        var reviews = fixture.Reviews();
        var requested = (await reviews.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest
        {
            CaseId = opened.CaseId, Act = On(2024, 7, 26), SuspendLiquidation = true,
        }, Officer)).Case;
        Assert.Equal(D(2024, 8, 5), requested.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoAnswer).DueDate);
        Assert.Equal(D(2024, 9, 9), requested.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoReview).DueDate);
        Assert.True(requested.LiquidationSuspended);
        Assert.Equal(1, requested.Invocation.Number);
        Assert.Equal(2024, requested.Invocation.Year);

        await reviews.RecordMexicoResponseAsync(new RecordMexicoResponseRequest
        {
            CaseId = opened.CaseId, Act = On(2024, 8, 5, "date assumed"), Response = MexicoResponse.Accepted,
        }, Officer);
        foreach (var action in new[] { "Reinstatement of the dismissed worker with back pay", "Neutrality statement posted and explained to each worker",
                     "Training of management", "Training by the Government of Mexico" })
        {
            await reviews.RecordRemediationActionAsync(new RecordRemediationActionRequest
            {
                CaseId = opened.CaseId, Act = On(2024, 9, 10), Description = action, Status = ActionStatus.Completed,
            }, Officer);
        }
        await reviews.ResolveCaseAsync(new ResolveCaseRequest { CaseId = opened.CaseId, Act = On(2024, 9, 17) }, Officer);

        var resolved = (await reviews.GetCaseAsync(new GetCaseRequest { CaseId = opened.CaseId }, Officer)).Case;
        Assert.Equal(CaseState.Resolved, resolved.State);
        Assert.False(resolved.LiquidationSuspended);
        Assert.Empty(resolved.AllowedActs);
        Assert.Equal(4, resolved.Actions.Count);
        var acts = resolved.Timeline.Where(e => e.Kind == TimelineKind.Act).Select(e => e.Act).ToList();
        // Mexico's review period (due September 9) ended with no findings recorded: it lapsed, before the actions dated September 10.
        Assert.Equal([CaseAct.OpenOnSufficientPetition, CaseAct.RequestReview, CaseAct.MexicoAccepts, CaseAct.MexicoReviewLapses,
            CaseAct.RecordRemediationProgress, CaseAct.RecordRemediationProgress, CaseAct.RecordRemediationProgress, CaseAct.RecordRemediationProgress,
            CaseAct.Resolve], acts);
        var suspended = resolved.Timeline.Single(e => e.Kind == TimelineKind.LiquidationSuspended);
        var resumed = resolved.Timeline.Single(e => e.Kind == TimelineKind.LiquidationResumed);
        Assert.Equal(D(2024, 7, 26), suspended.EffectiveDate);
        Assert.Equal(D(2024, 9, 17), resumed.EffectiveDate);
        Assert.Equal(Enumerable.Range(1, resolved.TimelineLength), resolved.Timeline.Select(e => e.Position));
        Assert.All(resolved.Timeline.Where(e => e.Kind == TimelineKind.Act && e.Act is not (CaseAct.OpenOnSufficientPetition or CaseAct.MexicoReviewLapses)),
            e => Assert.Equal("test-user", e.RecordedBy));
        Assert.Equal("treaty clock", resolved.Timeline.Single(e => e.Act == CaseAct.MexicoReviewLapses).RecordedBy);
        Assert.DoesNotContain(resolved.Deadlines, d => d.Status == DeadlineStatus.Late);
        Assert.Equal(DeadlineStatus.Met, resolved.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoAnswer).Status);
        // Backfilled acts raise no alarm: the alerts of these long-past deadlines wait for the grace period.
        Assert.DoesNotContain(resolved.Timeline, e => e.Kind == TimelineKind.DeadlineMissed);

        var requestEvent = await fixture.Database.ScalarAsync<string>(
            $"SELECT payload::text FROM review.outbox_messages WHERE type = 'ReviewRequested' AND payload->'case'->>'caseId' = '{opened.CaseId}'");
        using var request = JsonDocument.Parse(requestEvent);
        Assert.True(request.RootElement.GetProperty("suspendLiquidation").GetBoolean());
        Assert.Equal(facility.Mids[0], request.RootElement.GetProperty("case").GetProperty("facility").GetProperty("mids")[0].GetString());
        Assert.Equal(1, request.RootElement.GetProperty("case").GetProperty("invocationNumber").GetInt32());
        var resolvedEvent = await fixture.Database.ScalarAsync<string>(
            $"SELECT payload::text FROM review.outbox_messages WHERE type = 'CaseResolved' AND payload->'case'->>'caseId' = '{opened.CaseId}'");
        Assert.True(JsonDocument.Parse(resolvedEvent).RootElement.GetProperty("liquidationResumes").GetBoolean());
    }

    [Fact]
    public async Task A_redelivered_determination_opens_no_second_case()
    {
        var facility = await fixture.RegisterFacilityAsync();
        var submitted = (await fixture.Petitions().SubmitPetitionAsync(Samples.ImproPetition(facility.FacilityId), Analyst)).Petition;
        await fixture.Petitions().RecordDeterminationAsync(new RecordDeterminationRequest
        {
            PetitionId = submitted.PetitionId, Outcome = DeterminationOutcome.Sufficient, DeterminationDate = D(2024, 7, 24), Rationale = "Credible.",
        }, Analyst);
        await Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM review.cases WHERE petition_id = '{submitted.PetitionId}'"),
            n => n == 1, what: "the case");

        // The broker delivers the same message again.
        var message = await fixture.Database.ScalarAsync<Guid>(
            $"SELECT message_id FROM petition.outbox_messages WHERE type = 'PetitionDetermined' AND payload->>'petitionId' = '{submitted.PetitionId}'");
        await fixture.Database.ScalarAsync<int>(
            $"UPDATE petition.outbox_messages SET processed_at = NULL, next_attempt_at = now() WHERE message_id = '{message}' RETURNING 1");
        await Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM petition.outbox_messages WHERE message_id = '{message}' AND processed_at IS NOT NULL"),
            n => n == 1, what: "the redelivery");

        Assert.Equal(1, await Eventually.StaysAsync(() => fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM review.cases WHERE petition_id = '{submitted.PetitionId}'"), n => n == 1, TimeSpan.FromSeconds(1)));
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM review.inbox_messages WHERE message_id = '{message}'"));
    }
}
