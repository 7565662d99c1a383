using Microsoft.Playwright;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using static Microsoft.Playwright.Assertions;

namespace Rrm.Board.Tests;

[Collection("board")]
public sealed class CustomsFeedPageTests(BoardSuite suite)
{
    [Fact]
    public async Task Treasury_sees_the_Impro_suspension_and_resumption_in_sequence_order_with_their_dates()
    {
        var impro = await suite.ImproAsync();
        var (suspend, resume) = await suite.ImproInstructionsAsync(impro.CaseId);

        var page = await suite.SignedInAsync(Roles.TreasuryOfficer);
        await page.GetByRole(AriaRole.Link, new() { Name = "Customs feed" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Customs feed");
        await page.GetByLabel("After sequence").FillAsync($"{suspend.Sequence - 1}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await page.WaitForURLAsync($"**/customs-feed?after={suspend.Sequence - 1}");

        var rows = page.Locator("table.instructions tbody tr").Filter(new() { Has = page.Locator($"a[href='/cases/{impro.CaseId}']") });
        await Expect(rows).ToHaveCountAsync(2);
        await ExpectRowAsync(rows.Nth(0), suspend, "liquidation suspend", "2024-07-25", "–");
        await ExpectRowAsync(rows.Nth(1), resume, "liquidation resume", "2024-09-17", "2025-03-17");
        Assert.True(suspend.Sequence < resume.Sequence);
        // The ledger starts right after the sequence asked for.
        await Expect(page.Locator("table.instructions tbody tr").First.Locator("td").First).ToHaveTextAsync($"{suspend.Sequence}");
        await BoardSuite.ScreenshotAsync(page, "customs-feed");
    }

    [Fact]
    public async Task An_ILC_analyst_is_told_their_roles_do_not_allow_reading_the_ledger()
    {
        // docs/security.md: ListInstructions is denied to ilc.analyst.
        var page = await suite.SignedInAsync(Roles.IlcAnalyst);
        await page.GotoAsync("/customs-feed");
        await Expect(page.Locator(".problem")).ToHaveTextAsync("Your roles do not allow reading the customs instructions.");
        await Expect(page.Locator("table.instructions")).ToHaveCountAsync(0);
    }

    private static async Task ExpectRowAsync(ILocator row, CustomsInstruction expected, string kind, string effective, string liquidateBy)
    {
        var cells = row.Locator("td");
        await Expect(cells.Nth(0)).ToHaveTextAsync($"{expected.Sequence}");
        await Expect(cells.Nth(1)).ToHaveTextAsync(kind);
        await Expect(cells.Nth(2)).ToHaveTextAsync($"invocation {expected.InvocationNumber}");
        await Expect(cells.Nth(3)).ToHaveTextAsync(expected.FacilityName);
        await Expect(cells.Nth(4)).ToHaveTextAsync(string.Join(", ", expected.Mids));
        await Expect(cells.Nth(5)).ToHaveTextAsync(effective);
        await Expect(cells.Nth(6)).ToHaveTextAsync(liquidateBy);
    }
}
