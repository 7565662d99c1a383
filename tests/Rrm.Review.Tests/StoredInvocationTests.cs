using Grpc.Core;
using Npgsql;
using Rrm.Grpc.Review.V1;
using Rrm.Review.Application;
using Rrm.Review.Data.Migrations;
using Rrm.ServiceDefaults.Reference;
using Rrm.Testing;
using static Rrm.Review.Tests.ReviewFixture;

namespace Rrm.Review.Tests;

/// <summary>
/// The invocation numbers stored on the cases (Invocations): kept right when a request is entered before others, distinct
/// for requests recorded at the same time, and equal to the rule over every request (as the migration's backfill computes it).
/// </summary>
public sealed class StoredInvocationTests(ReviewFixture fixture) : IClassFixture<ReviewFixture>
{
    private static readonly string History = File.ReadAllText(Path.Combine(Repository.Root, "data", "rrm-public-history.csv"));

    /// <summary>Submits the request, sending it again on ABORTED, as the contract tells a client to (others changed the data meanwhile).</summary>
    private async Task<Invocation> RequestAsync(Case c, Act act)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await fixture.Reviews().SubmitRequestForReviewAsync(
                    new SubmitRequestForReviewRequest { CaseId = c.CaseId, Act = act, SuspendLiquidation = true }, Officer)).Case.Invocation;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Aborted && attempt < 3) { }
        }
    }

    private async Task<Invocation> InvocationOfAsync(Case c) =>
        (await fixture.Reviews().GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, Officer)).Case.Invocation;

    [Fact]
    public async Task A_request_entered_before_others_takes_its_place_and_the_later_ones_move_up_in_every_read()
    {
        await fixture.Reviews().ImportCaseHistoryAsync(new ImportCaseHistoryRequest { Csv = History }, Officer);
        var (first, second, backdated) = (await fixture.OpenCaseAsync(D(2026, 3, 2)), await fixture.OpenCaseAsync(D(2026, 3, 2)), await fixture.OpenCaseAsync(D(2026, 3, 2)));
        var numberOfFirst = await RequestAsync(first, On(2026, 3, 20));
        var numberOfSecond = await RequestAsync(second, On(2026, 3, 25));

        var numberOfBackdated = await RequestAsync(backdated, On(2026, 3, 10));

        Assert.Equal((numberOfFirst.Number, numberOfFirst.NumberInYear), (numberOfBackdated.Number, numberOfBackdated.NumberInYear));
        Assert.Equal((numberOfFirst.Number + 1, numberOfFirst.NumberInYear + 1), ((await InvocationOfAsync(first)).Number, (await InvocationOfAsync(first)).NumberInYear));
        Assert.Equal(numberOfSecond.Number + 1, (await InvocationOfAsync(second)).Number);
        var listed = (await fixture.Reviews().ListCasesAsync(new ListCasesRequest { Year = 2026 }, Officer)).Cases.ToDictionary(c => c.CaseId, c => c.Invocation.Number);
        Assert.Equal([numberOfBackdated.Number, numberOfFirst.Number + 1, numberOfSecond.Number + 1], new[] { backdated, first, second }.Select(c => listed[c.CaseId]));
        var statistics = await fixture.Reviews().GetStatisticsAsync(new GetStatisticsRequest { AsOf = D(2026, 3, 31) }, Officer);
        Assert.Equal(numberOfSecond.Number + 1, statistics.Invocations);
        await AssertStoredNumbersFollowTheRuleAsync();
    }

    [Fact]
    public async Task Requests_recorded_at_the_same_time_get_distinct_numbers_one_after_the_other()
    {
        // Dated today: no clock of these requests is due yet, so only the requests themselves run at the same time.
        var today = LegalCalendar.Today(TimeProvider.System);
        var cases = new List<Case>();
        for (var i = 0; i < 8; i++) cases.Add(await fixture.OpenCaseAsync(D(today.Year, today.Month, today.Day)));

        var answered = await Task.WhenAll(cases.Select(c => RequestAsync(c, On(today.Year, today.Month, today.Day))));

        // Each answer numbered its request after those committed before it; one recorded a moment earlier but committed
        // later goes before it, as the order of the requests says, and moves it up by one.
        var numbers = (await Task.WhenAll(cases.Select(InvocationOfAsync))).Select(n => n.Number).Order().ToList();
        Assert.Equal(Enumerable.Range(numbers[0], cases.Count), numbers);
        Assert.All(answered, a => Assert.InRange(a.Number, numbers[0], numbers[^1]));
        await AssertStoredNumbersFollowTheRuleAsync();
    }

    /// <summary>The numbers stored one request at a time equal the rule applied to every request at once, and the migration's backfill.</summary>
    private async Task AssertStoredNumbersFollowTheRuleAsync()
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        var stored = await NumbersAsync(connection);
        var requests = new List<Invocations.Request>();
        await using (var command = new NpgsqlCommand("SELECT id, request_date, request_recorded_at, ustr_ordinal FROM review.cases WHERE request_date IS NOT NULL", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                requests.Add(new(reader.GetGuid(0), reader.GetFieldValue<DateOnly>(1), reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? null : reader.GetInt32(3)));
        var rule = Invocations.Continue(requests, Invocations.Start.None).ToDictionary(n => n.Request.Id, n => (n.Numbers.Number, n.Numbers.NumberInYear, n.Highest));
        Assert.Equal(rule.OrderBy(x => x.Key), stored.OrderBy(x => x.Key));

        await using (var backfill = new NpgsqlCommand($"BEGIN; UPDATE review.cases SET invocation_number = NULL, invocation_number_in_year = NULL, invocation_highest = NULL; {InvocationNumbers.BackfillSql}", connection))
            await backfill.ExecuteNonQueryAsync();
        var backfilled = await NumbersAsync(connection);
        await using (var rollback = new NpgsqlCommand("ROLLBACK", connection)) await rollback.ExecuteNonQueryAsync();
        Assert.Equal(rule.OrderBy(x => x.Key), backfilled.OrderBy(x => x.Key));
    }

    private static async Task<Dictionary<Guid, (int, int, int)>> NumbersAsync(NpgsqlConnection connection)
    {
        var numbers = new Dictionary<Guid, (int, int, int)>();
        await using var command = new NpgsqlCommand(
            "SELECT id, invocation_number, invocation_number_in_year, invocation_highest FROM review.cases WHERE request_date IS NOT NULL", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) numbers[reader.GetGuid(0)] = (reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
        return numbers;
    }
}
