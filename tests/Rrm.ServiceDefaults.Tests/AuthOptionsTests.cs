using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Security;

namespace Rrm.ServiceDefaults.Tests;

/// <summary>The authentication settings a service refuses to start with (docs/security.md): each with the key it names.</summary>
public sealed class AuthOptionsTests
{
    private static List<string> Errors(AuthOptions options) =>
        OptionsExtensions.ValidationFailures(options).Select(r => $"{string.Join(",", r.MemberNames)}: {r.ErrorMessage}").ToList();

    [Fact]
    public void Without_any_key_or_identity_provider_the_settings_are_refused() =>
        Assert.Contains(Errors(new AuthOptions()), e => e.Contains("Auth__Authority or Auth__JwksUrl"));

    [Theory]
    [InlineData("Authority", "https://identity.rrm.example")]
    [InlineData("JwksUrl", "https://identity.rrm.example/keys")]
    public void An_https_identity_provider_is_enough(string key, string url) =>
        Assert.Empty(Errors(key == "Authority" ? new AuthOptions { Authority = url } : new AuthOptions { JwksUrl = url }));

    [Theory]
    [InlineData("Authority")]
    [InlineData("JwksUrl")]
    public void Keys_over_plain_http_are_refused_unless_explicitly_allowed(string key)
    {
        AuthOptions With(bool requireHttps) => key == "Authority"
            ? new AuthOptions { Authority = "http://127.0.0.1:8080", RequireHttpsMetadata = requireHttps }
            : new AuthOptions { JwksUrl = "http://127.0.0.1:8080/jwks", RequireHttpsMetadata = requireHttps };

        var refused = Assert.Single(Errors(With(requireHttps: true)));
        Assert.StartsWith(key + ":", refused);
        Assert.Contains("must be https", refused);
        Assert.Contains("Auth__RequireHttpsMetadata=false", refused);
        Assert.Empty(Errors(With(requireHttps: false)));
    }

    [Fact]
    public void An_authority_and_a_JWKS_URL_together_are_refused() =>
        Assert.Contains(Errors(new AuthOptions { Authority = "https://a.example", JwksUrl = "https://a.example/jwks" }), e => e.Contains("not both"));

    [Fact]
    public void A_key_refresh_shorter_than_five_minutes_is_refused_and_the_minimum_interval_may_be_one_second()
    {
        Assert.Contains(Errors(new AuthOptions { JwksUrl = "https://a.example/jwks", KeysRefreshInterval = TimeSpan.FromMinutes(1) }),
            e => e.StartsWith("KeysRefreshInterval:"));
        Assert.Empty(Errors(new AuthOptions { JwksUrl = "https://a.example/jwks", KeysMinimumRefreshInterval = TimeSpan.FromSeconds(1) }));
        Assert.Contains(Errors(new AuthOptions { JwksUrl = "https://a.example/jwks", KeysMinimumRefreshInterval = TimeSpan.Zero }),
            e => e.StartsWith("KeysMinimumRefreshInterval:"));
    }

    [Fact]
    public void A_service_token_file_that_does_not_exist_is_refused() =>
        Assert.Contains(Errors(new AuthOptions { JwksUrl = "https://a.example/jwks", ServiceTokenFile = "/nonexistent/token" }),
            e => e.StartsWith("ServiceTokenFile:") && e.Contains("/nonexistent/token"));
}
