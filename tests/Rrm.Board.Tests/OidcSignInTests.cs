using Microsoft.Playwright;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Reference;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using static Microsoft.Playwright.Assertions;

namespace Rrm.Board.Tests;

/// <summary>
/// The deployments' sign-in: OpenID Connect (code flow, PKCE) at an identity provider, whose access token the board
/// forwards to the services (docs/board.md). The provider is tests/Rrm.Testing's stand-in; the services verify its
/// RS256 tokens with its JWKS.
/// </summary>
[Collection("board")]
public sealed class OidcSignInTests(BoardSuite suite)
{
    [Fact]
    public async Task A_person_signed_in_at_the_identity_provider_reads_the_cases_with_the_access_token_it_issued()
    {
        var impro = await suite.ImproAsync();
        suite.Provider.SignsIn = ("officer@ustr.example", [Roles.UstrOfficer]);
        var page = await (await suite.OidcBrowserAsync()).NewPageAsync();
        var recording = PageAudit.Record(page);

        await page.GotoAsync("/");

        lock (recording)
        {
            Assert.Contains(recording.Requests, u => u.StartsWith(suite.Provider.AuthorizeUrl + "?", StringComparison.Ordinal) && u.Contains("code_challenge="));
            Assert.Contains(recording.Requests, u => u.StartsWith(suite.OidcBoardUrl.TrimEnd('/') + "/signin-oidc?code=", StringComparison.Ordinal));
        }
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cases");
        await Expect(page.GetByTestId("roles")).ToHaveTextAsync(Roles.UstrOfficer);
        await Expect(page.Locator($"a[href='/cases/{impro.CaseId}']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task The_roles_the_provider_gives_are_the_ones_the_services_apply()
    {
        suite.Provider.SignsIn = ("gate@cbp.example", [Roles.CustomsSystem]);
        var page = await (await suite.OidcBrowserAsync()).NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("roles")).ToHaveTextAsync(Roles.CustomsSystem);
        await Expect(page.Locator(".problem")).ToHaveTextAsync("Your roles do not allow reading the cases.");
    }

    /// <summary>
    /// Access tokens of 3 s: past the first one's expiry, a page still reads the cases, and so does a live page opened
    /// before it, with the access token the board renewed with the refresh token, without a new sign-in. When the provider
    /// refuses to renew, the next page sends the person back to the provider to sign in again.
    /// </summary>
    [Fact]
    public async Task A_sign_in_outlives_its_access_token_by_renewing_it_until_the_provider_refuses()
    {
        var impro = await suite.ImproAsync();
        var today = LegalCalendar.Today(TimeProvider.System);
        var fresh = await suite.FreshCaseAsync($"renew {Guid.NewGuid():N}"[..14], today.AddDays(-3), today.AddDays(-1));
        suite.Provider.SignsIn = ("officer@ustr.example", [Roles.UstrOfficer]);
        suite.Provider.AccessTokenLifetime = TimeSpan.FromSeconds(3);
        try
        {
            var context = await suite.OidcBrowserAsync();
            var live = await context.NewPageAsync();
            await live.GotoAsync($"/cases/{fresh.CaseId}");
            await Expect(live.GetByTestId("live")).ToHaveTextAsync(CasePageTests.LiveText, CasePageTests.Live);
            var page = await context.NewPageAsync();
            var recording = PageAudit.Record(page);
            var renewals = suite.Provider.Refreshes;

            await Task.Delay(suite.Provider.AccessTokenLifetime + BoardSuite.ServicesClockSkew + TimeSpan.FromSeconds(2)); // the first token is dead
            await page.GotoAsync("/");
            await Expect(page.Locator($"a[href='/cases/{impro.CaseId}']")).ToHaveCountAsync(1);
            // The live page reads the ledger again after an act: with a renewed token, the suspension shows.
            await suite.Cases.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest
            {
                CaseId = fresh.CaseId, Act = new() { EffectiveDate = BoardSuite.D(today) }, SuspendLiquidation = true,
            }, ServiceStack.Officer);
            await Expect(live.Locator("table.instructions tbody tr[data-kind='LiquidationSuspend']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            Assert.True(suite.Provider.Refreshes > renewals, "the access token was never renewed");
            lock (recording) Assert.DoesNotContain(recording.Requests, u => u.StartsWith(suite.Provider.AuthorizeUrl, StringComparison.Ordinal));

            suite.Provider.RefusesRefresh = true;
            await Task.Delay(suite.Provider.AccessTokenLifetime); // the current token is due for renewal
            await page.GotoAsync("/statistics");
            lock (recording) Assert.Contains(recording.Requests, u => u.StartsWith(suite.Provider.AuthorizeUrl + "?", StringComparison.Ordinal));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Statistics"); // signed in again there
        }
        finally { suite.Provider.RenewAsUsual(); }
    }

    /// <summary>The provider down when a token is due: the board keeps the token it has (still valid) and the person stays signed in.</summary>
    [Fact]
    public async Task While_the_provider_is_down_a_due_token_is_kept_and_the_person_stays_signed_in()
    {
        var impro = await suite.ImproAsync();
        suite.Provider.SignsIn = ("officer@ustr.example", [Roles.UstrOfficer]);
        suite.Provider.AccessTokenLifetime = TimeSpan.FromSeconds(8); // due for renewal after 4 s
        try
        {
            var page = await (await suite.OidcBrowserAsync()).NewPageAsync();
            await page.GotoAsync("/");
            var recording = PageAudit.Record(page);
            var renewals = suite.Provider.Refreshes;
            suite.Provider.Unavailable = true;

            await Task.Delay(TimeSpan.FromSeconds(5)); // due, with 3 s of life left
            await page.GotoAsync("/");

            await Expect(page.Locator($"a[href='/cases/{impro.CaseId}']")).ToHaveCountAsync(1);
            Assert.Equal(renewals, suite.Provider.Refreshes);
            lock (recording) Assert.DoesNotContain(recording.Requests, u => u.StartsWith(suite.Provider.AuthorizeUrl, StringComparison.Ordinal));
        }
        finally { suite.Provider.RenewAsUsual(); }
    }
}
