using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Rrm.ServiceDefaults.Security;

public sealed class JwtAuthenticationOptions : AuthenticationSchemeOptions
{
    public TokenValidationParameters TokenValidationParameters { get; set; } = new();
}

/// <summary>
/// Bearer-token authentication on top of Microsoft.IdentityModel.JsonWebTokens (the JwtBearer package
/// is not on our mirror). A 401 reaches gRPC clients as UNAUTHENTICATED, a 403 as PERMISSION_DENIED.
/// </summary>
public sealed class JwtAuthenticationHandler(
    IOptionsMonitor<JwtAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<JwtAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private static readonly JsonWebTokenHandler Tokens = new() { MapInboundClaims = false };

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var result = await Tokens.ValidateTokenAsync(header[7..].Trim(), Options.TokenValidationParameters);
        return result.IsValid
            ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(result.ClaimsIdentity), Scheme.Name))
            : AuthenticateResult.Fail(result.Exception ?? new SecurityTokenException("invalid token"));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
