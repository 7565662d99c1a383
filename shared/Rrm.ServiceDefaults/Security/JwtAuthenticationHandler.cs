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
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>A signed, unexpired token that breaks the house rules (no subject, too long a lifetime); its message is the reason given.</summary>
public sealed class TokenPolicyException(string reason) : SecurityTokenException(reason);

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
        if (!result.IsValid) return AuthenticateResult.Fail(result.Exception ?? new SecurityTokenException("invalid token"));
        var token = (JsonWebToken)result.SecurityToken;
        // Every act is recorded under the token's subject: a token that names nobody records acts by nobody.
        if (string.IsNullOrWhiteSpace(token.Subject)) return AuthenticateResult.Fail(new TokenPolicyException("the token names no subject (sub)"));
        var issued = token.IssuedAt == DateTime.MinValue ? DateTime.UtcNow : token.IssuedAt;
        if (token.ValidTo - issued > Options.MaxTokenLifetime)
            return AuthenticateResult.Fail(new TokenPolicyException($"the token is valid for longer than the {Options.MaxTokenLifetime.TotalHours:0.#} hours allowed (Auth:MaxTokenLifetime)"));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(result.ClaimsIdentity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var reason = result.Failure switch
        {
            null => "a bearer token is required (metadata \"authorization: Bearer <token>\")",
            SecurityTokenExpiredException => "the token has expired",
            TokenPolicyException policy => policy.Message,
            SecurityTokenNotYetValidException => "the token is not valid yet",
            SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "the token's signature is not valid",
            SecurityTokenInvalidAudienceException => "the token is meant for another audience",
            SecurityTokenInvalidIssuerException => "the token comes from another issuer",
            _ => "the token is not valid",
        };
        Response.Headers.WWWAuthenticate = "Bearer";
        Refuse(401, global::Grpc.Core.StatusCode.Unauthenticated, reason);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Refuse(403, global::Grpc.Core.StatusCode.PermissionDenied, "the token's roles do not allow this call (see docs/security.md)");
        return Task.CompletedTask;
    }

    /// <summary>
    /// A gRPC call gets a proper gRPC status with the reason (a trailers-only response), so that every client
    /// shows why; anything else gets the bare HTTP status.
    /// </summary>
    private void Refuse(int httpStatus, global::Grpc.Core.StatusCode status, string reason)
    {
        if (Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            Response.StatusCode = httpStatus;
            return;
        }
        Response.StatusCode = 200;
        Response.ContentType = "application/grpc";
        Response.Headers["grpc-status"] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Response.Headers["grpc-message"] = reason;
    }
}
