using System.Text.RegularExpressions;
using Npgsql;
using Rrm.Testing;
using YamlDotNet.RepresentationModel;

namespace Rrm.Deployment.Tests;

/// <summary>
/// PostgreSQL refuses connections past max_connections ("sorry, too many clients already"): every service pod the
/// HPAs may run, each with its whole Npgsql pool, must fit, with the superuser reserve and the operator's own
/// connections besides (docs/operations.md, "Database connections").
/// </summary>
public sealed partial class ConnectionBudgetTests
{
    /// <summary>PostgreSQL's defaults, when the manifests leave them.</summary>
    private const int DefaultMaxConnections = 100, DefaultSuperuserReserved = 3;

    /// <summary>CloudNativePG's instance manager, metrics exporter and backups, and an operator's `kubectl cnpg psql`.</summary>
    public const int OperatorConnections = 10;

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Every_service_pod_the_HPAs_may_run_fits_max_connections_with_its_whole_pool(string overlay)
    {
        var objects = await Manifests.RenderAsync(overlay);

        var budget = Budget(objects, overlay);

        Assert.True(budget.Needed <= budget.MaxConnections, budget.Arithmetic);
        if (overlay == "prod")
        {
            // The documented arithmetic is this one: the same sum and limit.
            var doc = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "operations.md"));
            Assert.True(doc.Contains($"= {budget.Needed} ≤ {budget.MaxConnections}"), $"docs/operations.md does not state {budget.Arithmetic}");
        }
    }

    /// <summary>A pool the manifests forget to size is Npgsql's 100 per pod, which overruns the budget.</summary>
    [Fact]
    public async Task A_connection_string_without_a_pool_size_breaks_the_budget()
    {
        using var copy = Manifests.Copy();
        foreach (var service in Manifests.Services) // each service's manifest has its connection string (its own role)
            await Manifests.ReplaceAsync(copy, Path.Combine("base", $"{service}.yaml"), ";Maximum Pool Size=$(POSTGRES_POOL_SIZE)", "");

        var objects = await Manifests.RenderAsync(copy.Path, "prod");
        var budget = Budget(objects, "prod");

        Assert.All(Manifests.ServiceDeployments(objects), d => Assert.Equal(100, PoolSize(objects, d.Container("service"), d.Name)));
        Assert.True(budget.Needed > budget.MaxConnections, budget.Arithmetic);
    }

    /// <summary>Connections every pod the HPAs may run can open, with the reserves, against max_connections.</summary>
    private static (int Needed, int MaxConnections, string Arithmetic) Budget(List<K8sObject> objects, string overlay)
    {
        var (maxConnections, reserved) = DatabaseLimits(objects, overlay);
        var terms = new List<string>();
        var needed = reserved + OperatorConnections;
        foreach (var deployment in Manifests.ServiceDeployments(objects))
        {
            var hpa = objects.Single(o => o.Kind == "HorizontalPodAutoscaler" && o.Str("spec.scaleTargetRef.name") == deployment.Name);
            // A rollout at the HPA's maximum runs maxSurge pods more.
            var pods = hpa.Int("spec.maxReplicas") + Surge(deployment.Str("spec.strategy.rollingUpdate.maxSurge"), hpa.Int("spec.maxReplicas"));
            // The init container (migrations) runs before the service container, never beside it: the larger pool counts.
            var pool = deployment.Containers().Max(c => PoolSize(objects, c, deployment.Name));
            needed += pods * pool;
            terms.Add($"{deployment.Name} {pods} pods × {pool}");
        }
        Assert.Equal(Manifests.Services.Order(), Manifests.ServiceDeployments(objects).Select(d => d.Name).Order());
        return (needed, maxConnections,
            $"{overlay}: {string.Join(" + ", terms)} + {reserved} superuser reserved + {OperatorConnections} operator = {needed} ≤ {maxConnections} (max_connections)?");
    }

    private static (int MaxConnections, int Reserved) DatabaseLimits(List<K8sObject> objects, string overlay)
    {
        if (objects.SingleOrDefault(o => o.Kind == "Cluster" && o.ApiVersion == "postgresql.cnpg.io/v1") is { } cluster)
        {
            var max = cluster.Str("spec.postgresql.parameters.max_connections");
            var reserved = cluster.Str("spec.postgresql.parameters.superuser_reserved_connections");
            return (max == "" ? DefaultMaxConnections : int.Parse(max), reserved == "" ? DefaultSuperuserReserved : int.Parse(reserved));
        }
        var postgres = objects.Single(o => o.Kind == "StatefulSet" && o.Label("rrm/role") == "postgres");
        var args = string.Join(' ', postgres.Containers().SelectMany(c => Yaml.Seq(c, "args")).Select(a => $"{a}"));
        int Setting(string name, int fallback) => Regex.Match(args, $@"-c {name}=(\d+)") is { Success: true } m ? int.Parse(m.Groups[1].Value) : fallback;
        Assert.True(overlay == "dev", $"{overlay}: no PostgreSQL found");
        return (Setting("max_connections", DefaultMaxConnections), Setting("superuser_reserved_connections", DefaultSuperuserReserved));
    }

    private static int Surge(string maxSurge, int replicas) =>
        maxSurge == "" ? (int)Math.Ceiling(replicas * 0.25) // Kubernetes' default, 25 %
        : maxSurge.EndsWith('%') ? (int)Math.Ceiling(replicas * int.Parse(maxSurge[..^1]) / 100.0) : int.Parse(maxSurge);

    /// <summary>Maximum Pool Size of the container's ConnectionStrings__Postgres, as the kubelet would expand it.</summary>
    public static int PoolSize(List<K8sObject> objects, YamlMappingNode container, string workload)
    {
        var environment = Manifests.Environment(objects, container);
        var name = Yaml.Str(container, "name");
        Assert.True(environment.TryGetValue("ConnectionStrings__Postgres", out var connectionString), $"{workload}/{name}: no ConnectionStrings__Postgres");
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            Assert.Fail($"{workload}/{name}: Npgsql cannot read \"{connectionString}\" ({e.Message}); a $(VAR) it names is not defined before it");
            throw;
        }
    }

}
