using System.Text.RegularExpressions;
using Rrm.Testing;
using YamlDotNet.RepresentationModel;

namespace Rrm.Deployment.Tests;

/// <summary>
/// The case board (services/Rrm.Board) runs everywhere the suite runs (its image: BoardImageTests): compose and both
/// overlays run it with its sign-in and the four services' addresses; and the network policies let it reach the four services only (and DNS; in prod the
/// identity provider too), each of which admits it.
/// </summary>
public sealed partial class BoardDeploymentTests
{
    private const string Project = "Rrm.Board";

    /// <summary>Where the board finds each service (Board__&lt;key&gt;), by the service's name in the manifests.</summary>
    internal static readonly (string Key, string Service)[] ServiceUrls =
        [("Board__PetitionUrl", "petition"), ("Board__ReviewUrl", "review"), ("Board__LiquidationUrl", "tariff-liquidation"), ("Board__NotificationUrl", "notification")];

    [Fact]
    public async Task Compose_runs_the_board_image_with_the_local_role_picker_after_the_four_services()
    {
        var config = await Command.RunAsync("docker-compose", ["-f", Path.Combine(Repository.Root, "docker-compose.yml"), "config"]);
        Assert.True(config.ExitCode == 0, config.Error);
        var compose = Yaml.Load(config.Output);

        Assert.Equal(Project, Yaml.Str(compose, "services.board.build.args.SERVICE"));
        Assert.Equal("rrm/board:dev", Yaml.Str(compose, "services.board.image"));
        var rrmPort = RrmBoardPort().Match(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "rrm"))).Groups[1].Value;
        Assert.Contains(Yaml.Seq(compose, "services.board.ports"), p => $"{p}".StartsWith($"127.0.0.1:{rrmPort}:8080")); // the port ./rrm up uses
        foreach (var (key, service) in ServiceUrls)
        {
            Assert.Equal($"http://{service}:8080", Yaml.Str(compose, $"services.board.environment.{key}"));
            Assert.Equal("service_healthy", Yaml.Str(compose, $"services.board.depends_on.{service}.condition"));
        }
        // The role picker mints tokens the services accept: their key.
        Assert.Equal("true", Yaml.Str(compose, "services.board.environment.Board__DevelopmentSignIn"));
        foreach (var service in Manifests.Services)
            Assert.Equal(Yaml.Str(compose, $"services.{service}.environment.Auth__SigningKey"), Yaml.Str(compose, "services.board.environment.Auth__SigningKey"));
        var healthcheck = string.Join(' ', Yaml.Seq(compose, "services.board.healthcheck.test").Select(t => $"{t}"));
        Assert.Contains("GET /healthz", healthcheck);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Each_overlay_runs_one_board_pod_probed_on_healthz_that_calls_the_four_services_and_signs_people_in(string overlay)
    {
        var objects = await Manifests.RenderAsync(overlay);
        var board = objects.Single(o => o.Kind == "Deployment" && o.Name == Manifests.Board);
        var container = board.Container("board");

        // One pod, which no HPA scales (docs/operations.md, "The board").
        Assert.Equal(1, board.Int("spec.replicas"));
        Assert.DoesNotContain(objects, o => o.Kind == "HorizontalPodAutoscaler" && o.Str("spec.scaleTargetRef.name") == Manifests.Board);
        // HTTP on 8080, probed on /healthz; the Service sends 8080 there.
        Assert.Contains(Yaml.Seq(container, "ports"), p => Yaml.Str(p, "name") == "http" && Yaml.Str(p, "containerPort") == "8080");
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            Assert.Equal(("/healthz", "http"), (Yaml.Str(container, $"{probe}.httpGet.path"), Yaml.Str(container, $"{probe}.httpGet.port")));
        var service = objects.Single(o => o.Kind == "Service" && o.Name == Manifests.Board);
        Assert.Equal(("8080", "http"), (Yaml.Str(service.Seq("spec.ports").Single(), "port"), Yaml.Str(service.Seq("spec.ports").Single(), "targetPort")));

        var environment = Manifests.Environment(objects, container);
        foreach (var (key, name) in ServiceUrls)
        {
            Assert.Equal($"http://{name}:8080", environment[key]);
            Assert.Contains(objects, o => o.Kind == "Service" && o.Name == name && Yaml.Str(o.Seq("spec.ports").First(), "port") == "8080");
        }
        var signingKey = SecretReference(container, "Auth__SigningKey");
        if (overlay == "dev")
        {
            // The role picker, minting with the key the services verify in this overlay.
            Assert.Equal("true", environment["Board__DevelopmentSignIn"]);
            Assert.DoesNotContain("Board__Oidc__Authority", environment.Keys);
            Assert.Equal(("rrm-auth", "signing-key"), signingKey);
            foreach (var deployment in Manifests.ServiceDeployments(objects))
                Assert.Equal(signingKey, SecretReference(deployment.Container("service"), "Auth__SigningKey"));
        }
        else
        {
            // OpenID Connect at the provider whose tokens the services verify; the client secret from rrm-board.
            Assert.NotEqual("true", environment.GetValueOrDefault("Board__DevelopmentSignIn"));
            Assert.Null(signingKey);
            var common = objects.Single(o => o.Kind == "ConfigMap" && o.Name.StartsWith("rrm-common")).Data();
            Assert.Equal(common["Auth__Authority"], environment["Board__Oidc__Authority"]);
            Assert.StartsWith("https://", environment["Board__Oidc__Authority"]);
            Assert.NotEqual("", environment["Board__Oidc__ClientId"]);
            Assert.Equal(("rrm-board", "oidc-client-secret"), SecretReference(container, "Board__Oidc__ClientSecret"));
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task The_board_may_reach_the_four_services_only_and_each_admits_it(string overlay)
    {
        var problems = NetworkProblems(await Manifests.RenderAsync(overlay), overlay);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Each change opens or closes a path the board must (not) have; the check must name it.</summary>
    [Theory]
    [InlineData("base/board.yaml", "- podSelector: { matchExpressions: [{ key: app.kubernetes.io/name, operator: In, values: [petition, review, tariff-liquidation, notification] }] }",
        "- podSelector: {}", "not one of the four services")]
    [InlineData("base/board.yaml", "      ports: [{ port: 8080 }]\n", "      ports: [{ port: 8080 }]\n    - ports: [{ port: 443 }]\n", "an egress rule to anywhere")]
    [InlineData("base/board.yaml", "values: [petition, review, tariff-liquidation, notification]", "values: [petition, review, tariff-liquidation]", "the board cannot reach notification")]
    [InlineData("base/board.yaml", "      ports: [{ port: 8080 }]\n", "      ports: [{ port: 8080 }, { port: 5432 }]\n", "on ports 8080, 5432")]
    [InlineData("base/review.yaml", "        - podSelector: { matchLabels: { app.kubernetes.io/name: board } }   # the case board, as the signed-in person\n", "", "review does not admit the board")]
    [InlineData("overlays/prod/network-policies.yaml", "ports: [{ port: 443, protocol: TCP }]", "ports: [{ port: 443, protocol: TCP }, { port: 80 }]", "egress to 192.0.2.10/32 on ports 443, 80")]
    public async Task A_network_policy_that_lets_the_board_go_further_or_keeps_it_out_is_caught(string file, string find, string replace, string problem)
    {
        using var copy = Manifests.Copy();
        await Manifests.ReplaceAsync(copy, file, find, replace);

        var problems = NetworkProblems(await Manifests.RenderAsync(copy.Path, "dev"), "dev")
            .Concat(NetworkProblems(await Manifests.RenderAsync(copy.Path, "prod"), "prod")).ToList();

        Assert.Contains(problems, p => p.Contains(problem));
    }

    /// <summary>
    /// Where the board's pod may connect beyond the four services' gRPC port (DNS, and in prod the identity provider's
    /// https, aside), which of the four it cannot reach, which does not admit it, and ingress to it beyond its HTTP port.
    /// </summary>
    private static List<string> NetworkProblems(List<K8sObject> objects, string overlay)
    {
        var problems = new List<string>();
        var pods = NetworkPolicies.Pods(objects);
        var board = pods[Manifests.Board];
        var policies = NetworkPolicies.Of(objects);
        var reachable = new HashSet<string>();

        foreach (var (policy, rule) in NetworkPolicies.Rules(policies, board, "Egress"))
        {
            var ports = Yaml.Seq(rule, "ports").Select(p => Yaml.Str(p, "port")).ToList();
            var on = $"on ports {string.Join(", ", ports)}";
            var peers = Yaml.Seq(rule, "to").OfType<YamlMappingNode>().ToList();
            if (peers.Count == 0 || ports.Count == 0)
            {
                problems.Add($"NetworkPolicy {policy.Name}: an egress rule to anywhere or on every port ({on})");
                continue;
            }
            foreach (var peer in peers)
            {
                if (NetworkPolicies.IsClusterDns(peer) && ports.All(p => p == "53")) continue;
                // The deliberate exception: prod's sign-in at the identity provider (its addresses, or its pods in
                // the cluster), https only.
                if (overlay == "prod" && policy.Name == "identity-provider" && ports.SequenceEqual(["443"])) continue;
                if (Yaml.Find(peer, "ipBlock") is not null)
                {
                    problems.Add($"NetworkPolicy {policy.Name}: egress to {Yaml.Str(peer, "ipBlock.cidr")} {on}");
                    continue;
                }
                if (Yaml.Find(peer, "namespaceSelector") is not null)
                {
                    problems.Add($"NetworkPolicy {policy.Name}: egress to another namespace {on}");
                    continue;
                }
                var reached = pods.Where(p => NetworkPolicies.Selects(Yaml.Find(peer, "podSelector") as YamlMappingNode, p.Value)).Select(p => p.Key).ToList();
                if (reached.Except(Manifests.Services).Order().ToList() is { Count: > 0 } beyond)
                    problems.Add($"NetworkPolicy {policy.Name}: egress to {string.Join(", ", beyond)}, not one of the four services");
                if (!ports.SequenceEqual(["8080"]))
                    problems.Add($"NetworkPolicy {policy.Name}: egress to {string.Join(", ", reached)} {on}, not their gRPC port 8080 only");
                reachable.UnionWith(reached);
            }
        }
        foreach (var service in Manifests.Services.Except(reachable))
            problems.Add($"the board cannot reach {service}");

        foreach (var service in Manifests.Services)
        {
            var admits = NetworkPolicies.Rules(policies, pods[service], "Ingress")
                .Select(r => r.Rule).Any(rule => Yaml.Seq(rule, "from").Any(peer => Yaml.Find(peer, "namespaceSelector") is null
                        && NetworkPolicies.Selects(Yaml.Find(peer, "podSelector") as YamlMappingNode, board))
                    && Yaml.Seq(rule, "ports").All(p => Yaml.Str(p, "port") is "grpc" or "8080"));
            if (!admits) problems.Add($"{service} does not admit the board");
        }

        var ingress = NetworkPolicies.Rules(policies, board, "Ingress").Select(r => r.Rule).ToList();
        if (ingress.Count == 0) problems.Add("nothing may reach the board");
        if (ingress.Any(rule => !Yaml.Seq(rule, "ports").Any() || Yaml.Seq(rule, "ports").Any(p => Yaml.Str(p, "port") is not ("http" or "8080"))))
            problems.Add("the board admits connections beyond its HTTP port 8080");
        return problems;
    }

    /// <summary>The Secret and key an environment variable of the container comes from, or null.</summary>
    private static (string Name, string Key)? SecretReference(YamlMappingNode container, string variable) =>
        Yaml.Seq(container, "env").FirstOrDefault(e => Yaml.Str(e, "name") == variable) is { } entry
        && Yaml.Find(entry, "valueFrom.secretKeyRef") is { } reference
            ? (Yaml.Str(reference, "name"), Yaml.Str(reference, "key"))
            : null;

    [GeneratedRegex(@"RRM_BOARD_PORT:-(\d+)")]
    private static partial Regex RrmBoardPort();
}
