using YamlDotNet.RepresentationModel;

namespace Rrm.Deployment.Tests;

/// <summary>
/// Where an overlay names an identity provider, every pod that uses it may connect to it on 443 past the default-deny
/// policy: the four services read its signing keys there to verify each call's token (Auth__Authority, Auth__JwksUrl;
/// without them every call is refused UNAUTHENTICATED), and the board signs people in there (Board__Oidc__Authority).
/// </summary>
public sealed class IdentityProviderTests
{
    private static readonly string[] ProviderKeys = ["Auth__Authority", "Auth__JwksUrl", "Board__Oidc__Authority"];

    [Fact]
    public async Task In_prod_the_four_services_and_the_board_may_reach_the_identity_provider_on_https()
    {
        var (users, problems) = Check(await Manifests.RenderAsync("prod"));

        Assert.Equal(Manifests.Deployables.Order(), users.Order()); // all five use it, so the check below checks each
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The identity-provider policy narrowed to the board: the services that verify tokens with no other https way out are named.</summary>
    [Fact]
    public async Task A_service_left_out_of_the_identity_provider_policy_is_caught()
    {
        using var copy = Manifests.Copy();
        await Manifests.ReplaceAsync(copy, "overlays/prod/network-policies.yaml",
            "values: [petition, review, tariff-liquidation, notification, board]", "values: [board]");

        var (_, problems) = Check(await Manifests.RenderAsync(copy.Path, "prod"));

        foreach (var service in new[] { "petition", "review", "tariff-liquidation" })
            Assert.Contains(problems, p => p.StartsWith($"{service} ", StringComparison.Ordinal));
    }

    /// <summary>The Deployments whose containers name an identity provider, and those of them with no egress rule to it on 443.</summary>
    private static (List<string> Users, List<string> Problems) Check(List<K8sObject> objects)
    {
        var pods = NetworkPolicies.Pods(objects);
        var policies = NetworkPolicies.Of(objects);
        var (users, problems) = (new List<string>(), new List<string>());
        foreach (var deployment in Manifests.DeployableDeployments(objects))
        {
            var providers = deployment.Containers().SelectMany(c => Manifests.Environment(objects, c))
                .Where(v => ProviderKeys.Contains(v.Key) && v.Value.StartsWith("https://", StringComparison.Ordinal))
                .Select(v => v.Value).Distinct().ToList();
            if (providers.Count == 0) continue;
            users.Add(deployment.Name);
            // A rule on 443 to somewhere outside the namespace's pods: the provider's addresses or its namespace.
            var reaches = NetworkPolicies.Rules(policies, pods[deployment.Name], "Egress")
                .Select(r => r.Rule).Any(rule => Yaml.Seq(rule, "ports").Any(port => Yaml.Str(port, "port") == "443")
                    && Yaml.Seq(rule, "to").Any(peer => Yaml.Find(peer, "ipBlock") is not null || Yaml.Find(peer, "namespaceSelector") is not null));
            if (!reaches) problems.Add($"{deployment.Name} uses the identity provider ({string.Join(", ", providers)}) but no NetworkPolicy lets it connect there on 443");
        }
        return (users, problems);
    }
}
