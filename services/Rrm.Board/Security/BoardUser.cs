using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Rrm.Board.Security;

/// <summary>
/// The signed-in person as the board's cookie holds them: their subject, their roles (for display; the services decide
/// what the roles allow) and the bearer token the board sends to the services on their behalf, or, for an OpenID Connect
/// sign-in the board renews, the id under which it holds that sign-in's tokens (<see cref="SignInTokens"/>). The cookie
/// is encrypted by ASP.NET Core data protection, so nothing in it reaches the browser readable.
/// </summary>
public static class BoardUser
{
    public const string TokenClaim = "rrm_token";
    /// <summary>An OpenID Connect sign-in whose tokens the board holds and renews (<see cref="SignInTokens"/>).</summary>
    public const string SignInClaim = "rrm_sign_in";
    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";

    /// <summary>A person with their bearer token in the cookie (the role picker's, or an access token that cannot be renewed).</summary>
    public static ClaimsPrincipal Principal(string subject, IEnumerable<string> roles, string token) => Make(subject, roles, new Claim(TokenClaim, token));

    /// <summary>
    /// The person an identity provider's access token names (its subject and role claims): with the token itself, or
    /// with <paramref name="signIn"/>, the id of the sign-in whose tokens the board holds.
    /// </summary>
    public static ClaimsPrincipal FromAccessToken(string accessToken, string? signIn)
    {
        var token = new JsonWebToken(accessToken);
        var roles = token.Claims.Where(c => c.Type == RoleClaim).Select(c => c.Value);
        return Make(token.Subject, roles, signIn is null ? new Claim(TokenClaim, accessToken) : new Claim(SignInClaim, signIn));
    }

    private static ClaimsPrincipal Make(string subject, IEnumerable<string> roles, Claim credential)
    {
        var claims = new List<Claim> { new(SubjectClaim, subject), credential };
        claims.AddRange(roles.Select(r => new Claim(RoleClaim, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "rrm", SubjectClaim, RoleClaim));
    }

    public static string? TokenOf(ClaimsPrincipal user) => user.FindFirst(TokenClaim)?.Value;

    public static string? SignInOf(ClaimsPrincipal user) => user.FindFirst(SignInClaim)?.Value;

    public static IReadOnlyList<string> RolesOf(ClaimsPrincipal user) => [.. user.FindAll(RoleClaim).Select(c => c.Value)];
}
