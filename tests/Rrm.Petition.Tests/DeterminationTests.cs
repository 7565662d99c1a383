using System.Text.Json;
using Grpc.Core;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

/// <summary>The ILC's determination and withdrawal, through the gRPC API and the outbox.</summary>
public sealed class DeterminationTests(PetitionFixture fixture) : IClassFixture<PetitionFixture>
{
    private static readonly Metadata Analyst = PetitionFixture.Analyst;

    private static RecordDeterminationRequest Determination(string petitionId, DeterminationOutcome outcome = DeterminationOutcome.Sufficient) => new()
    {
        PetitionId = petitionId,
        Outcome = outcome,
        DeterminationDate = new Date { Year = 2024, Month = 7, Day = 18 },
        Rationale = "Sufficient, credible evidence of a denial of rights.",
    };

    private Task<string?> EventPayloadAsync(string type, string petitionId) =>
        fixture.Database.ScalarAsync<string?>(
            $"SELECT payload::text FROM petition.outbox_messages WHERE type = '{type}' AND payload->>'petitionId' = '{petitionId}'");

    private Task<long> EventCountAsync(string petitionId) =>
        fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM petition.outbox_messages WHERE payload->>'petitionId' = '{petitionId}'");

    [Fact]
    public async Task A_sufficient_determination_publishes_the_facility_snapshot_with_its_MIDs_and_workers_but_not_the_petitioner()
    {
        var submitted = await fixture.SubmitAsync();

        var determined = (await fixture.Petitions().RecordDeterminationAsync(Determination(submitted.PetitionId), Analyst)).Petition;

        Assert.Equal(PetitionStatus.Sufficient, determined.Status);
        Assert.True(determined.Determination.Timely);
        var payload = await EventPayloadAsync("PetitionDetermined", submitted.PetitionId);
        Assert.NotNull(payload);
        using var json = JsonDocument.Parse(payload);
        Assert.Equal("sufficient", json.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("2024-07-18", json.RootElement.GetProperty("determinationDate").GetString());
        var facility = json.RootElement.GetProperty("facility");
        Assert.Equal(1500, facility.GetProperty("approximateWorkers").GetInt32());
        Assert.Equal("Villa de Reyes", facility.GetProperty("city").GetString());
        var mids = facility.GetProperty("mids").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains(mids, m => m!.StartsWith("MXIMPIND"));
        Assert.DoesNotContain("LSOM", payload);
        Assert.DoesNotContain("lsom.example", payload);
        // The review is over: its reminders and the overdue alert will not fire.
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM petition.scheduled_deadlines WHERE key LIKE 'petition:{submitted.PetitionId}:%' AND cancelled_at IS NULL"));
    }

    [Fact]
    public async Task An_insufficient_determination_is_published_too_so_the_certification_can_go_out()
    {
        var submitted = await fixture.SubmitAsync();

        var determined = (await fixture.Petitions().RecordDeterminationAsync(
            Determination(submitted.PetitionId, DeterminationOutcome.Insufficient), Analyst)).Petition;

        Assert.Equal(PetitionStatus.Insufficient, determined.Status);
        var payload = await EventPayloadAsync("PetitionDetermined", submitted.PetitionId);
        Assert.NotNull(payload);
        Assert.Equal("insufficient", JsonDocument.Parse(payload).RootElement.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_determination_dated_after_the_due_date_is_recorded_as_late()
    {
        var submitted = await fixture.SubmitAsync();
        var request = Determination(submitted.PetitionId);
        request.DeterminationDate = new Date { Year = 2024, Month = 7, Day = 25 };

        var determined = (await fixture.Petitions().RecordDeterminationAsync(request, Analyst)).Petition;

        Assert.False(determined.Determination.Timely);
    }

    [Fact]
    public async Task Repeating_the_same_determination_changes_nothing_and_a_different_one_is_FailedPrecondition()
    {
        var submitted = await fixture.SubmitAsync();
        var first = (await fixture.Petitions().RecordDeterminationAsync(Determination(submitted.PetitionId), Analyst)).Petition;
        var events = await EventCountAsync(submitted.PetitionId);

        var repeated = (await fixture.Petitions().RecordDeterminationAsync(Determination(submitted.PetitionId), Analyst)).Petition;
        var other = await Assert.ThrowsAsync<RpcException>(() => fixture.Petitions().RecordDeterminationAsync(
            Determination(submitted.PetitionId, DeterminationOutcome.Insufficient), Analyst).ResponseAsync);

        Assert.Equal(first, repeated);
        Assert.Equal(StatusCode.FailedPrecondition, other.StatusCode);
        Assert.Contains("determined sufficient", other.Status.Detail);
        Assert.Equal(events, await EventCountAsync(submitted.PetitionId));
    }

    [Fact]
    public async Task Two_different_determinations_at_once_record_one_and_refuse_the_other_as_no_longer_allowed()
    {
        var submitted = await fixture.SubmitAsync();

        // The loser of the race is run again on fresh state, so it is told the act is no longer allowed (not ABORTED).
        var outcomes = await Task.WhenAll(
            OutcomeAsync(Determination(submitted.PetitionId, DeterminationOutcome.Sufficient)),
            OutcomeAsync(Determination(submitted.PetitionId, DeterminationOutcome.Insufficient)));

        Assert.Equal([StatusCode.OK, StatusCode.FailedPrecondition], outcomes.Order());
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM petition.outbox_messages WHERE type = 'PetitionDetermined' AND payload->>'petitionId' = '{submitted.PetitionId}'"));
    }

    private async Task<StatusCode> OutcomeAsync(RecordDeterminationRequest request)
    {
        try
        {
            await fixture.Petitions().RecordDeterminationAsync(request, Analyst);
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    [Fact]
    public async Task A_withdrawn_petition_cannot_be_determined_and_nothing_changes()
    {
        var submitted = await fixture.SubmitAsync();
        var withdrawn = (await fixture.Petitions().WithdrawPetitionAsync(new WithdrawPetitionRequest
        {
            PetitionId = submitted.PetitionId, WithdrawalDate = new Date { Year = 2024, Month = 7, Day = 1 }, Reason = "The union asked to withdraw it.",
        }, Analyst)).Petition;
        var events = await EventCountAsync(submitted.PetitionId);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Petitions().RecordDeterminationAsync(Determination(submitted.PetitionId), Analyst).ResponseAsync);

        Assert.Equal(PetitionStatus.Withdrawn, withdrawn.Status);
        Assert.NotNull(await EventPayloadAsync("PetitionWithdrawn", submitted.PetitionId));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("withdrawn", error.Status.Detail);
        Assert.Equal(events, await EventCountAsync(submitted.PetitionId));
        var reloaded = (await fixture.Petitions().GetPetitionAsync(new GetPetitionRequest { PetitionId = submitted.PetitionId }, Analyst)).Petition;
        Assert.Equal(withdrawn, reloaded);
    }

    [Fact]
    public async Task A_determined_petition_cannot_be_withdrawn()
    {
        var submitted = await fixture.SubmitAsync();
        await fixture.Petitions().RecordDeterminationAsync(Determination(submitted.PetitionId), Analyst);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Petitions().WithdrawPetitionAsync(
            new WithdrawPetitionRequest { PetitionId = submitted.PetitionId }, Analyst).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    public static TheoryData<string, Action<RecordDeterminationRequest>> BadDeterminations => new()
    {
        { "petition_id", r => r.PetitionId = "not-an-id" },
        { "outcome", r => r.Outcome = DeterminationOutcome.Unspecified },
        { "rationale", r => r.Rationale = " " },
        { "rationale", r => r.Rationale = new string('x', 10_001) },
        { "determination_date", r => r.DeterminationDate = new Date { Year = 2024, Month = 13, Day = 1 } },
        { "determination_date", r => r.DeterminationDate = new Date { Year = 2999, Month = 1, Day = 1 } },
        { "determination_date", r => r.DeterminationDate = new Date { Year = 2024, Month = 6, Day = 23 } },
    };

    [Theory]
    [MemberData(nameof(BadDeterminations))]
    public async Task Bad_determinations_are_InvalidArgument_naming_the_field_and_change_nothing(string field, Action<RecordDeterminationRequest> spoil)
    {
        var submitted = await fixture.SubmitAsync();
        var request = Determination(submitted.PetitionId);
        spoil(request);
        var events = await EventCountAsync(submitted.PetitionId);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Petitions().RecordDeterminationAsync(request, Analyst).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field + ":", error.Status.Detail);
        var reloaded = (await fixture.Petitions().GetPetitionAsync(new GetPetitionRequest { PetitionId = submitted.PetitionId }, Analyst)).Petition;
        Assert.Equal(PetitionStatus.UnderReview, reloaded.Status);
        Assert.Equal(events, await EventCountAsync(submitted.PetitionId));
    }

    public static TheoryData<string, Action<WithdrawPetitionRequest>> BadWithdrawals => new()
    {
        { "petition_id", r => r.PetitionId = "" },
        { "withdrawal_date", r => r.WithdrawalDate = new Date { Year = 2999, Month = 1, Day = 1 } },
        { "withdrawal_date", r => r.WithdrawalDate = new Date { Year = 2024, Month = 6, Day = 1 } },
        { "reason", r => r.Reason = new string('x', 2_001) },
    };

    [Theory]
    [MemberData(nameof(BadWithdrawals))]
    public async Task Bad_withdrawals_are_InvalidArgument_naming_the_field_and_change_nothing(string field, Action<WithdrawPetitionRequest> spoil)
    {
        var submitted = await fixture.SubmitAsync();
        var request = new WithdrawPetitionRequest { PetitionId = submitted.PetitionId, Reason = "Withdrawn by the petitioner." };
        spoil(request);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Petitions().WithdrawPetitionAsync(request, Analyst).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field + ":", error.Status.Detail);
        var reloaded = (await fixture.Petitions().GetPetitionAsync(new GetPetitionRequest { PetitionId = submitted.PetitionId }, Analyst)).Petition;
        Assert.Equal(PetitionStatus.UnderReview, reloaded.Status);
        Assert.Null(await EventPayloadAsync("PetitionWithdrawn", submitted.PetitionId));
    }

    [Fact]
    public async Task Only_ILC_analysts_record_determinations()
    {
        var submitted = await fixture.SubmitAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Petitions().RecordDeterminationAsync(
            Determination(submitted.PetitionId), Tokens.For(ServiceDefaults.Security.Roles.UstrOfficer)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }
}
