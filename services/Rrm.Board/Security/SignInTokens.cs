using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Rrm.Board.Security;

/// <summary>
/// The tokens of OpenID Connect sign-ins that came with a refresh token (docs/board.md, "Sign-in"), held in the board's
/// memory: the cookie names the sign-in, and every page and live page of it takes its access token from here. When the
/// token has less than <see cref="Ahead"/> left (or half its life), it is renewed at the provider's token endpoint, once
/// for all of them (a provider that rotates refresh tokens accepts each only once). A sign-in lasts until
/// Board:Oidc:SignInLifetime, the provider refuses to renew, the person signs out, or the board restarts.
/// </summary>
public sealed class SignInTokens(IOptionsMonitor<OpenIdConnectOptions> oidc, TimeProvider clock, ILogger<SignInTokens> logger)
{
    /// <summary>
    /// Renewed this long before it expires, so a call made with it does not meet its expiry on the way; a token that
    /// lives less than twice as long is renewed half-way through its life instead (or a fresh one would be due at once).
    /// </summary>
    public static readonly TimeSpan Ahead = TimeSpan.FromMinutes(1);

    private sealed class SignIn(string accessToken, string refreshToken, DateTimeOffset ends)
    {
        public string AccessToken = accessToken;
        public string RefreshToken = refreshToken;
        public readonly DateTimeOffset Ends = ends;
        public readonly SemaphoreSlim Renewing = new(1, 1);
    }

    private readonly ConcurrentDictionary<string, SignIn> _signIns = new();

    /// <summary>Keeps a new sign-in's tokens until <paramref name="ends"/>; returns its id, for the cookie.</summary>
    public string Add(string accessToken, string refreshToken, DateTimeOffset ends)
    {
        foreach (var (id, ended) in _signIns) if (ended.Ends <= clock.GetUtcNow()) _signIns.TryRemove(id, out _);
        var key = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _signIns[key] = new SignIn(accessToken, refreshToken, ends);
        return key;
    }

    private SignIn? Current(string id) => _signIns.TryGetValue(id, out var signIn) && signIn.Ends > clock.GetUtcNow() ? signIn : null;

    public void Remove(string id) => _signIns.TryRemove(id, out _);

    /// <summary>
    /// The sign-in's access token, renewed first if due; null when the sign-in is over (ended, unknown after a restart,
    /// or the provider refused to renew it). If the provider cannot be reached or fails (5xx), the token as it is, until
    /// the next call.
    /// </summary>
    public async Task<string?> AccessTokenAsync(string id, CancellationToken cancellationToken)
    {
        if (Current(id) is not { } signIn) return null;
        await signIn.Renewing.WaitAsync(cancellationToken);
        try
        {
            if (Current(id) is null) return null; // ended while this call waited (the provider refused another page's renewal)
            if (Due(signIn.AccessToken) && !await RenewAsync(signIn, cancellationToken))
            {
                Remove(id);
                return null;
            }
            return signIn.AccessToken;
        }
        finally { signIn.Renewing.Release(); }
    }

    /// <summary>Redeems the refresh token at the provider's token endpoint; false if the provider refuses (the sign-in ends).</summary>
    private async Task<bool> RenewAsync(SignIn signIn, CancellationToken cancellationToken)
    {
        var options = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
        HttpResponseMessage response;
        try
        {
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
            response = await options.Backchannel.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token", ["refresh_token"] = signIn.RefreshToken,
                ["client_id"] = options.ClientId!, ["client_secret"] = options.ClientSecret ?? "",
            }), cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The identity provider could not be reached to renew an access token; the current one is kept");
            return true;
        }
        using var _ = response;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            logger.LogWarning("The identity provider failed to renew an access token ({Status}); the current one is kept", (int)response.StatusCode);
            return true;
        }
        var message = response.IsSuccessStatusCode ? new OpenIdConnectMessage(body) : null;
        if (string.IsNullOrEmpty(message?.AccessToken))
        {
            // The sign-in ended at the provider, or its refresh token was revoked: the person signs in again.
            logger.LogInformation("The identity provider did not renew an access token ({Status} {Error}): the sign-in ends",
                (int)response.StatusCode, message?.Error ?? body[..Math.Min(body.Length, 200)]);
            return false;
        }
        signIn.AccessToken = message.AccessToken;
        // A provider that does not rotate refresh tokens sends none back: the one we have stays good.
        signIn.RefreshToken = message.RefreshToken ?? signIn.RefreshToken;
        return true;
    }

    private bool Due(string accessToken)
    {
        var jwt = new JsonWebToken(accessToken);
        var issued = jwt.IssuedAt > DateTime.UnixEpoch ? jwt.IssuedAt : jwt.ValidFrom;
        var ahead = TimeSpan.FromTicks(Math.Min(Ahead.Ticks, (jwt.ValidTo - issued).Ticks / 2));
        return jwt.ValidTo <= (clock.GetUtcNow() + ahead).UtcDateTime;
    }
}
