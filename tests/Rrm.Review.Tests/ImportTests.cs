using Grpc.Core;
using Rrm.Grpc.Review.V1;
using Rrm.Testing;
using static Rrm.Review.Tests.ReviewFixture;
using Outcome = Rrm.Grpc.Review.V1.CaseImportResult.Types.Outcome;

namespace Rrm.Review.Tests;

/// <summary>ImportCaseHistory with the sample history of ../shared/fixtures (this class has its own database).</summary>
public sealed class ImportTests(ReviewFixture fixture) : IClassFixture<ReviewFixture>
{
    private static readonly string Sample = Fixtures.Read("case-history-sample.csv");

    private async Task<List<CaseImportResult>> ImportAsync(string csv, Metadata? headers = null) =>
        (await fixture.Reviews().ImportCaseHistoryAsync(new ImportCaseHistoryRequest { Csv = csv }, headers ?? Officer)).Results.ToList();

    [Fact]
    public async Task The_sample_history_gives_four_cases_in_their_final_states_without_alerts_and_the_same_result_twice()
    {
        var first = await ImportAsync(Sample);

        Assert.All(first, r => Assert.Equal(Outcome.Imported, r.Outcome));
        Assert.Equal(new Dictionary<string, CaseState>
        {
            ["panasonic-2022"] = CaseState.Resolved,
            ["goodyear-2023"] = CaseState.Resolved,
            ["impro-2024"] = CaseState.Resolved,
            ["example-2025"] = CaseState.PetitionDeclined,
        }, first.ToDictionary(r => r.CaseRef, r => r.FinalState));
        // No deadline of a finished history is left to fire, and none raised an alert.
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM review.timeline_entries WHERE recorded_by = 'scheduler'"));
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM review.outbox_messages WHERE type IN ('CaseDeadlineMissed', 'CaseDeadlineApproaching')"));
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM review.scheduled_deadlines WHERE fired_at IS NULL AND cancelled_at IS NULL"));
        // Every event of the replay says so, for consumers not to notify anyone of history.
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM review.outbox_messages WHERE (payload->'case'->>'replayed')::boolean IS NOT TRUE"));
        var goodyear = (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = first.Single(r => r.CaseRef == "goodyear-2023").CaseId }, Officer)).Case;
        Assert.Equal(D(2023, 12, 31), goodyear.PlanCompletionDate);
        // The plan was due December 31, 2023; its completion is dated February 5, 2024.
        Assert.Equal(DeadlineStatus.Late, goodyear.Deadlines.Single(d => d.Kind == DeadlineKind.RemediationCompletion).Status);
        Assert.Equal(DeadlineStatus.Met, goodyear.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoAnswer).Status);
        Assert.Contains(goodyear.Timeline, e => e.Note == "date assumed; the plan was announced 2023-07-19");
        var entries = await fixture.CountAsync("timeline_entries");
        var events = await fixture.CountAsync("outbox_messages");

        var second = await ImportAsync(Sample);

        Assert.All(second, r => Assert.Equal(Outcome.Unchanged, r.Outcome));
        Assert.Equal(first.Select(r => r.CaseId), second.Select(r => r.CaseId));
        Assert.Equal(entries, await fixture.CountAsync("timeline_entries"));
        Assert.Equal(events, await fixture.CountAsync("outbox_messages"));
    }

    [Fact]
    public async Task The_petitioner_of_an_imported_history_is_shown_to_ILC_analysts_only()
    {
        var results = await ImportAsync(Sample);
        var id = results.Single(r => r.CaseRef == "impro-2024").CaseId;

        var forAnalyst = (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = id }, Analyst)).Case;
        var forOfficer = (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = id }, Officer)).Case;

        Assert.Contains(forAnalyst.Timeline, e => e.Petitioner == "La Liga Sindical Obrera Mexicana (LSOM)");
        Assert.All(forOfficer.Timeline, e => Assert.Equal("", e.Petitioner));
        Assert.DoesNotContain("LSOM", forOfficer.ToString());
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM review.outbox_messages WHERE payload::text LIKE '%LSOM%'"));
    }

    [Fact]
    public async Task A_history_that_breaks_the_rules_is_rejected_with_its_line_and_the_others_are_imported()
    {
        var csv = """
            case_ref,facility,legal_name,city,state,sector,workers,date,act,detail
            good-2024,Plant A,"Planta A, S.A. de C.V.",Saltillo,Coahuila,auto parts,300,2024-02-01,self_initiated,
            good-2024,Plant A,"Planta A, S.A. de C.V.",Saltillo,Coahuila,auto parts,300,2024-02-05,request_for_review,no_suspension
            bad-2024,Plant B,"Planta B, S.A. de C.V.",Puebla,Puebla,auto parts,,2024-03-01,self_initiated,
            bad-2024,Plant B,"Planta B, S.A. de C.V.",Puebla,Puebla,auto parts,,2024-03-02,mexico_accepted,
            late-2024,Plant C,"Planta C, S.A. de C.V.",León,Guanajuato,auto parts,,2024-04-01,self_initiated,
            late-2024,Plant C,"Planta C, S.A. de C.V.",León,Guanajuato,auto parts,,2024-03-01,request_for_review,suspend_liquidation
            """;

        var results = await ImportAsync(csv);

        Assert.Equal(Outcome.Imported, results.Single(r => r.CaseRef == "good-2024").Outcome);
        // Mexico's answer was due February 15, 2024 and none is in the history: the import ends with the lapse recorded.
        Assert.Equal(CaseState.MexicoDeclined, results.Single(r => r.CaseRef == "good-2024").FinalState);
        var bad = results.Single(r => r.CaseRef == "bad-2024");
        Assert.Equal((Outcome.Rejected, 5), (bad.Outcome, bad.Row));
        Assert.Contains("awaiting the request for review", bad.Reason);
        var late = results.Single(r => r.CaseRef == "late-2024");
        Assert.Equal((Outcome.Rejected, 7), (late.Outcome, late.Row));
        Assert.Contains("date order", late.Reason);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM review.cases WHERE reference IN ('bad-2024', 'late-2024')"));
        // The open case lapsed as it would have live: no answer is awaited any more, and no alert is left to fire.
        var open = (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = results.Single(r => r.CaseRef == "good-2024").CaseId }, Officer)).Case;
        Assert.Equal(DeadlineStatus.Lapsed, open.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoAnswer).Status);
        Assert.Contains(CaseAct.RequestPanel, open.AllowedActs);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM review.scheduled_deadlines WHERE key LIKE 'case:{open.CaseId}:%:missed' AND fired_at IS NULL AND cancelled_at IS NULL"));
    }

    [Fact]
    public async Task Importing_a_changed_history_for_an_imported_case_is_rejected_and_changes_nothing()
    {
        var csv = """
            case_ref,facility,legal_name,city,state,sector,workers,date,act,detail
            twice-2024,Plant D,"Planta D, S.A. de C.V.",Saltillo,Coahuila,auto parts,,2024-02-01,self_initiated,
            """;
        await ImportAsync(csv);

        var changed = await ImportAsync(csv + "\ntwice-2024,Plant D,\"Planta D, S.A. de C.V.\",Saltillo,Coahuila,auto parts,,2024-02-05,closed,withdrawn");

        Assert.Equal(Outcome.Rejected, changed.Single().Outcome);
        Assert.Contains("different history", changed.Single().Reason);
        Assert.Equal("RequestPendingDispatch", await fixture.Database.ScalarAsync<string>("SELECT state FROM review.cases WHERE reference = 'twice-2024'"));
    }

    [Theory]
    [InlineData("not,a,header\n", "line 1 must be the header")]
    [InlineData("case_ref,facility,legal_name,city,state,sector,workers,date,act,detail\nx,\"unterminated", "not closed")]
    [InlineData("case_ref,facility,legal_name,city,state,sector,workers,date,act,detail\nx,y\n", "line 2 has 2 fields")]
    [InlineData("", "csv: is required")]
    public async Task Malformed_files_are_InvalidArgument_on_csv(string csv, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => ImportAsync(csv));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("csv:", error.Status.Detail);
        Assert.Contains(message, error.Status.Detail);
    }
}
