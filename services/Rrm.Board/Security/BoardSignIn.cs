using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Board.Security;

/// <summary>
/// Sign-in (docs/board.md, "Sign-in"): a cookie for the browser, holding the token the services verify. In deployments
/// the token is the access token of an OpenID Connect sign-in; locally, the role picker at /signin mints the
/// local-development token, as <c>./rrm token</c> does.
/// </summary>
public static class BoardSignIn
{
    public const string SignInPath = "/signin";
    /// <summary>Where the role picker's form posts (the page's own path answers POST too, for Blazor's forms).</summary>
    public const string LocalSignInPath = "/signin/local";

    /// <summary>The roles a person can pick locally: every role of docs/security.md but the services' own.</summary>
    public static readonly IReadOnlyList<string> PersonRoles =
        [Roles.IlcAnalyst, Roles.UstrOfficer, Roles.TreasuryOfficer, Roles.NotificationAdmin, Roles.Auditor, Roles.CustomsSystem];

    public static void AddBoardSignIn(this WebApplicationBuilder builder, BoardOptions board)
    {
        var authentication = builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = board.DevelopmentSignIn
                    ? CookieAuthenticationDefaults.AuthenticationScheme
                    : OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "rrm-board";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Secure behind the ingress's https (ASPNETCORE_FORWARDEDHEADERS_ENABLED, docs/operations.md).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = SignInPath;
                o.AccessDeniedPath = SignInPath;
                // The sign-in lasts as long as its token (or, with OpenID Connect and a refresh token, SignInLifetime):
                // the services would refuse the token after that anyway.
                o.SlidingExpiration = false;
                o.Events.OnValidatePrincipal = RenewOrEndAsync;
            });
        if (!board.DevelopmentSignIn)
            authentication.AddOpenIdConnect(o =>
            {
                o.Authority = board.Oidc.Authority;
                o.ClientId = board.Oidc.ClientId;
                o.ClientSecret = board.Oidc.ClientSecret;
                o.RequireHttpsMetadata = board.Oidc.RequireHttpsMetadata;
                o.ResponseType = OpenIdConnectResponseType.Code;
                // The code comes back on the redirect's query (the OAuth default), a plain top-level GET.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.UsePkce = true;
                o.MapInboundClaims = false;
                o.Scope.Clear();
                foreach (var scope in $"openid profile {board.Oidc.Scopes}".Split(' ', StringSplitOptions.RemoveEmptyEntries)) o.Scope.Add(scope);
                o.Events.OnTokenValidated = context =>
                {
                    // The cookie keeps the access token (what the services verify) and the roles it carries, not the
                    // provider's whole identity.
                    var accessToken = context.TokenEndpointResponse?.AccessToken;
                    if (string.IsNullOrEmpty(accessToken))
                    {
                        context.Fail("the identity provider issued no access token");
                        return Task.CompletedTask;
                    }
                    // With a refresh token the board holds the tokens and renews the access token (SignInTokens) for up
                    // to SignInLifetime; without one the sign-in ends with the access token, which the cookie carries.
                    var refreshToken = context.TokenEndpointResponse?.RefreshToken;
                    if (string.IsNullOrEmpty(refreshToken))
                    {
                        context.Principal = BoardUser.FromAccessToken(accessToken, signIn: null);
                        context.Properties!.ExpiresUtc = new JsonWebToken(accessToken).ValidTo;
                        return Task.CompletedTask;
                    }
                    var ends = DateTimeOffset.UtcNow + board.Oidc.SignInLifetime;
                    var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInTokens>().Add(accessToken, refreshToken, ends);
                    context.Principal = BoardUser.FromAccessToken(accessToken, signIn);
                    context.Properties!.ExpiresUtc = ends;
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddSingleton<SignInTokens>();
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
    }

    /// <summary>
    /// On each request of a renewed sign-in, its access token is renewed if due, so a page starts with a token that serves.
    /// A sign-in that has ended (its lifetime over, the provider refused to renew, or from before a restart): sign in again.
    /// </summary>
    private static async Task RenewOrEndAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } user || BoardUser.SignInOf(user) is not { } signIn) return;
        var tokens = context.HttpContext.RequestServices.GetRequiredService<SignInTokens>();
        if (await tokens.AccessTokenAsync(signIn, context.HttpContext.RequestAborted) is not null) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    public static void MapBoardSignIn(this WebApplication app, BoardOptions board, AuthOptions? developmentKey)
    {
        if (board.DevelopmentSignIn)
            app.MapPost(LocalSignInPath, async (HttpContext http) =>
            {
                if (!AntiforgeryValid(http)) return Results.BadRequest("the form has expired: open the sign-in page again");
                var form = await http.Request.ReadFormAsync();
                var returnUrl = LocalOrRoot(form["returnUrl"]);
                var roles = form["role"].OfType<string>().Where(PersonRoles.Contains).Distinct().ToList();
                if (roles.Count == 0)
                    return Results.LocalRedirect($"{SignInPath}?error=roles&returnUrl={Uri.EscapeDataString(returnUrl)}");
                var subject = string.IsNullOrWhiteSpace(form["name"]) ? "developer" : form["name"].ToString().Trim();
                var lifetime = board.DevelopmentTokenLifetime;
                var token = DevTokens.Mint(developmentKey!, subject, roles, lifetime);
                await http.SignInAsync(BoardUser.Principal(subject, roles, token),
                    new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow + lifetime });
                return Results.LocalRedirect(returnUrl);
            }).WithMetadata(new RequireAntiforgeryTokenAttribute());
        app.MapPost("/signout", async (HttpContext http) =>
        {
            if (!AntiforgeryValid(http)) return Results.BadRequest("the form has expired: open the page again");
            if (BoardUser.SignInOf(http.User) is { } signIn) http.RequestServices.GetRequiredService<SignInTokens>().Remove(signIn);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
    }

    // The antiforgery middleware checks the form's token on these endpoints; a handler that reads the form itself
    // must look at the outcome (minimal APIs do it only when they bind the form).
    private static bool AntiforgeryValid(HttpContext http) => http.Features.Get<IAntiforgeryValidationFeature>()?.IsValid == true;

    /// <summary>Only a path of this site: a sign-in must not send anyone elsewhere (an open redirect).</summary>
    public static string LocalOrRoot(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url : "/";

    /// <summary>The key the role picker mints with; required (at least 32 bytes) when the picker is on.</summary>
    public static AuthOptions? DevelopmentKey(IConfiguration configuration, BoardOptions board)
    {
        if (!board.DevelopmentSignIn) return null;
        var auth = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        if (Encoding.UTF8.GetByteCount(auth.SigningKey ?? "") < 32)
            throw new InvalidOperationException("Board:DevelopmentSignIn needs Auth:SigningKey (at least 32 bytes), the services' local-development key");
        return auth;
    }
}
