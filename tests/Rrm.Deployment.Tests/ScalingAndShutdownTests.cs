using System.Text.RegularExpressions;
using Rrm.Testing;
using YamlDotNet.RepresentationModel;

namespace Rrm.Deployment.Tests;

/// <summary>
/// How pods come and go: the HPAs alone set the replica count, a stopping pod finishes its calls before it is
/// killed, and the suite's pods schedule at their own priority.
/// </summary>
public sealed partial class ScalingAndShutdownTests
{
    /// <summary>.NET's HostOptions.ShutdownTimeout when the code sets none.</summary>
    private static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A replicas field beside an HPA resets the count to it at every `kubectl apply`: a service scaled out under load
    /// drops back to that number until the HPA notices again.
    /// </summary>
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task No_Deployment_an_HPA_scales_sets_its_replicas(string overlay)
    {
        var objects = await Manifests.RenderAsync(overlay);
        var scaled = objects.Where(o => o.Kind == "HorizontalPodAutoscaler")
            .Select(h => (Kind: h.Str("spec.scaleTargetRef.kind"), Name: h.Str("spec.scaleTargetRef.name"))).ToList();

        Assert.Equal(Manifests.Services.Order(), scaled.Where(t => t.Kind == "Deployment").Select(t => t.Name).Order());
        foreach (var (kind, name) in scaled)
        {
            var target = objects.Single(o => o.Kind == kind && o.Name == name);
            Assert.True(target.Find("spec.replicas") is null, $"{kind} {name} sets replicas {target.Str("spec.replicas")} and has an HPA");
        }
    }

    /// <summary>
    /// A stopping pod: preStop (the pause while endpoints drop it), then SIGTERM and the host's shutdown timeout, all
    /// within the grace period, or the kubelet kills running calls and background work with SIGKILL.
    /// </summary>
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Every_Deployment_gives_its_pods_longer_to_stop_than_the_preStop_pause_and_the_shutdown_timeout(string overlay)
    {
        var objects = await Manifests.RenderAsync(overlay);

        Assert.Contains(objects, o => o.Kind == "Deployment");
        Assert.Empty(StopProblems(objects, ShutdownTimeout()));
    }

    [Fact]
    public async Task A_grace_period_the_pause_and_the_shutdown_timeout_overrun_is_caught()
    {
        var shutdown = ShutdownTimeout();
        var tooShort = 10 + (int)shutdown.TotalSeconds;   // preStop 10 s: equal is not longer
        using var copy = Manifests.Copy();
        await Manifests.ReplaceAsync(copy, Path.Combine("base", "patches", "service-pod.yaml"),
            "terminationGracePeriodSeconds: 45", $"terminationGracePeriodSeconds: {tooShort}");

        var problems = StopProblems(await Manifests.RenderAsync(copy.Path, "prod"), shutdown);

        Assert.Equal(Manifests.Services.Length, problems.Count);
        Assert.All(problems, p => Assert.Contains($"terminationGracePeriodSeconds {tooShort} is not longer than preStop 10 s + shutdown timeout {shutdown.TotalSeconds} s", p));
    }

    /// <summary>What keeps a Deployment's pods from stopping cleanly; the shutdown timeout is the code's unless the pod sets Hosting__ShutdownTimeout.</summary>
    private static List<string> StopProblems(List<K8sObject> objects, TimeSpan codeShutdown)
    {
        var problems = new List<string>();
        foreach (var deployment in objects.Where(o => o.Kind == "Deployment"))
        {
            var grace = deployment.Find("spec.template.spec.terminationGracePeriodSeconds") is null ? 30 : deployment.Int("spec.template.spec.terminationGracePeriodSeconds");
            foreach (var container in deployment.Seq("spec.template.spec.containers").OfType<YamlMappingNode>())
            {
                var shutdown = Manifests.Environment(objects, container).TryGetValue("Hosting__ShutdownTimeout", out var set) ? TimeSpan.Parse(set) : codeShutdown;
                var pause = PreStopSeconds(container);
                var where = $"{deployment.Name}/{Yaml.Str(container, "name")}";
                if (pause <= 0) problems.Add($"{where}: no preStop pause, so it still gets calls after SIGTERM");
                if (grace <= pause + shutdown.TotalSeconds)
                    problems.Add($"{where}: terminationGracePeriodSeconds {grace} is not longer than preStop {pause} s + shutdown timeout {shutdown.TotalSeconds} s");
            }
        }
        return problems;
    }

