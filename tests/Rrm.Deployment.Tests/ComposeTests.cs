using System.Text.RegularExpressions;
using Rrm.Testing;

namespace Rrm.Deployment.Tests;

/// <summary>docker-compose.yml beyond what `docker-compose config` checks (ContainerTests): what a recreated container keeps.</summary>
public sealed partial class ComposeTests
{
    /// <summary>
    /// RabbitMQ names its node, and its data directory, after the host name: without a fixed one each recreated
    /// container is a new node that starts empty beside the old node's data, and the queued messages are orphaned.
    /// </summary>
    [Fact]
    public async Task RabbitMQ_has_a_fixed_host_name_so_a_recreated_container_keeps_its_queues()
    {
        var compose = Yaml.Load(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docker-compose.yml")));

        Assert.Matches("^[a-z][a-z0-9-]*$", Yaml.Str(compose, "services.rabbitmq.hostname"));
        Assert.Contains("/var/lib/rabbitmq", string.Join(' ', Yaml.Seq(compose, "services.rabbitmq.volumes")));
    }

    /// <summary>
    /// Each service's health is known to compose (and to services that wait for it): the image has no gRPC health
    /// client, so the check connects to the port the image listens on (Urls in deploy/Dockerfile) with bash.
    /// </summary>
    [Fact]
    public async Task Each_service_has_a_healthcheck_on_the_port_its_image_listens_on()
    {
        var compose = Yaml.Load(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docker-compose.yml")));
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "deploy", "Dockerfile"));
        var port = ListenPort().Match(dockerfile).Groups[1].Value;
        Assert.NotEqual("", port);

        foreach (var service in Manifests.Deployables) // the board's asks GET /healthz there (BoardDeploymentTests runs it)
        {
            var test = string.Join(' ', Yaml.Seq(compose, $"services.{service}.healthcheck.test").Select(t => $"{t}"));
            Assert.Contains($"/dev/tcp/127.0.0.1/{port}", test);
            Assert.StartsWith("CMD bash -c", test);
        }
        // The services that call the Petition service start once it answers.
        foreach (var caller in new[] { "review", "notification" })
            Assert.Equal("service_healthy", Yaml.Str(compose, $"services.{caller}.depends_on.petition.condition"));
    }

    [GeneratedRegex(@"Urls=http://\+:(\d+)")]
    private static partial Regex ListenPort();
}
