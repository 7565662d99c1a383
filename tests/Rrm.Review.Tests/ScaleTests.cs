using System.Diagnostics;
using Npgsql;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Review.V1;
using Rrm.Review.Data.Migrations;
using Rrm.Testing;
using Xunit.Abstractions;
using static Rrm.Review.Tests.ReviewFixture;

namespace Rrm.Review.Tests;

/// <summary>
/// The reads and the request for review with 100 and then 10,000 cases (the sample history cloned in SQL): the answers stay
/// right at size. The times are printed for the record of issue 19 (bench/ measures speed; nothing here asserts one).
/// </summary>
public sealed class ScaleTests(ReviewFixture fixture, ITestOutputHelper output) : IClassFixture<ReviewFixture>
{
    private const int Samples = 40;

    [Fact]
    public async Task With_ten_thousand_cases_the_reads_and_a_request_answer_as_with_a_hundred()
    {
        var imported = (await fixture.Reviews().ImportCaseHistoryAsync(new ImportCaseHistoryRequest { Csv = Fixtures.Read("case-history-sample.csv") }, Officer)).Results;
        foreach (var (size, month) in new[] { (100, 1), (10_000, 2) })
        {
            await CloneSampleUntilAsync(size);
            var requested = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM review.cases WHERE request_date IS NOT NULL");
            var someCase = await fixture.Database.ScalarAsync<Guid>("SELECT id FROM review.cases WHERE request_date IS NOT NULL ORDER BY request_date, request_recorded_at DESC LIMIT 1");
            var open = new List<Case>();
            for (var i = 0; i < Samples + 5; i++) open.Add(await fixture.OpenCaseAsync(D(2026, month, 5)));
            var reviews = fixture.Reviews();

            var getCase = await TimeAsync(async _ => (await reviews.GetCaseAsync(new GetCaseRequest { CaseId = someCase.ToString() }, Officer)).Case);
            var list = await TimeAsync(async _ => (await reviews.ListCasesAsync(new ListCasesRequest { Page = new PageRequest { PageSize = 50 } }, Officer)).Cases);
            var statistics = await TimeAsync(async _ => await reviews.GetStatisticsAsync(new GetStatisticsRequest { AsOf = D(2026, month, 5) }, Officer));
            // A new as_of each call: computed, never answered from the statistics remembered for the snapshot.
            var statisticsComputed = await TimeAsync(async i => await reviews.GetStatisticsAsync(new GetStatisticsRequest { AsOf = D(2025, 1 + i % 12, 1 + i / 12) }, Officer));
            var answers = new List<Case>();
            var request = await TimeAsync(async i =>
            {
                var answer = (await reviews.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest { CaseId = open[i].CaseId, Act = On(2026, month, 6), SuspendLiquidation = true }, Officer)).Case;
                answers.Add(answer);
                return answer;
            });
            output.WriteLine($"{size,6} cases: GetCase {getCase}; ListCases (50) {list}; GetStatistics {statistics} (computed: {statisticsComputed}); request for review {request}");

            Assert.NotNull(getCase.Last.Invocation);
            Assert.Equal(50, list.Last.Count);
            // Each request after every other is one more than the one before it, counted from the cases already requested.
            Assert.Equal(Enumerable.Range((int)requested + 1, answers.Count), answers.Select(a => a.Invocation.Number));
            Assert.Equal((int)requested, statistics.Last.Invocations);
            var after = await reviews.GetStatisticsAsync(new GetStatisticsRequest { AsOf = D(2026, month, 6) }, Officer);
            Assert.Equal((int)requested + answers.Count, after.Invocations);
            Assert.Equal(after.Invocations, after.InvocationsByYear.Sum(y => y.Invocations)); // no USTR ordinals: each year counts its own
        }
        Assert.Equal(4, imported.Count);
    }

    /// <summary>Runs <paramref name="call"/> a few times to warm up, then <see cref="Samples"/> times; the median and the 90th percentile.</summary>
    private static async Task<Timing<T>> TimeAsync<T>(Func<int, Task<T>> call)
    {
        var times = new List<double>();
        T last = default!;
        for (var i = 0; i < Samples + 5; i++)
        {
            var started = Stopwatch.GetTimestamp();
            last = await call(i);
            if (i >= 5) times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        times.Sort();
        return new Timing<T>(times[times.Count / 2], times[times.Count * 9 / 10], last);
    }

    private sealed record Timing<T>(double Median, double P90, T Last)
    {
        public override string ToString() => $"median {Median:0.00} ms, p90 {P90:0.00} ms";
    }

    /// <summary>Copies the imported sample cases (with their timelines and clocks) until the service holds <paramref name="size"/> cases.</summary>
    private async Task CloneSampleUntilAsync(int size)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        var have = await ScalarAsync<long>(connection, "SELECT count(*) FROM review.cases");
        var copies = (int)Math.Ceiling((size - have) / 4.0);
        if (copies <= 0) return;
        await ExecuteAsync(connection, $"""
            CREATE TEMP TABLE clones ON COMMIT DROP AS
              SELECT c.id AS old_id, gen_random_uuid() AS new_id, n FROM review.cases c, generate_series(1, {copies}) n
              WHERE c.reference IN ('panasonic-2022', 'goodyear-2023', 'impro-2024', 'example-2025');
            {await CopySqlAsync(connection, "cases", "c.id", new()
            {
                ["id"] = "m.new_id",
                ["reference"] = $"c.reference || '-{have}-' || m.n",
                ["request_recorded_at"] = "c.request_recorded_at + m.n * interval '1 millisecond'",
            })}
            {await CopySqlAsync(connection, "timeline_entries", "c.case_id", new() { ["id"] = null, ["case_id"] = "m.new_id" })}
            {await CopySqlAsync(connection, "case_deadlines", "c.case_id", new() { ["id"] = null, ["case_id"] = "m.new_id" })}
            {InvocationNumbers.BackfillSql};
            """, transaction: true);
        await ExecuteAsync(connection, "ANALYZE review.cases; ANALYZE review.timeline_entries; ANALYZE review.case_deadlines");
    }

    /// <summary>INSERT … SELECT of every column of <paramref name="table"/> for each clone, with the given columns replaced (null: left to its default).</summary>
    private static async Task<string> CopySqlAsync(NpgsqlConnection connection, string table, string caseIdColumn, Dictionary<string, string?> replaced)
    {
        var columns = new List<string>();
        await using (var command = new NpgsqlCommand(
            $"SELECT column_name FROM information_schema.columns WHERE table_schema = 'review' AND table_name = '{table}' ORDER BY ordinal_position", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
        var kept = columns.Where(c => !replaced.TryGetValue(c, out var value) || value is not null).ToList();
        var values = kept.Select(c => replaced.TryGetValue(c, out var value) ? value! : $"c.\"{c}\"");
        return $"INSERT INTO review.{table} ({string.Join(", ", kept.Select(c => $"\"{c}\""))}) " +
            $"SELECT {string.Join(", ", values)} FROM review.{table} c JOIN clones m ON m.old_id = {caseIdColumn};";
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, bool transaction = false)
    {
        await using var command = new NpgsqlCommand(transaction ? $"BEGIN; {sql} COMMIT;" : sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
