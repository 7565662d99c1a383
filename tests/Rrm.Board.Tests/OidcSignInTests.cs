using Microsoft.Playwright;
using Rrm.ServiceDefaults.Security;
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
        var page = await (await suite.Browser.NewContextAsync(new() { BaseURL = suite.OidcBoardUrl })).NewPageAsync();
        var recording = PageAudit.Record(page);

        await page.GotoAsync("/");

        lock (recording)
        {
            Assert.Contains(recording.Requests, u => u.StartsWith(suite.Provider.Authority + "/authorize?", StringComparison.Ordinal) && u.Contains("code_challenge="));
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
        var page = await (await suite.Browser.NewContextAsync(new() { BaseURL = suite.OidcBoardUrl })).NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("roles")).ToHaveTextAsync(Roles.CustomsSystem);
        await Expect(page.Locator(".problem")).ToHaveTextAsync("Your roles do not allow reading the cases.");
    }
}
