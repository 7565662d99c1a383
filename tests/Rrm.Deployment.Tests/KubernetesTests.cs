using System.Text.Json.Nodes;
using Rrm.Testing;
using YamlDotNet.RepresentationModel;

namespace Rrm.Deployment.Tests;

/// <summary>
/// k8s/ rendered with kustomize (kubectl) and checked offline by tools/node/check-k8s.js: the Kubernetes schemas,
/// the policy (probes, limits, security settings, pinned images, no service-account tokens) and the restricted Pod
/// Security Standard the namespace enforces, for the workloads' pod templates and the one RabbitmqCluster overrides.
/// </summary>
public sealed class KubernetesTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Each_overlay_renders_and_passes_the_schemas_and_the_policy(string overlay)
    {
        var check = await Manifests.CheckAsync(Path.Combine(Repository.Root, "k8s"), overlay);

        Assert.True(check.ExitCode == 0, check.Output + check.Error);
        Assert.Matches(@"^\d+ objects, 0 problems$", check.Output.Trim().Split('\n')[^1]);
    }

    [Fact]
    public async Task Prod_runs_two_or_more_replicas_of_each_service_spread_across_nodes_and_dev_one()
    {
        var prod = await Manifests.RenderAsync(Path.Combine(Repository.Root, "k8s"), "prod");
        var dev = await Manifests.RenderAsync(Path.Combine(Repository.Root, "k8s"), "dev");

        // The HPAs set the count (the Deployments set none: ScalingAndShutdownTests).
        foreach (var service in Manifests.Services)
        {
            var deployment = prod.Single(o => o.Kind == "Deployment" && o.Name == service);
            Assert.True(prod.Single(o => o.Kind == "HorizontalPodAutoscaler" && o.Name == service).Int("spec.minReplicas") >= 2);
            Assert.Contains("kubernetes.io/hostname", deployment.Text());
            Assert.Equal(1, dev.Single(o => o.Kind == "HorizontalPodAutoscaler" && o.Name == service).Int("spec.minReplicas"));
        }
        Assert.Contains(prod, o => o.Kind == "Cluster" && o.ApiVersion == "postgresql.cnpg.io/v1");
        Assert.Contains(prod, o => o.Kind == "RabbitmqCluster");
        Assert.Contains("Messaging__QuorumQueues: \"true\"", prod.Single(o => o.Kind == "ConfigMap" && o.Name.StartsWith("rrm-common")).Text());
        Assert.DoesNotContain(prod, o => o.Kind == "Secret");
        Assert.DoesNotContain(dev, o => o.Kind == "Secret");
    }

    /// <summary>
    /// Security finding 5: the customs system's broker user consumes the queue the deployment makes for it and nothing
    /// else, in compose (deploy/rabbitmq/definitions.json, which the broker tests apply), the dev overlay (its customs
    /// objects, imported after start) and prod (the topology operator's resources): the same user, permissions,
    /// limits, queue, binding and max-length policy everywhere.
    /// </summary>
    [Fact]
    public async Task Compose_and_both_overlays_give_the_customs_user_no_configure_or_write_and_a_bounded_queue_of_its_own()
    {
        var compose = CustomsObjects(JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "deploy", "rabbitmq", "definitions.json")))!);
        var permission = compose["permissions"]!.AsArray().Single()!;
        Assert.Equal(("^$", "^$", @"^customs\.feed$"), ((string)permission["configure"]!, (string)permission["write"]!, (string)permission["read"]!));
        Assert.Equal("customs-feed", (string)compose["users"]!.AsArray().Single()!["name"]!);
        var policy = compose["policies"]!.AsArray().Single()!;
        Assert.Matches((string)policy["pattern"]!, "customs.feed");
        Assert.Equal("drop-head", (string)policy["definition"]!["overflow"]!);
        Assert.True((long)policy["definition"]!["max-length"]! > 0 && (long)policy["definition"]!["max-length-bytes"]! > 0);
        var binding = compose["bindings"]!.AsArray().Single()!;
        Assert.Equal(("rrm.customs.instructions", "customs.feed", "#"), ((string)binding["source"]!, (string)binding["destination"]!, (string)binding["routing_key"]!));
        var limits = compose["users"]!.AsArray().Single()!["limits"]!;

        // Compose loads the file at every start (and so gets no default user: the file has the services' one).
        var composeFile = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docker-compose.yml"));
        Assert.Contains("./deploy/rabbitmq/definitions.json:/etc/rabbitmq/rrm-definitions.json:ro", composeFile);
        Assert.Contains("./deploy/rabbitmq/rabbitmq.conf:/etc/rabbitmq/conf.d/", composeFile);
        Assert.Contains("load_definitions = /etc/rabbitmq/rrm-definitions.json", await File.ReadAllTextAsync(Path.Combine(Repository.Root, "deploy", "rabbitmq", "rabbitmq.conf")));

        // Dev: the same customs objects (its user's password comes from the Secret), imported once the node answers.
        var dev = await Manifests.RenderAsync(Path.Combine(Repository.Root, "k8s"), "dev");
        var devData = (YamlMappingNode)dev.Single(o => o.Kind == "ConfigMap" && o.Name.StartsWith("rabbitmq-customs-feed")).Find("data")!;
        var devJson = JsonNode.Parse(((YamlScalarNode)devData[new YamlScalarNode("rabbitmq-customs-feed.json")]).Value!)!;
        Assert.True(JsonNode.DeepEquals(compose, CustomsObjects(devJson)), $"dev: {CustomsObjects(devJson).ToJsonString()}\ncompose: {compose.ToJsonString()}");
        var broker = dev.Single(o => o.Kind == "StatefulSet" && o.Name == "rabbitmq").Text();
        Assert.Contains("rabbitmqctl -q import_definitions /etc/rrm/rabbitmq-customs-feed.json", broker);
        Assert.Contains("rrm-customs-feed", broker);

        // Prod: the topology operator's resources, with the same values.
        var prod = await Manifests.RenderAsync(Path.Combine(Repository.Root, "k8s"), "prod");
        var prodPermission = prod.Single(o => o.Kind == "Permission" && o.Name == "customs-feed");
        Assert.Equal(((string)permission["configure"]!, (string)permission["write"]!, (string)permission["read"]!),
            (prodPermission.Str("spec.permissions.configure"), prodPermission.Str("spec.permissions.write"), prodPermission.Str("spec.permissions.read")));
        var prodUser = prod.Single(o => o.Kind == "User" && o.Name == "customs-feed");
        Assert.Equal(((int)limits["max-connections"]!, (int)limits["max-channels"]!), (prodUser.Int("spec.limits.connections"), prodUser.Int("spec.limits.channels")));
        var queue = prod.Single(o => o.Kind == "Queue" && o.Str("spec.name") == "customs.feed");
        Assert.Equal(("rrm", "true"), (queue.Str("spec.vhost"), queue.Str("spec.durable")));
        var prodBinding = prod.Single(o => o.Kind == "Binding" && o.Str("spec.destination") == "customs.feed");
        Assert.Equal(((string)binding["source"]!, "queue", "#"), (prodBinding.Str("spec.source"), prodBinding.Str("spec.destinationType"), prodBinding.Str("spec.routingKey")));
        var exchange = prod.Single(o => o.Kind == "Exchange" && o.Str("spec.name") == "rrm.customs.instructions");
        Assert.Equal(("topic", "true", "false"), (exchange.Str("spec.type"), exchange.Str("spec.durable"), exchange.Str("spec.autoDelete")));
        var prodPolicy = prod.Single(o => o.Kind == "Policy" && o.Str("spec.name") == (string)policy["name"]!);
        Assert.Equal(((string)policy["pattern"]!, "queues", (string)policy["definition"]!["overflow"]!), (prodPolicy.Str("spec.pattern"), prodPolicy.Str("spec.applyTo"), prodPolicy.Str("spec.definition.overflow")));
        Assert.Equal(((long)policy["definition"]!["max-length"]!, (long)policy["definition"]!["max-length-bytes"]!),
            (long.Parse(prodPolicy.Str("spec.definition.max-length")), long.Parse(prodPolicy.Str("spec.definition.max-length-bytes"))));
        Assert.DoesNotContain(prod, o => o.Kind == "Permission" && o.Name != "rrm-services" && o.Name != "customs-feed");
    }

    /// <summary>The customs objects of a definitions file: its user (without password) and permissions, and the topology.</summary>
    private static JsonObject CustomsObjects(JsonNode definitions)
    {
        var users = definitions["users"]!.AsArray().Where(u => (string?)u!["name"] == "customs-feed").Select(u =>
        {
            var user = u!.DeepClone().AsObject();
            user.Remove("password");
            user.Remove("password_hash");
            return (JsonNode)user;
        });
        var result = new JsonObject
        {
            ["users"] = new JsonArray(users.ToArray()),
            ["permissions"] = new JsonArray(definitions["permissions"]!.AsArray().Where(p => (string?)p!["user"] == "customs-feed").Select(p => p!.DeepClone()).ToArray()),
        };
        foreach (var key in new[] { "exchanges", "queues", "bindings", "policies" })
            result[key] = new JsonArray(definitions[key]!.AsArray().Select(o => o!.DeepClone()).ToArray());
        return result;
    }

    /// <summary>Each change breaks the manifests in a way the checks must catch, naming the problem.</summary>
    [Theory]
    [InlineData("base/patches/service-pod.yaml", "          readinessProbe:", "          notAProbe:", "container service: no readinessProbe")]
    [InlineData("base/patches/service-pod.yaml", "limits: { cpu: \"1\", memory: 512Mi }", "limits: { cpu: \"1\" }", "init container migrate: no memory limits")]
    [InlineData("base/patches/service-pod.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", "readOnlyRootFilesystem is not true")]
    [InlineData("base/patches/service-pod.yaml", "capabilities: { drop: [ALL] }", "capabilities: { drop: [NET_RAW] }", "capabilities are not all dropped")]
    [InlineData("base/patches/service-pod.yaml", "automountServiceAccountToken: false", "automountServiceAccountToken: true", "mounts a service-account token")]
    [InlineData("base/patches/service-pod.yaml", "runAsNonRoot: true", "runAsNonRoot: false", "runAsNonRoot is not true")]
    [InlineData("base/kustomization.yaml", "newTag: \"1.0.0\"", "newTag: latest", "is not pinned")]
    [InlineData("overlays/dev/postgres.yaml", "image: postgres:15.10", "image: postgres", "image \"postgres\" is not pinned")]
    [InlineData("base/petition.yaml", "  maxReplicas: 6", "  maxReplicas: six", "/spec/maxReplicas must be integer")]
    [InlineData("base/review.yaml", "port: 8080, targetPort", "port: eighty, targetPort", "/spec/ports/0/port must be integer")]
    // The board's pod, written out in base/board.yaml rather than patched in: the same policy holds for it.
    [InlineData("base/board.yaml", "          readinessProbe: { httpGet", "          notAProbe: { httpGet", "Deployment rrm/board: container board: no readinessProbe")]
    [InlineData("base/board.yaml", "limits: { cpu: \"1\", memory: 1Gi }", "limits: { cpu: \"1\" }", "Deployment rrm/board: container board: no memory limits")]
    [InlineData("base/board.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", "Deployment rrm/board: container board: readOnlyRootFilesystem is not true")]
    [InlineData("base/board.yaml", "        runAsNonRoot: true\n", "", "Deployment rrm/board: container board: runAsNonRoot is not true (restricted)")]
    // The restricted Pod Security Standard, which the namespace enforces: a pod that breaks it is never created.
    [InlineData("base/patches/service-pod.yaml", "seccompProfile: { type: RuntimeDefault }", "seccompProfile: { type: Unconfined }", "container service: seccompProfile is not RuntimeDefault or Localhost (restricted)")]
    [InlineData("base/patches/service-pod.yaml", "capabilities: { drop: [ALL] }", "capabilities: { drop: [ALL], add: [NET_ADMIN] }", "init container migrate: adds capabilities NET_ADMIN (restricted)")]
    [InlineData("overlays/dev/postgres.yaml", "      enableServiceLinks: false", "      enableServiceLinks: false\n      hostNetwork: true", "StatefulSet rrm/postgres: hostNetwork is true (restricted)")]
    [InlineData("overlays/dev/rabbitmq.yaml", "- { name: tmp, emptyDir: {} }", "- { name: tmp, hostPath: { path: /tmp } }", "volume tmp: type hostPath is not allowed (restricted)")]
    [InlineData("overlays/prod/rabbitmq-cluster.yaml", "                  allowPrivilegeEscalation: false", "                  allowPrivilegeEscalation: true", "init container setup-container: allowPrivilegeEscalation is not false (restricted)")]
    [InlineData("overlays/prod/rabbitmq-cluster.yaml", "              - name: setup-container", "              - name: setup", "the override names no container setup-container")]
    [InlineData("overlays/prod/rabbitmq-cluster.yaml", "              runAsNonRoot: true\n              runAsUser: 999", "              runAsUser: 0", "the pod runs as uid 0 (restricted)")]
    [InlineData("overlays/prod/postgres-cluster.yaml", "seccompProfile: { type: RuntimeDefault }", "seccompProfile: { type: Unconfined }", "Cluster rrm/rrm-postgres: spec.seccompProfile is Unconfined")]
    public async Task A_deliberately_broken_manifest_fails_the_checks(string file, string find, string replace, string problem)
    {
        using var copy = Manifests.Copy();
        await Manifests.ReplaceAsync(copy, file, find, replace);

        var dev = await Manifests.CheckAsync(copy.Path, "dev");
        var prod = await Manifests.CheckAsync(copy.Path, "prod");

        Assert.True(dev.ExitCode != 0 || prod.ExitCode != 0, "the broken manifests passed");
        Assert.Contains(problem, dev.Output + prod.Output);
    }

    [Fact]
    public async Task A_manifest_kustomize_cannot_render_fails_the_checks()
    {
        using var copy = Manifests.Copy();
        File.Delete(Path.Combine(copy.Path, "base", "notification.yaml"));

        var render = await Manifests.CheckAsync(copy.Path, "prod");

        Assert.NotEqual(0, render.ExitCode);
        Assert.Contains("notification.yaml", render.Error);
    }
}
