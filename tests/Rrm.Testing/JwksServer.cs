using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Rrm.Testing;

/// <summary>
/// A stand-in identity provider on 127.0.0.1 over plain http: RSA keys by key id, which the test adds and withdraws,
/// published as a JWKS (<see cref="JwksUrl"/>) and through OpenID metadata (<see cref="Authority"/>); it signs RS256
/// tokens with any key it has made, published or not.
/// </summary>
public sealed class JwksServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RSA> _keys = new();
    private readonly ConcurrentDictionary<string, byte> _published = new();
    private int _reads;

    public string Authority { get; }
    public string JwksUrl => Authority + "/jwks";
    /// <summary>How often the JWKS has been read.</summary>
    public int Reads => Volatile.Read(ref _reads);

    private JwksServer(WebApplication app, string authority) => (_app, Authority) = (app, authority);

    public static async Task<JwksServer> StartAsync()
    {
        var port = SmtpSink.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new JwksServer(app, $"http://127.0.0.1:{port}");
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = server.Authority, ["jwks_uri"] = server.JwksUrl, ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref server._reads);
            return Results.Json(new { keys = server._published.Keys.Order().Select(server.Jwk).ToArray() });
        });
        await app.StartAsync();
        return server;
    }

    /// <summary>Makes a key and publishes it.</summary>
    public void Publish(string kid)
    {
        _keys.GetOrAdd(kid, _ => RSA.Create(2048));
        _published[kid] = 0;
    }

    /// <summary>Takes a key out of the JWKS (it can still sign: a key an attacker kept).</summary>
    public void Withdraw(string kid) => _published.TryRemove(kid, out _);

    /// <summary>An RS256 token signed with <paramref name="kid"/> (made if new, not published), for the suite's issuer and audience.</summary>
    public string Mint(string kid, string[] roles, string issuer = "rrm-local", string audience = "rrm", string subject = "test-user")
    {
        var rsa = _keys.GetOrAdd(kid, _ => RSA.Create(2048));
        var now = DateTime.UtcNow;
        var claims = new List<Claim> { new("sub", subject) };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        });
    }

    private object Jwk(string kid)
    {
        var p = _keys[kid].ExportParameters(includePrivateParameters: false);
        return new { kty = "RSA", use = "sig", alg = "RS256", kid, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        foreach (var rsa in _keys.Values) rsa.Dispose();
    }
}
