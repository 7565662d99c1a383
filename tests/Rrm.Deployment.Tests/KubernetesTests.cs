using Rrm.Testing;

namespace Rrm.Deployment.Tests;

/// <summary>
/// k8s/ rendered with kustomize (kubectl) and checked offline by tools/node/check-k8s.js: the Kubernetes schemas
/// and the policy (probes, limits, security settings, pinned images, no service-account tokens).
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

        foreach (var service in Manifests.Services)
        {
            var deployment = prod.Single(o => o.Kind == "Deployment" && o.Name == service);
            Assert.True(deployment.Int("spec.replicas") >= 2, $"{service}: {deployment.Int("spec.replicas")} replicas in prod");
            Assert.True(prod.Single(o => o.Kind == "HorizontalPodAutoscaler" && o.Name == service).Int("spec.minReplicas") >= 2);
            Assert.Contains("kubernetes.io/hostname", deployment.Text());
            Assert.Equal(1, dev.Single(o => o.Kind == "Deployment" && o.Name == service).Int("spec.replicas"));
        }
        Assert.Contains(prod, o => o.Kind == "Cluster" && o.ApiVersion == "postgresql.cnpg.io/v1");
        Assert.Contains(prod, o => o.Kind == "RabbitmqCluster");
        Assert.Contains("Messaging__QuorumQueues: \"true\"", prod.Single(o => o.Kind == "ConfigMap" && o.Name.StartsWith("rrm-common")).Text());
        Assert.DoesNotContain(prod, o => o.Kind == "Secret");
        Assert.DoesNotContain(dev, o => o.Kind == "Secret");
    }

    [Fact]
    public async Task The_customs_feed_user_may_read_the_feed_but_publish_nowhere()
    {
        var prod = await Manifests.RenderAsync(Path.Combine(Repository.Root, "k8s"), "prod");
        var permission = prod.Single(o => o.Kind == "Permission" && o.Name == "customs-feed");

        var (configure, write, read) = (permission.Str("spec.permissions.configure"), permission.Str("spec.permissions.write"), permission.Str("spec.permissions.read"));

        Assert.Matches(read, "rrm.customs.instructions");
        Assert.Matches(read, "customs.impro-watch");
        Assert.DoesNotMatch(write, "rrm.customs.instructions");
        Assert.DoesNotMatch(configure, "rrm.customs.instructions");
        Assert.DoesNotMatch(read, "petition-received");
        Assert.Matches(configure, "customs.impro-watch");
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
    [InlineData("base/petition.yaml", "  replicas: 2", "  replicas: two", "/spec/replicas must be integer")]
    [InlineData("base/review.yaml", "port: 8080, targetPort", "port: eighty, targetPort", "/spec/ports/0/port must be integer")]
    public async Task A_deliberately_broken_manifest_fails_the_checks(string file, string find, string replace, string problem)
    {
        using var copy = Manifests.Copy();
        var path = Path.Combine(copy.Path, file);
        var text = await File.ReadAllTextAsync(path);
        Assert.Contains(find, text);
        await File.WriteAllTextAsync(path, text.Replace(find, replace));

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
