using Microsoft.Playwright;
using Rrm.ServiceDefaults.Security;
using static Microsoft.Playwright.Assertions;

namespace Rrm.Board.Tests;

[Collection("board")]
public sealed class PageAuditTests(BoardSuite suite)
{
    [Fact]
    public async Task Every_page_is_plain_accessible_HTML_and_fetches_nothing_from_elsewhere()
    {
        var impro = await suite.ImproAsync();
        // ustr.officer may read every part of every page (docs/security.md), so each page shows all it has.
        var page = await suite.SignedInAsync(Roles.UstrOfficer);
        var requests = PageAudit.RecordRequests(page);
        foreach (var (path, heading) in new[]
                 {
                     ("/", "Cases"), ($"/cases/{impro.CaseId}", impro.Facility.CommonName), ($"/facilities/{impro.Facility.FacilityId}", impro.Facility.CommonName),
                     ("/statistics", "Statistics"), ("/customs-feed", "Customs feed"),
                 })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(heading);
            await PageAudit.AssertAccessibleAsync(page, suite.BoardUrl, requests);
        }
    }
}
