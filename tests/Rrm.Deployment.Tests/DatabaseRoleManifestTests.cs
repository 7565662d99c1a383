using Rrm.Testing;
using YamlDotNet.RepresentationModel;

namespace Rrm.Deployment.Tests;

/// <summary>
/// Every environment runs each service as its own database role (k8s/components/postgres-roles): the service and
/// its migrations connect with the role's Secret, and the database makes the roles from the one SQL file.
/// </summary>
public sealed class DatabaseRoleManifestTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Each_service_and_its_migrations_connect_with_their_own_roles_Secret(string overlay)
    {
        var objects = await Manifests.RenderAsync(overlay);

        foreach (var deployment in Manifests.ServiceDeployments(objects))
            foreach (var container in deployment.Containers())
            {
                var user = Yaml.Seq(container, "env").Single(e => Yaml.Str(e, "name") == "SECRET_POSTGRES_USER");
                Assert.Equal($"rrm-postgres-{deployment.Name}", Yaml.Str(user, "valueFrom.secretKeyRef.name"));
                // Defined before the connection string refers to it, or the kubelet would leave "$(…)" in it.
                var connection = Manifests.Environment(objects, container)["ConnectionStrings__Postgres"];
                Assert.DoesNotContain("$(", connection);
            }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task The_database_makes_the_roles_from_the_one_SQL_file(string overlay)
    {
        var objects = await Manifests.RenderAsync(overlay);
        var sql = await File.ReadAllTextAsync(ServiceRoles.SqlFile);

        var roles = objects.Single(o => o.Kind == "ConfigMap" && o.Name == "rrm-postgres-roles");
        Assert.Equal(sql, roles.Data()["service-roles.sql"]);
        foreach (var service in ServiceProject.All) Assert.Contains($"'{service.Role}'", sql);
        if (overlay == "prod")
        {
            var cluster = objects.Single(o => o.Kind == "Cluster");
            Assert.Equal("rrm-postgres-roles", Yaml.Str(cluster.Seq("spec.bootstrap.initdb.postInitApplicationSQLRefs.configMapRefs").Single(), "name"));
            var managed = cluster.Seq("spec.managed.roles").ToDictionary(r => Yaml.Str(r, "name"), r => Yaml.Str(r, "passwordSecret.name"));
            Assert.Equal(ServiceProject.All.ToDictionary(s => s.Role, s => $"rrm-postgres-{s.Deployment}"), managed);
        }
        else
        {
            var postgres = objects.Single(o => o.Kind == "StatefulSet" && o.Name == "postgres");
            var initdb = postgres.Seq("spec.template.spec.volumes").Single(v => Yaml.Str(v, "name") == "initdb");
            Assert.Contains(Yaml.Seq(initdb, "projected.sources"), s => Yaml.Str(s, "configMap.name") == "rrm-postgres-roles");
        }
    }

    [Fact]
    public async Task Compose_runs_each_service_and_its_migrations_as_its_role()
    {
        var config = await Command.RunAsync("docker-compose", ["-f", Path.Combine(Repository.Root, "docker-compose.yml"), "config"]);
        Assert.True(config.ExitCode == 0, config.Error);
        var services = (YamlMappingNode)Yaml.Load(config.Output)[new YamlScalarNode("services")];

        foreach (var project in ServiceProject.All)
            foreach (var service in new[] { project.Deployment, $"{project.Deployment}-migrate" })
                Assert.Contains($"Username={project.Role};", Yaml.Str(services[new YamlScalarNode(service)], "environment.ConnectionStrings__Postgres"));
        var initdb = Yaml.Seq(services[new YamlScalarNode("postgres")], "volumes").Select(v => $"{v}").ToList();
        Assert.Contains(initdb, v => v.Contains("postgres-roles/service-roles.sql") && v.Contains("/docker-entrypoint-initdb.d/"));
    }
}
