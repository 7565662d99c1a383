using Npgsql;
using Rrm.Grpc.Review.V1;
using Rrm.Review.Application;
using Rrm.Testing;
using static Rrm.Review.Tests.ReviewFixture;

namespace Rrm.Review.Tests;

/// <summary>
/// GetStatistics, aggregated in SQL and remembered per database snapshot: the figures of every case counted one by one
/// (as the service counted them before issue 19), and a new act counted by the next call.
/// </summary>
public sealed class StatisticsTests(ReviewFixture fixture) : IClassFixture<ReviewFixture>, IAsyncLifetime
{
    private static readonly string History = File.ReadAllText(Path.Combine(Repository.Root, "data", "rrm-public-history.csv"));

    public async Task InitializeAsync()
    {
        if (await fixture.CountAsync("cases") == 0)
            await fixture.Reviews().ImportCaseHistoryAsync(new ImportCaseHistoryRequest { Csv = History }, Officer);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<GetStatisticsResponse> StatsAsync(DateOnly asOf) =>
        await fixture.Reviews().GetStatisticsAsync(new GetStatisticsRequest { AsOf = D(asOf.Year, asOf.Month, asOf.Day) }, Officer);

    [Fact]
    public async Task The_figures_of_the_public_record_equal_those_counted_case_by_case_on_any_day()
    {
        var (cases, acts) = await ReadAllAsync();
        foreach (var asOf in new DateOnly[] { new(2021, 6, 30), new(2022, 12, 31), new(2023, 8, 15), new(2024, 7, 26), new(2024, 12, 31), new(2026, 1, 1) })
        {
            var expected = CountCaseByCase(cases, acts, asOf);

            var actual = await StatsAsync(asOf);

            Assert.Equal(expected, (actual.Invocations, actual.RecordedInvocations, actual.ResolvedCases, actual.MedianDaysRequestToResolution,
                actual.WorkersAtFacilitiesWithCases, actual.FacilitiesWithoutWorkerCount, actual.PanelsRequested,
                string.Join(",", actual.CasesByState.OrderBy(s => s.State.ToString()).Select(s => $"{s.State}={s.Cases}")),
                string.Join(",", actual.InvocationsByYear.Select(y => $"{y.Year}={y.Invocations}"))));
        }
    }

    [Fact]
    public async Task A_request_is_counted_by_the_next_call_for_the_same_day()
    {
        var asOf = new DateOnly(2026, 6, 10);
        var c = await fixture.OpenCaseAsync(D(2026, 6, 1));
        var before = await StatsAsync(asOf);
        Assert.Equal(before.RecordedInvocations, (await StatsAsync(asOf)).RecordedInvocations);

        await fixture.Reviews().SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest { CaseId = c.CaseId, Act = On(2026, 6, 2), SuspendLiquidation = true }, Officer);

        var after = await StatsAsync(asOf);
        Assert.Equal((before.RecordedInvocations + 1, before.Invocations + 1), (after.RecordedInvocations, after.Invocations));
    }

    private sealed record CaseRow(Guid Id, DateOnly? Request, DateTimeOffset? RecordedAt, int? UstrOrdinal, DateOnly? ResolvedOn, DateOnly? PanelRequestedOn,
        Guid? FacilityId, string LegalName, string City, int Workers);

    private sealed record ActRow(Guid CaseId, int Position, DateOnly Date, string StateAfter);

    private async Task<(List<CaseRow> Cases, List<ActRow> Acts)> ReadAllAsync()
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        var cases = new List<CaseRow>();
        await using (var command = new NpgsqlCommand("""
            SELECT id, request_date, request_recorded_at, ustr_ordinal, resolved_on, panel_requested_on,
                   facility_facility_id, facility_legal_name, facility_city, facility_approximate_workers
            FROM review.cases
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                cases.Add(new(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateOnly>(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4),
                    reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5), reader.IsDBNull(6) ? null : reader.GetGuid(6), reader.GetString(7), reader.GetString(8), reader.GetInt32(9)));
        var acts = new List<ActRow>();
        await using (var command = new NpgsqlCommand("SELECT case_id, position, effective_date, state_after FROM review.timeline_entries WHERE kind = 'Act'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                acts.Add(new(reader.GetGuid(0), reader.GetInt32(1), reader.GetFieldValue<DateOnly>(2), reader.GetString(3)));
        return (cases, acts);
    }

    /// <summary>The figures as the service computed them before issue 19: every case read, the numbers from every request.</summary>
    private static (int, int, int, double, int, int, int, string, string) CountCaseByCase(List<CaseRow> cases, List<ActRow> acts, DateOnly asOf)
    {
        var requested = cases.Where(c => c.Request <= asOf).ToList();
        var states = acts.Where(a => a.Date <= asOf).GroupBy(a => a.CaseId).Select(g => g.MaxBy(a => a.Position)!.StateAfter).ToList();
        var days = requested.Where(c => c.ResolvedOn <= asOf).Select(c => (double)(c.ResolvedOn!.Value.DayNumber - c.Request!.Value.DayNumber)).Order().ToList();
        var median = days.Count == 0 ? 0 : days.Count % 2 == 1 ? days[days.Count / 2] : (days[days.Count / 2 - 1] + days[days.Count / 2]) / 2;
        var facilities = requested.GroupBy(c => c.FacilityId?.ToString() ?? $"{c.LegalName}|{c.City}").Select(g => g.First().Workers).ToList();
        var numbers = Invocations.Number(cases.Where(c => c.Request is not null).Select(c => new Invocations.Request(c.Id, c.Request!.Value, c.RecordedAt, c.UstrOrdinal)));
        var highestByYear = requested.GroupBy(c => c.Request!.Value.Year).OrderBy(g => g.Key).Select(g => (Year: g.Key, Highest: g.Max(c => numbers[c.Id].Number))).ToList();
        return (highestByYear.Select(y => y.Highest).DefaultIfEmpty(0).Max(), requested.Count, states.Count(s => s == "Resolved"), median,
            facilities.Sum(), facilities.Count(w => w == 0), cases.Count(c => c.PanelRequestedOn <= asOf),
            string.Join(",", states.GroupBy(s => s).OrderBy(g => ProtoName(g.Key)).Select(g => $"{ProtoName(g.Key)}={g.Count()}")),
            string.Join(",", highestByYear.Select((y, i) => $"{y.Year}={y.Highest - highestByYear.Take(i).Select(p => p.Highest).DefaultIfEmpty(0).Max()}")));
    }

    private static string ProtoName(string state) => Enum.Parse<CaseState>(state).ToString();
}
