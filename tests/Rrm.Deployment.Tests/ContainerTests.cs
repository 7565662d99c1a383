using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Rrm.Testing;

namespace Rrm.Deployment.Tests;

/// <summary>
/// deploy/Dockerfile and docker-compose.yml without a Docker engine: compose is checked by Debian's
/// docker-compose (`config -q`); the image's build stage is replayed (its COPY lines into a fresh folder, then its
/// own `dotnet publish` line); and each service's program runs through the Dockerfile's own entry point.
/// </summary>
[Collection(ImageBuilds.Name)]
public sealed class ContainerTests
{
    private static readonly string[] Projects = ["Rrm.Petition", "Rrm.Review", "Rrm.TariffLiquidation", "Rrm.Notification"];

    /// <summary>Every project the Dockerfile builds an image of: the services and the board.</summary>
    private static readonly string[] ImageProjects = [.. Projects, "Rrm.Board"];

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
    public void Compose_builds_each_service_and_the_board_from_the_Dockerfile_and_Kubernetes_names_the_same_images()
    {
        var compose = File.ReadAllText(Path.Combine(Repository.Root, "docker-compose.yml"));
        var kustomization = File.ReadAllText(Path.Combine(Repository.Root, "k8s", "base", "kustomization.yaml"));
        foreach (var project in ImageProjects)
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
        foreach (var source in sources.SelectMany(s => s.Contains("${SERVICE}") ? ImageProjects.Select(p => s.Replace("${SERVICE}", p)) : [s]))
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

    /// <summary>
    /// The build stage as Docker runs it, without Docker: what its COPY lines copy (less .dockerignore's bin/ and obj/)
    /// into a fresh folder standing for /src, then its `dotnet publish` line, read from the Dockerfile so the two cannot
    /// drift, with /app a temporary folder. A file the Dockerfile forgets to copy is missing here too.
    /// </summary>
    [Fact]
    public async Task The_images_publish_has_workstation_non_concurrent_GC_and_ReadyToRun_code()
    {
        const string project = "Rrm.TariffLiquidation";
        using var build = new TemporaryDirectory();

        var app = await PublishAsTheImageBuildsAsync(project, build.Path);

        AssertWorkstationNonConcurrentGc(Path.Combine(app, project + ".runtimeconfig.json"));
        foreach (var dll in new[] { project, "Rrm.ServiceDefaults", "Rrm.Contracts" })
            Assert.True(IsReadyToRun(Path.Combine(app, dll + ".dll")), $"{dll}.dll has no ReadyToRun code");
        // A control: a library nobody precompiled is plain IL, so the check above can fail.
        Assert.False(IsReadyToRun(typeof(ContainerTests).Assembly.Location));
    }

    /// <summary>
    /// The image's build stage for <paramref name="project"/> without Docker: its COPY lines into <paramref name="build"/>/src,
    /// then its own `dotnet publish` line with /app as <paramref name="build"/>/app, which it returns.
    /// </summary>
    internal static async Task<string> PublishAsTheImageBuildsAsync(string project, string build)
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "deploy", "Dockerfile"));
        var source = Path.Combine(build, "src");
        var app = Path.Combine(build, "app");
        StageBuildContext(dockerfile, project, source);
        var publish = Regex.Match(dockerfile, @"^\s*dotnet publish (.+)$", RegexOptions.Multiline);
        Assert.True(publish.Success, "the Dockerfile has no `dotnet publish` line");
        var args = publish.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a.Replace("${SERVICE}", project)).ToList();
        Assert.Contains("/app", args);

        var run = await Command.RunAsync("dotnet", ["publish", .. args.Select(a => a == "/app" ? app : a), "-nologo"],
            workingDirectory: source, timeout: TimeSpan.FromMinutes(4));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        return app;
    }

    /// <summary>
    /// `./rrm up` and `./rrm bench` run the services from a ReadyToRun publish (./rrm, publish_services) made with the
    /// image's flags, so the start-up the bench measures is the image's.
    /// </summary>
    [Fact]
    public async Task The_suite_runs_the_services_published_as_the_image_publishes_them()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "deploy", "Dockerfile"));
        var rrm = (await File.ReadAllTextAsync(Path.Combine(Repository.Root, "rrm"))).Replace("\\\n", " ");
        var image = Regex.Match(dockerfile, @"^\s*dotnet publish (.+)$", RegexOptions.Multiline).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var suite = Regex.Match(rrm, @"^\s*dotnet publish (.+)$", RegexOptions.Multiline).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var flag in image.Where(a => a.StartsWith("-p:") || a.StartsWith("--")))
            Assert.Contains(flag, suite);
        Assert.Contains("-p:PublishReadyToRun=true", suite);
    }

    /// <summary>The Release build that `./rrm test` runs (and `./rrm up` publishes) has the same settings as the image.</summary>
    [Theory]
    [InlineData("Rrm.Petition")]
    [InlineData("Rrm.Review")]
    [InlineData("Rrm.TariffLiquidation")]
    [InlineData("Rrm.Notification")]
    public void The_built_service_has_workstation_non_concurrent_GC(string project) =>
        AssertWorkstationNonConcurrentGc(Path.ChangeExtension(Repository.Built(Path.Combine("services", project), project + ".dll"), ".runtimeconfig.json"));

    internal static void AssertWorkstationNonConcurrentGc(string runtimeConfig)
    {
        var properties = JsonNode.Parse(File.ReadAllText(runtimeConfig))!["runtimeOptions"]!["configProperties"];
        Assert.False(properties?["System.GC.Server"]?.GetValue<bool>() ?? true, $"{runtimeConfig}: System.GC.Server is not false");
        Assert.False(properties?["System.GC.Concurrent"]?.GetValue<bool>() ?? true, $"{runtimeConfig}: System.GC.Concurrent is not false");
    }

    /// <summary>Crossgen2's output: IL plus native code, flagged as an IL library with a ReadyToRun (managed native) header.</summary>
    internal static bool IsReadyToRun(string dll)
    {
        using var pe = new PEReader(File.OpenRead(dll));
        var cor = pe.PEHeaders.CorHeader!;
        return (cor.Flags & CorFlags.ILLibrary) != 0 && cor.ManagedNativeHeaderDirectory.Size > 0;
    }

    /// <summary>Copies what the build stage's COPY lines copy from the repository into <paramref name="target"/> (its /src).</summary>
    private static void StageBuildContext(string dockerfile, string project, string target)
    {
        var copies = dockerfile.Split('\n').Where(l => l.StartsWith("COPY ") && !l.Contains("--from=")).ToList();
        Assert.NotEmpty(copies);
        foreach (var line in copies)
        {
            var words = line.Replace("${SERVICE}", project).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
            var destination = Path.Combine(target, words[^1]);
            foreach (var source in words[..^1].Select(w => Path.Combine(Repository.Root, w)))
            {
                if (Directory.Exists(source)) CopyDirectory(source, destination);
                else
                {
                    Directory.CreateDirectory(destination);
                    File.Copy(source, Path.Combine(destination, Path.GetFileName(source)));
                }
            }
        }
    }

    private static readonly string[] Ignored = ["bin", "obj", "node_modules"]; // .dockerignore's **/bin/, **/obj/, **/node_modules/

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(source).Where(d => !Ignored.Contains(Path.GetFileName(d))))
            CopyDirectory(directory, Path.Combine(destination, Path.GetFileName(directory)));
    }
}
