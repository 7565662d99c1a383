using Grpc.Core;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Review.V1;
using static Rrm.Review.Tests.ReviewFixture;
using Outcome = Rrm.Grpc.Review.V1.CaseImportResult.Types.Outcome;

namespace Rrm.Review.Tests;

/// <summary>Import format version 2 (docs/import-format.md): what public records hold, and the refusals that name the line.</summary>
public sealed class ImportFormatTests(ReviewFixture fixture) : IClassFixture<ReviewFixture>
{
    private const string Header = "case_ref,facility,legal_name,city,state,sector,workers,date,act,detail,announced_date,ustr_ordinal,source_url";

    private async Task<List<CaseImportResult>> ImportAsync(string csv, Date? until = null, params string[] skip)
    {
        var request = new ImportCaseHistoryRequest { Csv = csv, Until = until, SkipCaseRefs = { skip } };
        return (await fixture.Reviews().ImportCaseHistoryAsync(request, Officer)).Results.ToList();
    }

    private async Task<Case> CaseAsync(CaseImportResult result) =>
        (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = result.CaseId }, Officer)).Case;

    [Fact]
    public async Task A_public_record_with_an_ordinal_sources_an_unknown_legal_name_and_suspension_imports_with_all_of_it()
    {
        var csv = Header + """

            tornel-2025,Hulera Tornel plant,,,Estado de México,tires,,2025-01-08,self_initiated,,,,https://ustr.example/tornel
            tornel-2025,Hulera Tornel plant,,,Estado de México,tires,,2025-01-08,request_for_review,suspension_unknown,2025-01-09,32,https://ustr.example/tornel https://dol.example/tornel
            tornel-2025,Hulera Tornel plant,,,Estado de México,tires,,2025-01-15,mexico_accepted,,,,https://se.example/tornel
            tornel-2025,Hulera Tornel plant,,,Estado de México,tires,,2025-02-10,remediation_progress,reinstatement of 12 workers,,,https://news.example/tornel
            tornel-2025,Hulera Tornel plant,,,Estado de México,tires,,2025-03-03,panel_requested,MEX-USA-2025-31A-07,,,https://ustr.example/panel
            """;

        var result = Assert.Single(await ImportAsync(csv));

        Assert.True(result.Outcome == Outcome.Imported, result.Reason);
        var c = await CaseAsync(result);
        Assert.Equal(CaseState.PanelRequested, c.State);
        Assert.Equal((32, true), (c.Invocation.Number, c.Invocation.NumberIsUstrs));
        Assert.Equal("", c.Facility.LegalName);
        Assert.Equal("Hulera Tornel plant", c.Facility.CommonName);
        Assert.Empty(c.Facility.Mids); // no MID can be built without the legal name and the city
        Assert.True(c.LiquidationSuspensionUnknown);
        Assert.False(c.LiquidationSuspended);
        Assert.Equal("MEX-USA-2025-31A-07", c.PanelCaseNumber);
        Assert.Equal("reinstatement of 12 workers", Assert.Single(c.Actions).Description);
        var request = c.Timeline.Single(e => e.Act == CaseAct.RequestReview);
        Assert.Equal(D(2025, 1, 9), request.AnnouncedDate);
        Assert.Equal("https://ustr.example/tornel https://dol.example/tornel", request.SourceUrl);
        Assert.All(c.Timeline.Where(e => e.Kind == TimelineKind.Act && e.RecordedBy != "treaty clock"), e => Assert.StartsWith("https://", e.SourceUrl));
        // The 45-day review lapsed before the panel request (Mexico accepted, no findings are recorded).
        Assert.Contains(c.Timeline, e => e.Act == CaseAct.MexicoReviewLapses);
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM review.outbox_messages WHERE type = 'CaseHistoryImported' AND payload->'case'->>'caseId' = '{c.CaseId}'"));
    }

    [Theory]
    [InlineData("2025-01-08,self_initiated,,,7,https://ustr.example/x", 2, "ustr_ordinal belongs on the request_for_review row")]
    [InlineData("2025-01-08,self_initiated,,,,ftp://ustr.example/x", 2, "source_url 'ftp://ustr.example/x' is not an http(s) URL")]
    [InlineData("2025-01-08,self_initiated,,2025-13-01,,https://ustr.example/x", 2, "announced_date '2025-13-01' is not YYYY-MM-DD")]
    public async Task A_row_with_a_bad_version_2_field_rejects_its_case_naming_the_line(string row, int line, string reason)
    {
        var result = Assert.Single(await ImportAsync($"{Header}\nbad-{line}-{reason.Length},Planta,\"Planta X, S.A.\",León,Guanajuato,auto parts,,{row}\n"));

        Assert.Equal((Outcome.Rejected, line), (result.Outcome, result.Row));
        Assert.Contains(reason, result.Reason);
    }

    [Fact]
    public async Task A_history_imported_as_it_stood_on_a_date_and_without_a_case_leaves_the_rest_out()
    {
        var csv = Header + """

            early-2024,Planta Temprana,"Planta Temprana, S.A. de C.V.",Saltillo,Coahuila,auto parts,,2024-03-01,self_initiated,,,,https://a.example
            early-2024,Planta Temprana,"Planta Temprana, S.A. de C.V.",Saltillo,Coahuila,auto parts,,2024-03-01,request_for_review,suspend_liquidation,,,https://a.example
            early-2024,Planta Temprana,"Planta Temprana, S.A. de C.V.",Saltillo,Coahuila,auto parts,,2024-05-01,resolved,,,,https://a.example
            later-2024,Planta Tardía,"Planta Tardía, S.A. de C.V.",Saltillo,Coahuila,auto parts,,2024-06-01,self_initiated,,,,https://b.example
            skipped-2024,Planta Omitida,"Planta Omitida, S.A. de C.V.",Saltillo,Coahuila,auto parts,,2024-03-01,self_initiated,,,,https://c.example
            """;

        var results = await ImportAsync(csv, D(2024, 4, 1), "skipped-2024");

        var early = Assert.Single(results);
        Assert.Equal("early-2024", early.CaseRef);
        Assert.NotEqual(CaseState.Resolved, early.FinalState); // its resolution is after the date
        Assert.Equal(Outcome.Unchanged, Assert.Single(await ImportAsync(csv, D(2024, 4, 1), "skipped-2024")).Outcome);
    }

    [Fact]
    public async Task A_line_break_in_a_facility_name_rejects_the_case()
    {
        var result = Assert.Single(await ImportAsync(Header + "\nbroken-2024,Planta,\"Planta\r\nBcc: x@example.com\",León,Guanajuato,auto parts,,2024-03-01,self_initiated,,,,https://a.example\n"));

        Assert.Equal(Outcome.Rejected, result.Outcome);
        Assert.Contains("single lines without control characters", result.Reason);
    }

    [Fact]
    public async Task More_cases_than_one_request_takes_are_refused_whole_asking_for_batches()
    {
        var rows = Enumerable.Range(1, 501).Select(i => $"bulk-{i},Planta {i},\"Planta {i}, S.A.\",León,Guanajuato,auto parts,,2024-03-01,self_initiated,,,,https://a.example");
        var before = await fixture.CountAsync("cases");

        var error = await Assert.ThrowsAsync<RpcException>(() => ImportAsync(Header + "\n" + string.Join("\n", rows)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("csv", error.Status.Detail);
        Assert.Contains("holds 501 cases; import at most 500 per request", error.Status.Detail);
        Assert.Equal(before, await fixture.CountAsync("cases"));
    }

    [Fact]
    public async Task Bad_until_or_skip_is_refused_naming_the_field()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => ImportAsync(Header + "\n", null, ""));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("skip_case_refs[0]", error.Status.Detail);
    }
}

