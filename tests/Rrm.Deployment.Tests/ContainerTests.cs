using System.Text.Json;
using System.Text.RegularExpressions;
using Rrm.Testing;

namespace Rrm.Deployment.Tests;

/// <summary>
/// deploy/Dockerfile and docker-compose.yml without a Docker engine: compose is checked by Debian's
/// docker-compose (`config -q`), and each image's program is published as the Dockerfile publishes it and run
/// through the Dockerfile's own entry point.
/// </summary>
public sealed class ContainerTests
{
    private static readonly string[] Projects = ["Rrm.Petition", "Rrm.Review", "Rrm.TariffLiquidation", "Rrm.Notification"];

    private static Task<(int ExitCode, string Output, string Error)> ComposeConfigAsync(string file) =>
        Command.RunAsync("docker-compose", ["-f", file, "config", "-q"]);

    [Fact]
    public async Task Docker_compose_accepts_the_compose_file()
    {
        var config = await ComposeConfigAsync(Path.Combine(Repository.Root, "docker-compose.yml"));

        Assert.True(config.ExitCode == 0, config.Error);
    }

    [Theory]
    [InlineData("      retries: 30", "      retries: thirty", "retries")]
    [InlineData("    healthcheck:", "    healthchek:", "healthchek")]
    [InlineData("condition: service_healthy", "condition: service_healty", "service_healty")]
    public async Task Docker_compose_refuses_a_broken_compose_file(string find, string replace, string named)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docker-compose.yml"));
        Assert.Contains(find, text);
        var broken = Path.Combine(Repository.Root, $".docker-compose-broken-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(broken, text.Replace(find, replace));
        try
        {
            var config = await ComposeConfigAsync(broken);

            Assert.NotEqual(0, config.ExitCode);
            Assert.Contains(named, config.Error);
        }
        finally { File.Delete(broken); }
    }

    [Fact]
    public void Compose_builds_each_service_from_the_Dockerfile_and_Kubernetes_names_the_same_images()
    {
        var compose = File.ReadAllText(Path.Combine(Repository.Root, "docker-compose.yml"));
        var kustomization = File.ReadAllText(Path.Combine(Repository.Root, "k8s", "base", "kustomization.yaml"));
        foreach (var project in Projects)
        {
            Assert.Contains($"dockerfile: deploy/Dockerfile, args: {{ SERVICE: {project} }}", compose);
            var image = "rrm/" + Regex.Replace(project["Rrm.".Length..], "(?<=[a-z])([A-Z])", "-$1").ToLowerInvariant();
            Assert.Contains($"image: {image}:dev", compose);
            Assert.Contains($"- name: {image}\n", kustomization);
        }
    }

    [Fact]
    public void Everything_the_Dockerfile_copies_exists_and_is_not_ignored()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(Repository.Root, "deploy", "Dockerfile"));
        var ignored = File.ReadAllLines(Path.Combine(Repository.Root, ".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var sources = dockerfile.Where(l => l.StartsWith("COPY ") && !l.Contains("--from="))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]).ToList();

        Assert.Contains("protos/", sources);
        foreach (var source in sources.SelectMany(s => s.Contains("${SERVICE}") ? Projects.Select(p => s.Replace("${SERVICE}", p)) : [s]))
        {
            Assert.True(File.Exists(Path.Combine(Repository.Root, source)) || Directory.Exists(Path.Combine(Repository.Root, source)), $"{source} does not exist");
            Assert.DoesNotContain(ignored, pattern => source.TrimEnd('/') == pattern.TrimEnd('/') || (pattern.StartsWith("*.") && source.EndsWith(pattern[1..])));
        }
    }

    [Theory]
    [InlineData("Rrm.Petition")]
    [InlineData("Rrm.Review")]
    [InlineData("Rrm.TariffLiquidation")]
    [InlineData("Rrm.Notification")]
    public async Task The_published_service_runs_through_the_images_entry_point(string project)
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "deploy", "Dockerfile"));
        var entryPoint = JsonSerializer.Deserialize<string[]>(Regex.Match(dockerfile, @"^ENTRYPOINT (\[.*\])$", RegexOptions.Multiline).Groups[1].Value)!;
        using var app = new TemporaryDirectory();
        var publish = await Command.RunAsync("dotnet", ["publish", $"services/{project}/{project}.csproj", "-c", "Release", "--no-build",
            "-o", app.Path, "-p:UseAppHost=false", "-nologo", "-v:q"], timeout: TimeSpan.FromMinutes(3));
        Assert.True(publish.ExitCode == 0, publish.Output + publish.Error);

        // The entry point, with /app where the image has the program and SERVICE as the image sets it; "help" as the command.
        var script = entryPoint[2].Replace("/app/", app.Path + "/");
        var run = await Command.RunAsync("/usr/bin/env", ["SERVICE=" + project, entryPoint[0], entryPoint[1], script, entryPoint[3], "help"], workingDirectory: app.Path);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith($"Usage: {project} [command]", run.Output);
        Assert.Contains("migrate", run.Output);
    }
}
