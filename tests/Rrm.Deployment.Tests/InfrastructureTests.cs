using System.Text.RegularExpressions;
using Rrm.Testing;
using YamlDotNet.RepresentationModel;

namespace Rrm.Deployment.Tests;

/// <summary>
/// The broker and the database as deployed: a supported RabbitMQ everywhere, the prod cluster's TLS listener for the
/// customs system, its disruption budget, its reach to the Kubernetes API, and both clusters' metrics reachable by
/// the cluster's Prometheus (namespace monitoring), which the alerts need.
/// </summary>
public sealed partial class InfrastructureTests
{
    private const string Monitoring = "monitoring";

    [Fact]
    public async Task Compose_dev_and_prod_run_a_supported_RabbitMQ_4()
    {
        var compose = Yaml.Load(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docker-compose.yml")));
        var images = new Dictionary<string, string>
        {
            ["compose"] = Yaml.Str(compose, "services.rabbitmq.image"),
            ["dev"] = Yaml.Str((await Manifests.RenderAsync("dev")).Single(o => o.Kind == "StatefulSet" && o.Name == "rabbitmq").Container("rabbitmq"), "image"),
            ["prod"] = (await Manifests.RenderAsync("prod")).Single(o => o.Kind == "RabbitmqCluster").Str("spec.image"),
        };

        Assert.All(images, image => Assert.Matches(@"^rabbitmq:4\.\d+\.\d+(-management)?$", image.Value));
    }

    /// <summary>RabbitMQ 4 removed classic queue mirroring: a policy or argument that asks for it fails or is ignored.</summary>
    [Fact]
    public void Nothing_asks_for_the_classic_mirrored_queues_RabbitMQ_4_removed()
    {
        var files = new[] { "k8s", "deploy", "shared", "services" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Repository.Root, d), "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".yaml") || f.EndsWith(".json") || f.EndsWith(".conf") || f.EndsWith(".cs"))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Append(Path.Combine(Repository.Root, "docker-compose.yml"))
            .ToList();

        Assert.Contains(files, f => f.EndsWith("definitions.json"));
        Assert.All(files, f => Assert.DoesNotMatch(ClassicMirroring(), File.ReadAllText(f)));
    }

    [Fact]
    public async Task Prod_RabbitMQ_serves_the_customs_system_over_TLS_only()
    {
        var prod = await Manifests.RenderAsync("prod");
        var broker = prod.Single(o => o.Kind == "RabbitmqCluster");

        Assert.NotEqual("", broker.Str("spec.tls.secretName"));
        var fromCustoms = IngressPorts(prod, "rabbitmq-cluster", peer => Yaml.Str(peer, "namespaceSelector.matchLabels.rrm/customs") == "true");
        Assert.Equal([5671], fromCustoms);
    }

    /// <summary>Quorum queues need a majority of the nodes: a drain or an upgrade may take one at a time, never two.</summary>
    [Fact]
    public async Task Prod_RabbitMQ_keeps_a_majority_of_its_nodes_through_voluntary_disruptions()
    {
        var prod = await Manifests.RenderAsync("prod");
        var broker = prod.Single(o => o.Kind == "RabbitmqCluster");
        var replicas = broker.Int("spec.replicas");
        var budget = prod.Single(o => o.Kind == "PodDisruptionBudget" && o.Str("spec.selector.matchLabels", "app.kubernetes.io/name") == broker.Name);

        var available = budget.Str("spec.minAvailable") is { Length: > 0 } min ? int.Parse(min) : replicas - budget.Int("spec.maxUnavailable");
        Assert.True(available >= replicas / 2 + 1, $"{budget.Name} lets {replicas - available} of {replicas} nodes go");
    }

    [Fact]
    public async Task Prod_RabbitMQ_may_reach_the_Kubernetes_API_for_peer_discovery()
    {
        var prod = await Manifests.RenderAsync("prod");
        var policy = prod.Single(o => o.Kind == "NetworkPolicy" && o.Name == "rabbitmq-cluster");

        var open = policy.Seq("spec.egress").OfType<YamlMappingNode>().Where(rule => !Yaml.Seq(rule, "to").Any())
            .SelectMany(rule => Yaml.Seq(rule, "ports")).Select(p => Yaml.Str(p, "port")).ToList();
        Assert.Contains("443", open);
        Assert.Contains("6443", open);
    }

    /// <summary>What the alerts read must be scraped, and the namespace's default-deny policy must let the scrape in.</summary>
    [Fact]
    public async Task Prod_RabbitMQ_and_PostgreSQL_metrics_are_scraped_from_the_monitoring_namespace()
    {
        var prod = await Manifests.RenderAsync("prod");

        var monitor = prod.Single(o => o.Kind == "PodMonitor" && o.Str("spec.selector.matchLabels", "app.kubernetes.io/name") == "rrm-rabbitmq");
        var endpoints = monitor.Seq("spec.podMetricsEndpoints").ToList();
        Assert.All(endpoints, e => Assert.Equal("prometheus", Yaml.Str(e, "port")));   // the operator's name for 15692
        Assert.Contains(endpoints, e => Yaml.Str(e, "path") == "/metrics/detailed" && Yaml.Seq(e, "params.family").Any(f => $"{f}" == "queue_coarse_metrics"));
        Assert.Contains(15692, IngressPorts(prod, "rabbitmq-cluster", FromMonitoring));

        var database = prod.Single(o => o.Kind == "Cluster" && o.ApiVersion == "postgresql.cnpg.io/v1");
        Assert.Equal("true", database.Str("spec.monitoring.enablePodMonitor"));
        Assert.Contains(9187, IngressPorts(prod, "postgres-cluster", FromMonitoring));
    }

    /// <summary>CloudNativePG's pods meet the restricted profile by default; the one such field its Cluster has is set to it.</summary>
    [Fact]
    public async Task Prod_PostgreSQL_pods_keep_the_restricted_seccomp_profile()
    {
        var database = (await Manifests.RenderAsync("prod")).Single(o => o.Kind == "Cluster" && o.ApiVersion == "postgresql.cnpg.io/v1");

        Assert.Equal("RuntimeDefault", database.Str("spec.seccompProfile.type"));
    }

    private static bool FromMonitoring(YamlNode peer) => Yaml.Str(peer, "namespaceSelector.matchLabels", "kubernetes.io/metadata.name") == Monitoring;

    /// <summary>The ports a NetworkPolicy's ingress rules open to peers that match.</summary>
    private static List<int> IngressPorts(List<K8sObject> objects, string policy, Func<YamlNode, bool> peer) =>
        objects.Single(o => o.Kind == "NetworkPolicy" && o.Name == policy).Seq("spec.ingress")
            .Where(rule => Yaml.Seq(rule, "from").Any(peer))
            .SelectMany(rule => Yaml.Seq(rule, "ports")).Select(p => int.Parse(Yaml.Str(p, "port"))).ToList();

    [GeneratedRegex(@"""?(ha-mode|ha-params|ha-sync-mode|x-ha-policy)""?\s*[:=]")]
    private static partial Regex ClassicMirroring();
}
