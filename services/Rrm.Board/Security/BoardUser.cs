using System.Security.Claims;

namespace Rrm.Board.Security;

/// <summary>
/// The signed-in person as the board's cookie holds them: their subject, their roles (for display; the services decide
/// what the roles allow) and the bearer token the board sends to the services on their behalf. The cookie is encrypted
/// by ASP.NET Core data protection, so the token never reaches the browser readable.
/// </summary>
public static class BoardUser
{
    public const string TokenClaim = "rrm_token";
    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";

    public static ClaimsPrincipal Principal(string subject, IEnumerable<string> roles, string token)
    {
        var claims = new List<Claim> { new(SubjectClaim, subject), new(TokenClaim, token) };
        claims.AddRange(roles.Select(r => new Claim(RoleClaim, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "rrm", SubjectClaim, RoleClaim));
    }

    public static string? TokenOf(ClaimsPrincipal user) => user.FindFirst(TokenClaim)?.Value;

    public static IReadOnlyList<string> RolesOf(ClaimsPrincipal user) => [.. user.FindAll(RoleClaim).Select(c => c.Value)];
}
