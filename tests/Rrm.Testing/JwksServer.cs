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
/// tokens with any key it has made, published or not. It also signs people in to one client (<see cref="ClientId"/>)
/// with the authorization code flow and PKCE, as the board's OpenID Connect sign-in uses it: the person is the one
/// the test names in <see cref="SignsIn"/>, without a login page, and renews its access tokens with refresh tokens.
/// </summary>
public sealed class JwksServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RSA> _keys = new();
    private readonly ConcurrentDictionary<string, byte> _published = new();
    private int _reads;

    public const string ClientId = "rrm-board";
    public const string ClientSecret = "rrm-board-test-secret";
    /// <summary>The key that signs what the sign-in issues (published at start).</summary>
    public const string SignInKey = "sign-in";

    /// <summary>Who the next authorization request signs in, with the roles their access token carries; null refuses.</summary>
    public (string Subject, string[] Roles)? SignsIn { get; set; }

    /// <summary>How long the tokens it makes last unless a test says otherwise.</summary>
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromMinutes(10);

    /// <summary>How long the access tokens of a sign-in (and of each renewal) last.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = DefaultTokenLifetime;

    /// <summary>Whether the provider refuses to renew (a sign-in ended at the provider, a revoked refresh token).</summary>
    public bool RefusesRefresh { get; set; }

    /// <summary>Whether its token endpoint answers 503 (an outage of the provider).</summary>
    public bool Unavailable { get; set; }

    /// <summary>Its renewals as they are by default: tokens of <see cref="DefaultTokenLifetime"/>, renewed whenever asked.</summary>
    public void RenewAsUsual()
    {
        AccessTokenLifetime = DefaultTokenLifetime;
        RefusesRefresh = false;
        Unavailable = false;
    }

    /// <summary>Where people are sent to sign in (the authorization endpoint).</summary>
    public string AuthorizeUrl => Authority + "/authorize";

    /// <summary>How many access tokens it has renewed with a refresh token.</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    private int _refreshes;
    private readonly ConcurrentDictionary<string, Grant> _codes = new();
    private readonly ConcurrentDictionary<string, (string Subject, string[] Roles)> _refreshTokens = new();
    private sealed record Grant(string Nonce, string Challenge, string RedirectUri, string Subject, string[] Roles);

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
            ["authorization_endpoint"] = server.AuthorizeUrl, ["token_endpoint"] = server.Authority + "/token",
            ["response_types_supported"] = new[] { "code" }, ["subject_types_supported"] = new[] { "public" },
            ["code_challenge_methods_supported"] = new[] { "S256" }, ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post" },
        }));
        app.MapGet("/authorize", server.Authorize);
        app.MapPost("/token", server.TokenAsync);
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref server._reads);
            return Results.Json(new { keys = server._published.Keys.Order().Select(server.Jwk).ToArray() });
        });
        await app.StartAsync();
        server.Publish(SignInKey);
        return server;
    }

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256"
            || string.IsNullOrEmpty(q["code_challenge"]) || string.IsNullOrEmpty(q["redirect_uri"]) || string.IsNullOrEmpty(q["nonce"]))
            return Results.BadRequest("not an authorization code request with PKCE from the known client");
        if (SignsIn is not { } person) return Results.BadRequest("nobody signs in");
        var code = Guid.NewGuid().ToString("N");
        _codes[code] = new Grant(q["nonce"]!, q["code_challenge"]!, q["redirect_uri"]!, person.Subject, person.Roles);
        return Results.Redirect($"{q["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(q["state"].ToString())}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        if (Unavailable) return Results.StatusCode(503);
        var form = await request.ReadFormAsync();
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret) return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        if (form["grant_type"] == "refresh_token")
        {
            // Each refresh token is used once: the renewal comes with the next one (rotation).
            if (RefusesRefresh || !_refreshTokens.TryRemove(form["refresh_token"].ToString(), out var person))
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            Interlocked.Increment(ref _refreshes);
            return Results.Json(new
            {
                token_type = "Bearer", expires_in = (int)AccessTokenLifetime.TotalSeconds, refresh_token = RefreshToken(person.Subject, person.Roles),
                access_token = Mint(SignInKey, person.Roles, subject: person.Subject, lifetime: AccessTokenLifetime),
            });
        }
        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant)
            || form["redirect_uri"] != grant.RedirectUri
            || Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.Challenge)
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        var rsa = _keys[SignInKey];
        var now = DateTime.UtcNow;
        var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority, Audience = ClientId, IssuedAt = now, NotBefore = now, Expires = now.AddMinutes(10),
            Subject = new ClaimsIdentity([new Claim("sub", grant.Subject), new Claim("nonce", grant.Nonce)]),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = SignInKey }, SecurityAlgorithms.RsaSha256),
        });
        return Results.Json(new
        {
            token_type = "Bearer", expires_in = (int)AccessTokenLifetime.TotalSeconds, id_token = idToken,
            access_token = Mint(SignInKey, grant.Roles, subject: grant.Subject, lifetime: AccessTokenLifetime),
            refresh_token = RefreshToken(grant.Subject, grant.Roles),
        });
    }

    private string RefreshToken(string subject, string[] roles)
    {
        var token = Guid.NewGuid().ToString("N");
        _refreshTokens[token] = (subject, roles);
        return token;
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
    public string Mint(string kid, string[] roles, string issuer = "rrm-local", string audience = "rrm", string subject = "test-user", TimeSpan? lifetime = null)
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
            Expires = now + (lifetime ?? DefaultTokenLifetime),
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
