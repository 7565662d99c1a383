using Grpc.Core;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Review.V1;
using Rrm.Testing;
using static Rrm.Review.Tests.ReviewFixture;

namespace Rrm.Review.Tests;

/// <summary>A service whose database holds the sample history, imported once for the class.</summary>
public sealed class ImportedHistoryFixture : ReviewFixture
{
    public Dictionary<string, string> CaseIds { get; private set; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var results = await Reviews().ImportCaseHistoryAsync(new ImportCaseHistoryRequest { Csv = Fixtures.Read("case-history-sample.csv") }, Officer);
        CaseIds = results.Results.ToDictionary(r => r.CaseRef, r => r.CaseId);
    }
}

/// <summary>GetStatistics, ListCases and invocation numbers over the imported sample history.</summary>
public sealed class CaseReadTests(ImportedHistoryFixture fixture) : IClassFixture<ImportedHistoryFixture>
{
    private Task<GetStatisticsResponse> StatisticsAsOf(int year, int month, int day) =>
        fixture.Reviews().GetStatisticsAsync(new GetStatisticsRequest { AsOf = D(year, month, day) }, Officer).ResponseAsync;

    [Fact]
    public async Task Statistics_count_invocations_states_and_days_to_resolution_as_of_a_date()
    {
        var now = await StatisticsAsOf(2025, 12, 31);
        var endOf2023 = await StatisticsAsOf(2023, 12, 31);

        Assert.Equal(3, now.Invocations);
        Assert.Equal([(2022, 1), (2023, 1), (2024, 1)], now.InvocationsByYear.Select(y => (y.Year, y.Invocations)));
        Assert.Equal(3, now.ResolvedCases);
        // Panasonic 57 days (May 18 to July 14, 2022), Goodyear 259, Impro 53: the median is 57.
        Assert.Equal(57, now.MedianDaysRequestToResolution);
        Assert.Equal([(CaseState.PetitionDeclined, 1), (CaseState.Resolved, 3)], now.CasesByState.Select(s => (s.State, s.Cases)));
        Assert.Equal(0, now.PanelsRequested);

        Assert.Equal(2, endOf2023.Invocations);
        Assert.Equal(1, endOf2023.ResolvedCases);
        Assert.Equal([(CaseState.RemediationInProgress, 1), (CaseState.Resolved, 1)], endOf2023.CasesByState.Select(s => (s.State, s.Cases)));
    }

    [Fact]
    public async Task Invocations_are_numbered_by_request_date_overall_and_within_the_year()
    {
        var impro = (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = fixture.CaseIds["impro-2024"] }, Officer)).Case;
        var example = (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = fixture.CaseIds["example-2025"] }, Officer)).Case;

        Assert.Equal((3, 1, 2024), (impro.Invocation.Number, impro.Invocation.NumberInYear, impro.Invocation.Year));
        Assert.Null(example.Invocation);
    }

    [Fact]
    public async Task Lists_filter_by_state_year_mexican_state_and_open_clocks_in_stable_pages()
    {
        var reviews = fixture.Reviews();
        async Task<List<string>> All(ListCasesRequest request)
        {
            var ids = new List<string>();
            request.Page = new PageRequest { PageSize = 1 };
            do
            {
                var page = await reviews.ListCasesAsync(request, Officer);
                ids.AddRange(page.Cases.Select(c => c.CaseId));
                request.Page.PageToken = page.Page.NextPageToken;
            } while (request.Page.PageToken.Length > 0);
            return ids;
        }

        Assert.Equal(4, (await All(new ListCasesRequest())).Distinct().Count());
        Assert.Equal([fixture.CaseIds["example-2025"]], await All(new ListCasesRequest { State = CaseState.PetitionDeclined }));
        Assert.Equal([fixture.CaseIds["goodyear-2023"]], await All(new ListCasesRequest { Year = 2023 }));
        Assert.Equal(2, (await All(new ListCasesRequest { MexicanState = "San Luis Potosí" })).Count);
        Assert.Equal([fixture.CaseIds["panasonic-2022"]], await All(new ListCasesRequest { MexicanState = "TAM" }));
        Assert.Empty(await All(new ListCasesRequest { WithOpenDeadlines = true }));
        var bad = await Assert.ThrowsAsync<RpcException>(() => reviews.ListCasesAsync(new ListCasesRequest { MexicanState = "Texas" }, Officer).ResponseAsync);
        Assert.Contains("mexican_state:", bad.Status.Detail);
    }
}
