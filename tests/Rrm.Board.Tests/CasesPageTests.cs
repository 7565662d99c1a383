using Microsoft.Playwright;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;
using static Microsoft.Playwright.Assertions;

namespace Rrm.Board.Tests;

[Collection("board")]
public sealed class CasesPageTests(BoardSuite suite)
{
    [Fact]
    public async Task The_cases_page_lists_the_Impro_case_with_its_state_liquidation_and_invocation_number()
    {
        var impro = await suite.ImproAsync();
        var page = await suite.SignedInAsync(Roles.UstrOfficer);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cases");
        var row = page.Locator("table.cases tbody tr").Filter(new() { Has = page.Locator($"a[href='/cases/{impro.CaseId}']") });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("resolved");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("none running");
        await Expect(row.Locator("td").Nth(5)).ToHaveTextAsync("not suspended");
        Assert.Equal(25, impro.Invocation.Number); // USTR's ordinal, as announced
        await Expect(row.Locator("td").Nth(6)).ToHaveTextAsync($"25 ({impro.Invocation.NumberInYear} of 2024)");
        await BoardSuite.ScreenshotAsync(page, "cases");
    }

    [Fact]
    public async Task The_filters_narrow_the_list_and_keep_their_values()
    {
        var impro = await suite.ImproAsync();
        var page = await suite.SignedInAsync(Roles.Auditor);
        var improLink = page.Locator($"a[href='/cases/{impro.CaseId}']");
        await Expect(improLink).ToHaveCountAsync(1);

        await page.GetByLabel("State", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "under Mexican review" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(improLink).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("State", new() { Exact = true })).ToHaveValueAsync(nameof(CaseState.UnderMexicanReview));

        await page.GotoAsync("/?state=Resolved&year=2024&mexicanState=SLP&sector=manufacturing");
        await Expect(improLink).ToHaveCountAsync(1);
        await page.GotoAsync("/?year=2023");
        await Expect(improLink).ToHaveCountAsync(0);
        await page.GotoAsync("/?open=true");
        await Expect(improLink).ToHaveCountAsync(0); // resolved: no clock running
    }

    [Fact]
    public async Task Signing_in_and_filtering_work_from_the_keyboard_alone()
    {
        var context = await suite.Browser.NewContextAsync(new() { BaseURL = suite.BoardUrl });
        var page = await context.NewPageAsync();
        var recording = PageAudit.Record(page);
        await page.GotoAsync("/signin");
        await PageAudit.AssertAccessibleAsync(page, suite.BoardUrl, recording);
        await BoardSuite.ScreenshotAsync(page, "signin");
        await page.GetByLabel("Your name").FocusAsync();
        await page.Keyboard.PressAsync("Tab"); // the first role
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Space"); // ustr.officer
        for (var i = 0; i < 5; i++) await page.Keyboard.PressAsync("Tab"); // past the other roles, to the button
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("roles")).ToHaveTextAsync(Roles.UstrOfficer);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cases");
    }

    [Fact]
    public async Task Signing_in_is_required_and_a_role_the_services_refuse_is_told_so()
    {
        var context = await suite.Browser.NewContextAsync(new() { BaseURL = suite.BoardUrl });
        var anonymous = await context.NewPageAsync();
        await anonymous.GotoAsync("/");
        await Expect(anonymous.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in");

        // customs.system may not list cases (docs/security.md): the board says so instead of failing.
        var customs = await suite.SignedInAsync(Roles.CustomsSystem);
        await Expect(customs.Locator(".problem")).ToHaveTextAsync("Your roles do not allow reading the cases.");
    }
}
