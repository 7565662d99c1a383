using Grpc.Core;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using static Rrm.Review.Tests.ReviewFixture;

namespace Rrm.Review.Tests;

/// <summary>The ReviewService surface: errors, rights, retries, races, the live timeline.</summary>
public sealed class CaseApiTests(ReviewFixture fixture) : IClassFixture<ReviewFixture>
{
    private async Task<Case> RequestedAsync()
    {
        var opened = await fixture.OpenCaseAsync(D(2024, 7, 20));
        return (await fixture.Reviews().SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest
        {
            CaseId = opened.CaseId, Act = On(2024, 7, 26), SuspendLiquidation = true,
        }, Officer)).Case;
    }

    private async Task<(long Entries, long Events)> TracesAsync(string caseId) =>
        (await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM review.timeline_entries WHERE case_id = '{caseId}'"),
         await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM review.outbox_messages WHERE payload->'case'->>'caseId' = '{caseId}'"));

    [Fact]
    public async Task An_act_the_state_does_not_allow_is_FailedPrecondition_naming_the_state_and_the_allowed_acts()
    {
        var c = await RequestedAsync();
        var before = await TracesAsync(c.CaseId);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Reviews().RequestPanelAsync(
            new RequestPanelRequest { CaseId = c.CaseId, Act = On(2024, 8, 1) }, Officer).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("awaiting Mexico's answer to the request for review", error.Status.Detail);
        Assert.Contains("accepted for review by Mexico", error.Status.Detail);
        Assert.Equal(before, await TracesAsync(c.CaseId));
    }

    public static TheoryData<string, Func<ReviewService.ReviewServiceClient, string, AsyncUnaryCall<RecordMexicoResponseResponse>>> BadResponses => new()
    {
        { "case_id", (r, _) => r.RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = "case-7", Act = On(2024, 8, 1), Response = MexicoResponse.Accepted }, Officer) },
        { "response", (r, id) => r.RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = id, Act = On(2024, 8, 1) }, Officer) },
        { "response", (r, id) => r.RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = id, Act = On(2024, 8, 1), Response = (MexicoResponse)9 }, Officer) },
        { "act.effective_date", (r, id) => r.RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = id, Act = On(2999, 1, 1), Response = MexicoResponse.Accepted }, Officer) },
        { "act.effective_date", (r, id) => r.RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = id, Act = On(2024, 2, 30), Response = MexicoResponse.Accepted }, Officer) },
        { "act.effective_date", (r, id) => r.RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = id, Act = On(2024, 7, 25), Response = MexicoResponse.Accepted }, Officer) },
        { "act.effective_date", (r, id) => r.RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = id, Act = On(2019, 1, 1), Response = MexicoResponse.Accepted }, Officer) },
        { "act.note", (r, id) => r.RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = id, Act = On(2024, 8, 1, new string('x', 10_001)), Response = MexicoResponse.Accepted }, Officer) },
        { "act.request_id", (r, id) => r.RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = id, Act = new Act { RequestId = new string('r', 101) }, Response = MexicoResponse.Accepted }, Officer) },
    };

    [Theory]
    [MemberData(nameof(BadResponses))]
    public async Task Bad_input_is_InvalidArgument_naming_the_field_and_changes_nothing(string field,
        Func<ReviewService.ReviewServiceClient, string, AsyncUnaryCall<RecordMexicoResponseResponse>> call)
    {
        var c = await RequestedAsync();
        var before = await TracesAsync(c.CaseId);

        var error = await Assert.ThrowsAsync<RpcException>(() => call(fixture.Reviews(), c.CaseId).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field + ":", error.Status.Detail);
        Assert.Equal(before, await TracesAsync(c.CaseId));
        Assert.Equal(CaseState.ReviewRequested, (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, Officer)).Case.State);
    }

    [Fact]
    public async Task Other_commands_name_their_own_fields()
    {
        var c = await RequestedAsync();
        var reviews = fixture.Reviews();

        async Task<string> Detail(Func<Task> call) => (await Assert.ThrowsAsync<RpcException>(call)).Status.Detail;

        Assert.Contains("completion_date:", await Detail(() => reviews.AgreeRemediationPlanAsync(new AgreeRemediationPlanRequest { CaseId = c.CaseId, Act = On(2024, 8, 1) }, Officer).ResponseAsync));
        Assert.Contains("actions:", await Detail(() => reviews.AgreeRemediationPlanAsync(new AgreeRemediationPlanRequest { CaseId = c.CaseId, Act = On(2024, 8, 1), CompletionDate = D(2024, 12, 1) }, Officer).ResponseAsync));
        Assert.Contains("kind:", await Detail(() => reviews.ImposeRemedyAsync(new ImposeRemedyRequest { CaseId = c.CaseId, Act = On(2024, 8, 1) }, Officer).ResponseAsync));
        Assert.Contains("reason:", await Detail(() => reviews.CloseCaseAsync(new CloseCaseRequest { CaseId = c.CaseId, Act = On(2024, 8, 1) }, Officer).ResponseAsync));
        Assert.Contains("liquidation:", await Detail(() => reviews.CloseCaseAsync(new CloseCaseRequest { CaseId = c.CaseId, Act = On(2024, 8, 1), Reason = "The plant closed" }, Officer).ResponseAsync));
        Assert.Contains("panelists[1]:", await Detail(() => reviews.RecordPanelConstitutionAsync(new RecordPanelConstitutionRequest { CaseId = c.CaseId, Act = On(2024, 8, 1), Panelists = { "A", " " } }, Officer).ResponseAsync));
        Assert.Contains("facility_id:", await Detail(() => reviews.OpenCaseAsync(new OpenCaseRequest { FacilityId = Guid.NewGuid().ToString() }, Officer).ResponseAsync));
        Assert.Contains("after_position:", await Detail(async () =>
        {
            using var watch = reviews.WatchCase(new WatchCaseRequest { CaseId = c.CaseId, AfterPosition = -1 }, Officer);
            await watch.ResponseStream.MoveNext();
        }));
        var missing = await Assert.ThrowsAsync<RpcException>(() => reviews.GetCaseAsync(new GetCaseRequest { CaseId = Guid.NewGuid().ToString() }, Officer).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal(CaseState.ReviewRequested, (await reviews.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, Officer)).Case.State);
    }

    [Fact]
    public async Task Closing_a_suspended_case_says_what_becomes_of_liquidation()
    {
        var c = await RequestedAsync();

        var closed = (await fixture.Reviews().CloseCaseAsync(new CloseCaseRequest
        {
            CaseId = c.CaseId, Act = On(2024, 8, 1), Reason = "The plant closed", Liquidation = LiquidationHandling.Maintain,
        }, Officer)).Case;

        Assert.Equal(CaseState.ClosedOther, closed.State);
        Assert.True(closed.LiquidationSuspended);
        Assert.Equal("false", await fixture.Database.ScalarAsync<string>(
            $"SELECT payload->>'liquidationResumes' FROM review.outbox_messages WHERE type = 'CaseClosed' AND payload->'case'->>'caseId' = '{c.CaseId}'"));
    }

    [Theory]
    [InlineData(null, StatusCode.Unauthenticated)]
    [InlineData(Roles.IlcAnalyst, StatusCode.PermissionDenied)]
    [InlineData(Roles.Auditor, StatusCode.PermissionDenied)]
    [InlineData(Roles.CustomsSystem, StatusCode.PermissionDenied)]
    public async Task Only_USTR_officers_record_acts(string? role, StatusCode expected)
    {
        var c = await RequestedAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Reviews().ResolveCaseAsync(
            new ResolveCaseRequest { CaseId = c.CaseId, Act = On(2024, 8, 1) }, role is null ? null : Tokens.For(role)).ResponseAsync);

        Assert.Equal(expected, error.StatusCode);
    }

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.TreasuryOfficer)]
    [InlineData(Roles.IlcAnalyst)]
    public async Task Readers_see_cases_and_customs_do_not(string role)
    {
        var c = await RequestedAsync();

        var read = (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, Tokens.For(role))).Case;
        var customs = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, Tokens.For(Roles.CustomsSystem)).ResponseAsync);

        Assert.Equal(c.CaseId, read.CaseId);
        Assert.Equal(StatusCode.PermissionDenied, customs.StatusCode);
    }

    [Fact]
    public async Task A_retry_with_the_same_request_id_returns_the_case_and_records_nothing_twice()
    {
        var c = await RequestedAsync();
        var request = new RecordMexicoResponseRequest
        {
            CaseId = c.CaseId, Act = new Act { RequestId = Guid.NewGuid().ToString(), EffectiveDate = D(2024, 8, 1) }, Response = MexicoResponse.Accepted,
        };
        var first = (await fixture.Reviews().RecordMexicoResponseAsync(request, Officer)).Case;
        var traces = await TracesAsync(c.CaseId);

        var retry = (await fixture.Reviews().RecordMexicoResponseAsync(request, Officer)).Case;
        request.Response = MexicoResponse.Declined;
        var reused = await Assert.ThrowsAsync<RpcException>(() => fixture.Reviews().RecordMexicoResponseAsync(request, Officer).ResponseAsync);

        Assert.Equal(first, retry);
        Assert.Equal(traces, await TracesAsync(c.CaseId));
        Assert.Equal(StatusCode.AlreadyExists, reused.StatusCode);
        Assert.Contains("request_id", reused.Status.Detail);
    }

    [Fact]
    public async Task Of_two_conflicting_acts_sent_at_once_exactly_one_wins()
    {
        for (var round = 0; round < 5; round++)
        {
            var c = await RequestedAsync();
            var accept = fixture.Reviews().RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = c.CaseId, Act = On(2024, 8, 1), Response = MexicoResponse.Accepted }, Officer).ResponseAsync;
            var decline = fixture.Reviews().RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = c.CaseId, Act = On(2024, 8, 1), Response = MexicoResponse.Declined }, Officer).ResponseAsync;

            var outcomes = await Task.WhenAll(Outcome(accept), Outcome(decline));

            Assert.Single(outcomes, o => o == StatusCode.OK);
            Assert.Single(outcomes, o => o is StatusCode.FailedPrecondition or StatusCode.Aborted);
            var final = (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, Officer)).Case;
            Assert.Equal(outcomes[0] == StatusCode.OK ? CaseState.UnderMexicanReview : CaseState.MexicoDeclined, final.State);
            Assert.Single(final.Timeline, e => e.Act is CaseAct.MexicoAccepts or CaseAct.MexicoDeclines);
            Assert.Equal(1, await fixture.EventCountAsync("MexicoResponded", c.CaseId));
        }

        static async Task<StatusCode> Outcome(Task call)
        {
            try { await call; return StatusCode.OK; }
            catch (RpcException e) { return e.StatusCode; }
        }
    }

    [Fact]
    public async Task WatchCase_streams_the_timeline_then_each_new_entry_as_it_is_recorded()
    {
        var opened = await fixture.OpenCaseAsync(D(2024, 7, 20));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = fixture.Reviews().WatchCase(new WatchCaseRequest { CaseId = opened.CaseId }, Officer, cancellationToken: cancel.Token);

        Assert.True(await watch.ResponseStream.MoveNext(cancel.Token));
        Assert.Equal((1, CaseAct.SelfInitiate), (watch.ResponseStream.Current.Entry.Position, watch.ResponseStream.Current.Entry.Act));

        await fixture.Reviews().SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest { CaseId = opened.CaseId, Act = On(2024, 7, 26), SuspendLiquidation = true }, Officer);

        var live = new List<TimelineEntry>();
        while (live.Count < 4 && await watch.ResponseStream.MoveNext(cancel.Token)) live.Add(watch.ResponseStream.Current.Entry);
        Assert.Equal([2, 3, 4, 5], live.Select(e => e.Position));
        Assert.Equal(TimelineKind.Act, live[0].Kind);
        Assert.Contains(live, e => e.Kind == TimelineKind.LiquidationSuspended);

        // Resuming after a position gives only what came after it.
        using var resumed = fixture.Reviews().WatchCase(new WatchCaseRequest { CaseId = opened.CaseId, AfterPosition = 4 }, Officer, cancellationToken: cancel.Token);
        Assert.True(await resumed.ResponseStream.MoveNext(cancel.Token));
        Assert.Equal(5, resumed.ResponseStream.Current.Entry.Position);
    }
}