    /// <summary>A pause the pod can run: the `sleep` lifecycle action or `sleep N` in the image.</summary>
    private static int PreStopSeconds(YamlMappingNode container)
    {
        if (Yaml.Str(container, "lifecycle.preStop.sleep.seconds") is { Length: > 0 } seconds) return int.Parse(seconds);
        var command = string.Join(' ', Yaml.Seq(container, "lifecycle.preStop.exec.command").Select(c => $"{c}"));
        return Regex.Match(command, @"(?:^|\s)sleep (\d+)") is { Success: true } m ? int.Parse(m.Groups[1].Value) : 0;
    }

    /// <summary>
    /// The longest shutdown timeout the code sets (HostOptions.ShutdownTimeout = …, or the default of an options
    /// property ShutdownTimeout that feeds it), or .NET's default.
    /// </summary>
    private static TimeSpan ShutdownTimeout()
    {
        var set = new[] { "shared", "services" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Repository.Root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => ShutdownTimeoutSetting().Matches(File.ReadAllText(f)))
            .Select(m => m.Groups["unit"].Value switch
            {
                "Minutes" => TimeSpan.FromMinutes(double.Parse(m.Groups["n"].Value)),
                "Milliseconds" => TimeSpan.FromMilliseconds(double.Parse(m.Groups["n"].Value)),
                _ => TimeSpan.FromSeconds(double.Parse(m.Groups["n"].Value)),
            })
            .ToList();
        return set.Count == 0 ? DefaultShutdownTimeout : set.Max();
    }

    /// <summary>A shutdown timeout the code sets is what the grace period must cover.</summary>
    [Theory]
    [InlineData("services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));", "Minutes", "2")]
    [InlineData("options.ShutdownTimeout = TimeSpan.FromSeconds(45);", "Seconds", "45")]
    [InlineData("public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);", "Seconds", "20")]
    public void A_shutdown_timeout_in_the_code_is_found(string code, string unit, string n)
    {
        var match = ShutdownTimeoutSetting().Match(code);

        Assert.Equal((unit, n), (match.Groups["unit"].Value, match.Groups["n"].Value));
    }

    /// <summary>Every pod of the suite (services, and the database and broker they need) runs at one PriorityClass of the overlay.</summary>
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Every_pod_of_the_suite_runs_at_the_suites_PriorityClass(string overlay)
    {
        var objects = await Manifests.RenderAsync(overlay);
        var classes = objects.Where(o => o.Kind == "PriorityClass").ToDictionary(o => o.Name);
        var pods = objects.Where(o => o.Kind is "Deployment" or "StatefulSet").Select(o => (Where: $"{o.Kind} {o.Name}", Class: o.Str("spec.template.spec.priorityClassName")))
            .Concat(objects.Where(o => o.Kind == "Cluster" && o.ApiVersion == "postgresql.cnpg.io/v1").Select(o => (Where: $"Cluster {o.Name}", Class: o.Str("spec.priorityClassName"))))
            .Concat(objects.Where(o => o.Kind == "RabbitmqCluster").Select(o => (Where: $"RabbitmqCluster {o.Name}", Class: o.Str("spec.override.statefulSet.spec.template.spec.priorityClassName"))))
            .ToList();

        Assert.True(pods.Count >= Manifests.Services.Length + 2, string.Join(", ", pods));
        Assert.All(pods, p => Assert.True(classes.ContainsKey(p.Class), $"{p.Where}: priorityClassName \"{p.Class}\" is no PriorityClass of the overlay"));
        Assert.All(classes.Values, c =>
        {
            Assert.True(c.Int("value") > 0 && c.Int("value") < 1_000_000_000, $"{c.Name}: value {c.Str("value")} (user classes are below 1,000,000,000)");
            Assert.NotEqual("true", c.Str("globalDefault"));
        });
    }

    [GeneratedRegex(@"ShutdownTimeout\s*(?:\{\s*get;\s*(?:set|init);\s*\}\s*)?=\s*TimeSpan\.From(?<unit>Seconds|Minutes|Milliseconds)\(\s*(?<n>[\d.]+)\s*\)")]
    private static partial Regex ShutdownTimeoutSetting();
}
