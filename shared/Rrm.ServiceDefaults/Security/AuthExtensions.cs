using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Rrm.ServiceDefaults.Configuration;

namespace Rrm.ServiceDefaults.Security;

internal static class AuthExtensions
{
    public static void AddRrmAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AuthOptions>(AuthOptions.SectionName);
        builder.Services.AddAuthentication(JwtAuthenticationHandler.SchemeName)
            .AddScheme<JwtAuthenticationOptions, JwtAuthenticationHandler>(JwtAuthenticationHandler.SchemeName, _ => { });
        builder.Services.AddOptions<JwtAuthenticationOptions>(JwtAuthenticationHandler.SchemeName)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                jwt.TokenValidationParameters = ValidationParameters(auth.Value);
                jwt.MaxTokenLifetime = auth.Value.MaxTokenLifetime;
            });
        builder.Services.AddAuthorization();
    }

    private static TokenValidationParameters ValidationParameters(AuthOptions auth)
    {
        var keys = new List<SecurityKey>();
        var algorithms = new List<string>();
        if (!string.IsNullOrEmpty(auth.SigningKey))
        {
            keys.Add(DevTokens.SigningKey(auth.SigningKey));
            algorithms.Add(SecurityAlgorithms.HmacSha256);
        }
        if (!string.IsNullOrEmpty(auth.RsaPublicKeyPem) && RsaKeys.TryImportPem(auth.RsaPublicKeyPem, out var rsa))
        {
            keys.Add(new RsaSecurityKey(rsa) { KeyId = "rs256" });
            algorithms.Add(SecurityAlgorithms.RsaSha256);
        }
        return new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.Audience,
            IssuerSigningKeys = keys,
            ValidAlgorithms = algorithms,
            NameClaimType = "sub",
            RoleClaimType = "role",
            ClockSkew = auth.ClockSkew,
            RequireExpirationTime = true,
        };
    }
}
