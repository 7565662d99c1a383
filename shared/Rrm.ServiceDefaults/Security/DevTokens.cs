using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Rrm.ServiceDefaults.Security;

/// <summary>Mints HS256 tokens with the local-development key, for people and tests.</summary>
public static class DevTokens
{
    public static string Mint(AuthOptions options, string subject, IEnumerable<string> roles,
        TimeSpan lifetime, DateTimeOffset? now = null)
    {
        if (string.IsNullOrEmpty(options.SigningKey))
            throw new InvalidOperationException("No Auth:SigningKey is configured: development tokens need the HS256 key.");
        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        var claims = new List<Claim> { new("sub", subject) };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + lifetime,
            SigningCredentials = new SigningCredentials(SigningKey(options.SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }

    internal static SymmetricSecurityKey SigningKey(string key) => new(Encoding.UTF8.GetBytes(key)) { KeyId = "hs256-dev" };
}
