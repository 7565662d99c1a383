using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Rrm.ServiceDefaults.Security;

/// <summary>A signed, unexpired token that breaks the house rules (no subject, too long a lifetime); its message is the reason given.</summary>
public sealed class TokenPolicyException(string reason) : SecurityTokenException(reason);

/// <summary>
/// The suite's rules on top of the JwtBearer handler's checks, and its refusals as gRPC statuses: UNAUTHENTICATED with the
/// reason, PERMISSION_DENIED when the token's roles do not allow the call (docs/security.md).
/// </summary>
internal sealed class TokenEvents : JwtBearerEvents
{
    public TokenEvents(TimeSpan maxTokenLifetime)
    {
        OnTokenValidated = context =>
        {
            var token = (JsonWebToken)context.SecurityToken;
            // Every act is recorded under the token's subject: a token that names nobody records acts by nobody.
            if (string.IsNullOrWhiteSpace(token.Subject))
                context.Fail(new TokenPolicyException("the token names no subject (sub)"));
            else if (token.ValidTo - (token.IssuedAt == DateTime.MinValue ? DateTime.UtcNow : token.IssuedAt) > maxTokenLifetime)
                context.Fail(new TokenPolicyException(
                    $"the token is valid for longer than the {maxTokenLifetime.TotalHours:0.#} hours allowed (Auth:MaxTokenLifetime)"));
            return Task.CompletedTask;
        };
        OnChallenge = context =>
        {
            context.HandleResponse();
            context.Response.Headers.WWWAuthenticate = "Bearer";
            Refuse(context.HttpContext, StatusCodes.Status401Unauthorized, global::Grpc.Core.StatusCode.Unauthenticated, Reason(context.AuthenticateFailure));
            return Task.CompletedTask;
        };
        OnForbidden = context =>
        {
            Refuse(context.HttpContext, StatusCodes.Status403Forbidden, global::Grpc.Core.StatusCode.PermissionDenied,
                "the token's roles do not allow this call (see docs/security.md)");
            return Task.CompletedTask;
        };
    }

    private static string Reason(Exception? failure) => failure switch
    {
        null => "a bearer token is required (metadata \"authorization: Bearer <token>\")",
        SecurityTokenExpiredException => "the token has expired",
        TokenPolicyException policy => policy.Message,
        SecurityTokenNotYetValidException => "the token is not valid yet",
        SecurityTokenNoExpirationException => "the token has no expiry (exp)",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "the token's signature is not valid",
        SecurityTokenInvalidAudienceException => "the token is meant for another audience",
        SecurityTokenInvalidIssuerException => "the token comes from another issuer",
        _ => "the token is not valid",
    };

    /// <summary>
    /// A gRPC call gets a proper gRPC status with the reason (a trailers-only response), so that every client
    /// shows why; anything else gets the bare HTTP status.
    /// </summary>
    private static void Refuse(HttpContext context, int httpStatus, global::Grpc.Core.StatusCode status, string reason)
    {
        var response = context.Response;
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            response.StatusCode = httpStatus;
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = reason;
    }
}
