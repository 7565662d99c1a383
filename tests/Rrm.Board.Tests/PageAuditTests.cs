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
        var recording = PageAudit.Record(page);
        foreach (var (path, heading) in new[]
                 {
                     ("/", "Cases"), ($"/cases/{impro.CaseId}", impro.Facility.CommonName), ($"/facilities/{impro.Facility.FacilityId}", impro.Facility.CommonName),
                     ("/statistics", "Statistics"), ("/customs-feed", "Customs feed"),
                 })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(heading);
            await PageAudit.AssertAccessibleAsync(page, suite.BoardUrl, recording);
        }
    }

    /// <summary>
    /// Every page, the public ones and the error page too, says the board's security headers; under its policy a script the
    /// board did not serve (an injected inline one) does not run, and the browser says why.
    /// </summary>
    [Fact]
    public async Task Every_page_forbids_framing_sniffing_outside_referrers_and_scripts_the_board_did_not_serve()
    {
        var impro = await suite.ImproAsync();
        var page = await suite.SignedInAsync(Roles.UstrOfficer);
        foreach (var path in new[] { "/", $"/cases/{impro.CaseId}", $"/facilities/{impro.Facility.FacilityId}", "/statistics", "/customs-feed", "/signin", "/error", "/no-such-page" })
        {
            var headers = await (await page.GotoAsync(path))!.AllHeadersAsync();
            Assert.Equal(BoardModule.ContentSecurityPolicy, headers.GetValueOrDefault("content-security-policy"));
            Assert.Equal("DENY", headers.GetValueOrDefault("x-frame-options"));
            Assert.Equal("nosniff", headers.GetValueOrDefault("x-content-type-options"));
            Assert.Equal("same-origin", headers.GetValueOrDefault("referrer-policy"));
        }

        var recording = PageAudit.Record(page);
        await page.GotoAsync("/");
        try { await page.AddScriptTagAsync(new() { Content = "window.injected = true;" }); }
        catch (PlaywrightException) { } // how some browsers report the refusal; the checks below are what matter
        Assert.False(await page.EvaluateAsync<bool>("() => window.injected === true"), "an injected inline script ran");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cases");
        lock (recording) Assert.Contains(recording.Refused, r => r.Contains("inline script", StringComparison.OrdinalIgnoreCase));
    }
}
