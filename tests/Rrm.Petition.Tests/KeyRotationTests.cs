using Grpc.Core;
using Rrm.Grpc.Petition.V1;
using Rrm.Petition.Data;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

/// <summary>
/// RS256 tokens verified with the identity provider's published keys (docs/security.md, "Authentication"): a service
/// started against a JWKS (Auth:JwksUrl) or OpenID metadata (Auth:Authority) served by the test over plain http (allowed
/// here explicitly), whose keys the test rotates while the service runs.
/// </summary>
public sealed class KeyRotationTests(PetitionFixture fixture) : IClassFixture<PetitionFixture>
{
    private async Task<ServiceFactory<PetitionDbContext>> StartAsync(JwksServer idp, string source) =>
        await fixture.StartAsync<PetitionDbContext>(new Dictionary<string, string?>
        {
            [source == "jwks" ? "Auth:JwksUrl" : "Auth:Authority"] = source == "jwks" ? idp.JwksUrl : idp.Authority,
            ["Auth:RequireHttpsMetadata"] = "false",
            ["Auth:KeysMinimumRefreshInterval"] = "00:00:01",
            ["Auth:SigningKey"] = "", // no HS256: only the provider's keys
        });

    /// <summary>The status of a ListPetitions call with <paramref name="token"/>, and its message.</summary>
    private static async Task<(StatusCode, string)> ListAsync(ServiceFactory<PetitionDbContext> service, string token)
    {
        try
        {
            await new PetitionService.PetitionServiceClient(service.CreateChannel()).ListPetitionsAsync(new ListPetitionsRequest(), Tokens.Bearer(token));
            return (StatusCode.OK, "");
        }
        catch (RpcException e)
        {
            return (e.StatusCode, e.Status.Detail);
        }
    }

    private static readonly (StatusCode, string) Accepted = (StatusCode.OK, "");
    private static readonly (StatusCode, string) BadSignature = (StatusCode.Unauthenticated, "the token's signature is not valid");
    private static readonly (StatusCode, string) Forbidden = (StatusCode.PermissionDenied, "the token's roles do not allow this call (see docs/security.md)");

    [Theory]
    [InlineData("jwks")]
    [InlineData("openid")]
    public async Task A_key_rotated_while_the_service_runs_is_used_at_once_and_the_withdrawn_key_is_refused(string source)
    {
        await using var idp = await JwksServer.StartAsync();
        idp.Publish("key-2024");
        await using var service = await StartAsync(idp, source);
        string[] analyst = [Roles.IlcAnalyst];

        Assert.Equal(Accepted, await ListAsync(service, idp.Mint("key-2024", analyst)));
        // Only the configured keys' algorithm: the development key's HS256 tokens are not accepted here.
        Assert.Equal(StatusCode.Unauthenticated, (await ListAsync(service, Tokens.Mint(analyst))).Item1);
        // A key the provider has not published is no key, even with a well-formed signature.
        Assert.Equal(BadSignature, await ListAsync(service, idp.Mint("key-never-published", analyst)));
        var readsBefore = idp.Reads;

        // The provider rotates: a new key, the old one withdrawn (compromised, say). The first token signed with the new
        // key makes the service read the keys again, and is accepted; from then on the old key is refused.
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the configured minimum between two reads
        idp.Publish("key-2025");
        idp.Withdraw("key-2024");
        Assert.Equal(Accepted, await ListAsync(service, idp.Mint("key-2025", analyst)));
        Assert.Equal(BadSignature, await ListAsync(service, idp.Mint("key-2024", analyst)));
        Assert.Equal(Accepted, await ListAsync(service, idp.Mint("key-2025", analyst)));
        Assert.Equal(readsBefore + 1, idp.Reads);

        // And again, no restart in between.
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        idp.Publish("key-2026");
        idp.Withdraw("key-2025");
        Assert.Equal(Accepted, await ListAsync(service, idp.Mint("key-2026", analyst)));
        Assert.Equal(BadSignature, await ListAsync(service, idp.Mint("key-2025", analyst)));
        Assert.Equal(BadSignature, await ListAsync(service, idp.Mint("key-2024", analyst)));
    }

    [Theory]
    [InlineData("jwks")]
    [InlineData("openid")]
    public async Task The_roles_issuer_and_audience_of_a_provider_token_decide_as_for_any_token(string source)
    {
        await using var idp = await JwksServer.StartAsync();
        idp.Publish("key-a");
        await using var service = await StartAsync(idp, source);

        Assert.Equal(Accepted, await ListAsync(service, idp.Mint("key-a", [Roles.Auditor])));
        Assert.Equal(Forbidden, await ListAsync(service, idp.Mint("key-a", [Roles.CustomsSystem])));
        Assert.Equal(Forbidden, await ListAsync(service, idp.Mint("key-a", [])));
        // The issuer is Auth:Issuer, not the one the provider's metadata names; the audience Auth:Audience.
        Assert.Equal((StatusCode.Unauthenticated, "the token comes from another issuer"),
            await ListAsync(service, idp.Mint("key-a", [Roles.Auditor], issuer: idp.Authority)));
        Assert.Equal((StatusCode.Unauthenticated, "the token is meant for another audience"),
            await ListAsync(service, idp.Mint("key-a", [Roles.Auditor], audience: "another-suite")));
        Assert.Equal((StatusCode.Unauthenticated, "the token names no subject (sub)"),
            await ListAsync(service, idp.Mint("key-a", [Roles.Auditor], subject: "")));
    }
}
