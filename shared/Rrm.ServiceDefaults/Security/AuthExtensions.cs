using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Rrm.ServiceDefaults.Configuration;

namespace Rrm.ServiceDefaults.Security;

internal static class AuthExtensions
{
    public static void AddRrmAuthentication(this WebApplicationBuilder builder)
    {
        // A token signed with a key the service has not read yet waits for the keys to be read again and is then
        // accepted, rather than being refused while they are read in the background (IdentityModel's default).
        AppContext.SetSwitch("Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking", true);
        builder.Services.AddValidatedOptions<AuthOptions>(AuthOptions.SectionName);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, ILoggerFactory>((jwt, auth, logs) =>
            {
                var options = auth.Value;
                jwt.MapInboundClaims = false; // "sub" and "role" as the token names them
                jwt.TokenValidationParameters = ValidationParameters(options);
                jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
                if (!string.IsNullOrEmpty(options.Authority) || !string.IsNullOrEmpty(options.JwksUrl))
                    jwt.ConfigurationManager = SigningKeys.Manager(options, logs.CreateLogger(typeof(SigningKeys).FullName!));
                jwt.RefreshOnIssuerKeyNotFound = true;
                jwt.Events = new TokenEvents(options.MaxTokenLifetime);
            });
        builder.Services.AddAuthorization(RpcAuthorization.AddPolicies);
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
            keys.Add(new RsaSecurityKey(rsa) { KeyId = "rs256" });
        if (!string.IsNullOrEmpty(auth.RsaPublicKeyPem) || !string.IsNullOrEmpty(auth.Authority) || !string.IsNullOrEmpty(auth.JwksUrl))
            algorithms.Add(SecurityAlgorithms.RsaSha256);
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
