using System.Globalization;
using Microsoft.Playwright;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Reference;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using static Microsoft.Playwright.Assertions;

namespace Rrm.Board.Tests;

[Collection("board")]
public sealed class StatisticsPageTests(BoardSuite suite)
{
    [Fact]
    public async Task As_of_the_day_Impro_was_announced_the_chart_and_tables_show_GetStatistics_numbers()
    {
        await suite.ImproAsync();
        var expected = await suite.Cases.GetStatisticsAsync(new() { AsOf = BoardSuite.D(2024, 7, 26) }, ServiceStack.Analyst);
        // The demo's public history is in: every year of invocations from 2021 to 2024.
        Assert.Equal([2021, 2022, 2023, 2024], expected.InvocationsByYear.Select(y => y.Year));

        var page = await suite.SignedInAsync(Roles.IlcAnalyst);
        await page.GetByRole(AriaRole.Link, new() { Name = "Statistics" }).ClickAsync();
        await page.GetByLabel("As of").FillAsync("2024-07-26");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await page.WaitForURLAsync("**/statistics?asOf=2024-07-26");

        await ExpectStatisticsAsync(page, expected);
        await BoardSuite.ScreenshotAsync(page, "statistics");
    }

    [Fact]
    public async Task By_default_the_statistics_are_as_of_today()
    {
        await suite.ImproAsync();
        var today = LegalCalendar.Today(TimeProvider.System);
        var expected = await suite.Cases.GetStatisticsAsync(new() { AsOf = BoardSuite.D(today.Year, today.Month, today.Day) }, ServiceStack.Officer);

        var page = await suite.SignedInAsync(Roles.UstrOfficer);
        await page.GotoAsync("/statistics");

        await Expect(page.GetByLabel("As of")).ToHaveValueAsync(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await ExpectStatisticsAsync(page, expected);
    }

    [Fact]
    public async Task A_date_that_is_not_one_is_said_so_and_today_is_shown()
    {
        var today = LegalCalendar.Today(TimeProvider.System).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var page = await suite.SignedInAsync(Roles.Auditor);
        await page.GotoAsync("/statistics?asOf=2024-02-30");

        await Expect(page.Locator(".problem")).ToHaveTextAsync($"\"2024-02-30\" is not a date (yyyy-MM-dd); showing the statistics as of {today}.");
        await Expect(page.GetByLabel("As of")).ToHaveValueAsync(today);
        await Expect(page.Locator("table.by-year caption")).ToHaveTextAsync($"Invocations per year up to {today}");
    }

    private static async Task ExpectStatisticsAsync(IPage page, GetStatisticsResponse expected)
    {
        var years = expected.InvocationsByYear.Select(y => $"{y.Year}:{y.Invocations}").ToArray();

        // The chart: one bar per year carrying its numbers, the number written above it, heights in proportion.
        var bars = page.Locator("svg.chart[role=img] rect.bar");
        await Expect(bars).ToHaveCountAsync(years.Length);
        Assert.Equal(years, await bars.EvaluateAllAsync<string[]>("bars => bars.map(b => b.dataset.year + ':' + b.dataset.invocations)"));
        await Expect(page.Locator("svg.chart text.value")).ToHaveTextAsync(expected.InvocationsByYear.Select(y => $"{y.Invocations}").ToArray());
        var heights = await bars.EvaluateAllAsync<double[]>("bars => bars.map(b => b.getBBox().height)");
        var max = expected.InvocationsByYear.Max(y => y.Invocations);
        for (var i = 0; i < heights.Length; i++)
            Assert.Equal((double)expected.InvocationsByYear[i].Invocations / max, heights[i] / heights.Max(), 2);
        await Expect(page.Locator("svg.chart title")).ToHaveTextAsync($"Invocations per year up to {Iso(expected.AsOf)}");

        // The same numbers in the table, and the totals.
        var rows = page.Locator("table.by-year tbody tr");
        Assert.Equal(years, (await rows.AllInnerTextsAsync()).Select(r => r.Replace('\t', ':')).ToArray());
        await Expect(page.Locator("table.by-year tfoot td")).ToHaveTextAsync($"{expected.Invocations}");
        await Expect(page.GetByTestId("invocations")).ToHaveTextAsync($"{expected.Invocations}");
        await Expect(page.GetByTestId("recorded-invocations")).ToHaveTextAsync($"{expected.RecordedInvocations}");

        var states = expected.CasesByState.Select(s => $"{Format.Words(s.State)}:{s.Cases}").ToArray();
        Assert.NotEmpty(states);
        Assert.Equal(states, (await page.Locator("table.by-state tbody tr").AllInnerTextsAsync()).Select(r => r.Replace('\t', ':')).ToArray());
        await Expect(page.GetByTestId("resolved")).ToHaveTextAsync($"{expected.ResolvedCases}");
        await Expect(page.GetByTestId("panels")).ToHaveTextAsync($"{expected.PanelsRequested}");
        await Expect(page.GetByTestId("workers")).ToContainTextAsync(Format.Number(expected.WorkersAtFacilitiesWithCases));
    }

    private static string Iso(Rrm.Grpc.Common.V1.Date d) => $"{d.Year:0000}-{d.Month:00}-{d.Day:00}";
}
