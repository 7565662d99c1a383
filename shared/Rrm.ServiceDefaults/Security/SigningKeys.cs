using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Rrm.ServiceDefaults.Security;

/// <summary>
/// The identity provider's signing keys, from its OpenID metadata (Auth:Authority) or a JWKS document (Auth:JwksUrl),
/// kept by IdentityModel's <see cref="ConfigurationManager{T}"/>: read on the first token, again every
/// Auth:KeysRefreshInterval, and at once (at most every Auth:KeysMinimumRefreshInterval) when a token names a key id it
/// does not know. Each read replaces the keys: a key gone from the provider's set is refused from then on.
/// </summary>
internal static class SigningKeys
{
    public static ConfigurationManager<OpenIdConnectConfiguration> Manager(AuthOptions auth, ILogger logger)
    {
        var (address, jwksOnly) = auth.JwksUrl is { Length: > 0 } jwks
            ? (jwks, true)
            : (auth.Authority!.TrimEnd('/') + "/.well-known/openid-configuration", false);
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(10),
            MaxResponseContentBufferSize = 1 << 20,
        };
        return new ConfigurationManager<OpenIdConnectConfiguration>(address, new Retriever(jwksOnly, logger),
            new HttpDocumentRetriever(http) { RequireHttps = auth.RequireHttpsMetadata })
        {
            AutomaticRefreshInterval = auth.KeysRefreshInterval,
            RefreshInterval = auth.KeysMinimumRefreshInterval,
            // The last known good configuration would keep accepting a key the provider has withdrawn (for an hour by
            // default). Without it a failed read still keeps the keys read before: only a successful read replaces them.
            UseLastKnownGoodConfiguration = false,
        };
    }

    /// <summary>Reads the keys and says in the log when they change (by key id), or when they cannot be read.</summary>
    private sealed class Retriever(bool jwksOnly, ILogger logger) : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        private string _keyIds = "";

        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            OpenIdConnectConfiguration configuration;
            try
            {
                configuration = jwksOnly ? await ReadJwksAsync(address, retriever, cancel)
                    : await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, cancel);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The token signing keys could not be read from {Address}; the keys read before stay in use", address);
                throw;
            }
            // The issuer is Auth:Issuer and nothing else (the handler would otherwise also accept the one the metadata names).
            configuration.Issuer = null;
            var keyIds = string.Join(", ", configuration.SigningKeys.Select(k => k.KeyId ?? "(no kid)").Order(StringComparer.Ordinal));
            if (keyIds != Interlocked.Exchange(ref _keyIds, keyIds))
                logger.LogInformation("Token signing keys read from {Address}: {KeyIds}", address, keyIds.Length > 0 ? keyIds : "none");
            return configuration;
        }

        private static async Task<OpenIdConnectConfiguration> ReadJwksAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var keys = new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel));
            var configuration = new OpenIdConnectConfiguration { JsonWebKeySet = keys };
            foreach (var key in keys.GetSigningKeys()) configuration.SigningKeys.Add(key);
            return configuration;
        }
    }
}