/// <summary>The Review service with a one-second import budget.</summary>
public sealed class BudgetedReviewFixture : ReviewFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings) { ["Review:ImportTimeBudget"] = "00:00:01" };
}

/// <summary>An import that outlasts its time budget reports the rest as not imported, and importing again continues.</summary>
public sealed class ImportBudgetTests(BudgetedReviewFixture fixture) : IClassFixture<BudgetedReviewFixture>
{
    [Fact]
    public async Task An_import_past_its_time_budget_stops_starting_cases_and_the_same_rows_again_finish_it()
    {
        var rows = Enumerable.Range(1, 150).Select(i =>
            $"budget-{i},Planta {i},\"Planta Presupuesto {i}, S.A.\",León,Guanajuato,auto parts,,2024-03-01,self_initiated,\n" +
            $"budget-{i},Planta {i},\"Planta Presupuesto {i}, S.A.\",León,Guanajuato,auto parts,,2024-03-01,request_for_review,suspend_liquidation");
        var request = new ImportCaseHistoryRequest { Csv = "case_ref,facility,legal_name,city,state,sector,workers,date,act,detail\n" + string.Join("\n", rows) };

        static bool Stopped(CaseImportResult r) => r.Reason.StartsWith("not imported: the request's time budget (1 s) was used up");
        var first = (await fixture.Reviews().ImportCaseHistoryAsync(request, Officer)).Results;
        var rounds = 1;
        for (var last = first; last.Any(Stopped) && rounds < 50; rounds++)
        {
            last = (await fixture.Reviews().ImportCaseHistoryAsync(request, Officer)).Results;
            Assert.All(last, r => Assert.True(r.Outcome is Outcome.Imported or Outcome.Unchanged || Stopped(r), r.Reason));
        }

        Assert.Contains(first, Stopped);
        Assert.Contains(first, r => r.Outcome == Outcome.Imported);
        Assert.True(rounds > 1);
        Assert.Equal(150, await fixture.CountAsync("cases"));
    }
}
