using Microsoft.Playwright;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using static Microsoft.Playwright.Assertions;

namespace Rrm.Board.Tests;

[Collection("board")]
public sealed class FacilityPageTests(BoardSuite suite)
{
    [Fact]
    public async Task The_Impro_facility_shows_its_MIDs_its_case_and_the_suspension_lifted_on_resumption()
    {
        var impro = await suite.ImproAsync();
        await suite.ImproInstructionsAsync(impro.CaseId);
        var facility = impro.Facility;
        Assert.NotEmpty(facility.Mids);
        await RegisterEntriesAsync(facility.Mids[0]);

        // From the cases page, the facility's name leads to its page.
        var page = await suite.SignedInAsync(Roles.TreasuryOfficer);
        var caseRow = page.Locator("table.cases tbody tr").Filter(new() { Has = page.Locator($"a[href='/cases/{impro.CaseId}']") });
        await caseRow.GetByRole(AriaRole.Link, new() { Name = "Impro Mexico facility", Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/facilities/{facility.FacilityId}");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Impro Mexico facility");
        await Expect(page.Locator("ul.mids li")).ToHaveTextAsync(facility.Mids.ToArray());
        var cases = page.Locator("table.facility-cases tbody tr");
        await Expect(cases).ToHaveCountAsync(1);
        await Expect(cases.Locator($"a[href='/cases/{impro.CaseId}']")).ToHaveCountAsync(1);
        await Expect(cases.Locator("td").Nth(1)).ToHaveTextAsync("resolved");

        // The suspension of liquidation from the request for review, lifted when the case was resolved.
        await Expect(page.GetByTestId("liquidation-now")).ToContainTextAsync("is not suspended now");
        var orders = page.Locator("table.orders tbody tr");
        await Expect(orders).ToHaveCountAsync(1);
        await Expect(orders.Locator("td").Nth(0)).ToHaveTextAsync("liquidation suspension");
        await Expect(orders.Locator("td").Nth(2)).ToHaveTextAsync(string.Join(", ", facility.Mids));
        await Expect(orders.Locator("td").Nth(3)).ToHaveTextAsync("2024-07-25");
        await Expect(orders.Locator("td").Nth(4)).ToHaveTextAsync("lifted on 2024-09-17");

        // The entries entered while liquidation was suspended, their value and duties, by month of entry.
        var impact = page.Locator("section.impact");
        await Expect(impact).ToContainTextAsync("3 entries held by its suspension of liquidation: entered value 250,000.50 USD, estimated duties 6,250.25 USD.");
        Assert.Equal(["2024-08\t2\t200,000.00\t5,000.00", "2024-09\t1\t50,000.50\t1,250.25"],
            await impact.Locator("table.impact-months tbody tr").AllInnerTextsAsync());
        await BoardSuite.ScreenshotAsync(page, "facility");
    }

    /// <summary>
    /// Three entries of Impro's goods, entered while liquidation was suspended, as the customs system registers them
    /// (registering the same numbers again changes nothing). Check digits by CBP's rule (liquidation.proto, CustomsEntry).
    /// </summary>
    private async Task RegisterEntriesAsync(string mid)
    {
        var customs = Tokens.For(Roles.CustomsSystem);
        using (var call = suite.Instructions.RegisterEntries(customs))
        {
            await call.RequestStream.WriteAsync(new()
            {
                Entries =
                {
                    Entry("BRD-2408001-7", mid, BoardSuite.D(2024, 8, 5), "120000.00", "3000.00"),
                    Entry("BRD-2408002-5", mid, BoardSuite.D(2024, 8, 20), "80000.00", "2000.00"),
                    Entry("BRD-2409001-6", mid, BoardSuite.D(2024, 9, 3), "50000.50", "1250.25"),
                },
            });
            await call.RequestStream.CompleteAsync();
            await call;
        }
    }

    private static CustomsEntry Entry(string number, string mid, Date entered, string value, string duties) => new()
    {
        EntryNumber = number, Importer = "Board Test Importer LLC", Mid = mid, CountryOfOrigin = "MX", EntryDate = entered,
        EnteredValue = new() { Value = value }, EstimatedDuties = new() { Value = duties }, TariffNumber = "8483.40.50",
    };

    [Fact]
    public async Task An_ILC_analyst_sees_the_facility_and_its_case_but_is_told_the_orders_and_held_entries_are_not_for_their_roles()
    {
        var impro = await suite.ImproAsync();
        var page = await suite.SignedInAsync(Roles.IlcAnalyst);
        await page.GotoAsync($"/facilities/{impro.Facility.FacilityId}");

        await Expect(page.Locator("ul.mids li")).ToHaveTextAsync(impro.Facility.Mids.ToArray());
        await Expect(page.Locator($"table.facility-cases a[href='/cases/{impro.CaseId}']")).ToHaveCountAsync(1);
        await Expect(page.Locator(".problem")).ToHaveTextAsync([
            "Your roles do not allow reading the orders.",
            "Your roles do not allow reading the held entries.",
        ]);
    }
}
