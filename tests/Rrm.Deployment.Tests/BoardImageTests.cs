using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rrm.Testing;

namespace Rrm.Deployment.Tests;

/// <summary>
/// The board's image without Docker: its build stage replayed as ContainerTests does for a service, then the program run
/// through the image's entry point. In the collection of the image builds: two builds from source at once take too long.
/// </summary>
[Collection(ImageBuilds.Name)]
public sealed partial class BoardImageTests
{
    private const string Project = "Rrm.Board";

    /// <summary>
    /// The image's build stage replayed (ContainerTests), then the program run as the image runs it: through the
    /// entry point, from /app (the working directory, whose wwwroot holds the static files), services unreachable.
    /// The pages and every script and style sheet they link must come back, and compose's healthcheck must pass.
    /// </summary>
    [Fact]
    public async Task The_boards_image_publish_serves_its_pages_static_files_and_health_through_the_entry_point()
    {
        using var build = new TemporaryDirectory();
        var app = await ContainerTests.PublishAsTheImageBuildsAsync(Project, build.Path);
        Assert.True(ContainerTests.IsReadyToRun(Path.Combine(app, Project + ".dll")), $"{Project}.dll has no ReadyToRun code");
        ContainerTests.AssertWorkstationNonConcurrentGc(Path.Combine(app, Project + ".runtimeconfig.json"));

        var port = SmtpSink.FreePort();
        using var board = StartThroughTheEntryPoint(app, port, out var output);
        try
        {
            await TheBoardServesAsync(port, board, output);
        }
        finally
        {
            if (!board.HasExited) board.Kill(entireProcessTree: true);
        }
    }

    private static async Task TheBoardServesAsync(int port, Process board, StringBuilder output)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        await WaitForHealthAsync(http, board, output);

        var health = await http.GetAsync("/healthz");
        Assert.Equal(200, (int)health.StatusCode);
        var signIn = await http.GetStringAsync("/signin");
        Assert.Contains("action=\"/signin/local\"", signIn);
        var assets = Asset().Matches(signIn).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains(assets, a => a.Contains("_framework/blazor.web"));
        Assert.Contains(assets, a => a.EndsWith(".css"));
        foreach (var asset in assets)
        {
            var response = await http.GetAsync("/" + asset.TrimStart('/'));
            Assert.True(response.IsSuccessStatusCode && (await response.Content.ReadAsByteArrayAsync()).Length > 0, $"{asset}: {(int)response.StatusCode}");
        }

        // Compose's healthcheck, as the container runs it (on 8080 there, on this port here), passes only while the board serves.
        var check = string.Join(' ', Yaml.Seq(await ComposeAsync(), "services.board.healthcheck.test").Skip(3).Select(t => $"{t}"));
        Assert.Equal(0, (await Command.RunAsync("bash", ["-c", check.Replace("/8080", $"/{port}")])).ExitCode);
        board.Kill();
        await board.WaitForExitAsync();
        Assert.NotEqual(0, (await Command.RunAsync("bash", ["-c", check.Replace("/8080", $"/{port}")])).ExitCode);
    }

    private static async Task<YamlDotNet.RepresentationModel.YamlMappingNode> ComposeAsync() =>
        Yaml.Load(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docker-compose.yml")));

    /// <summary>The published board run as the image runs it: the ENTRYPOINT line, SERVICE set, /app its working directory.</summary>
    private static Process StartThroughTheEntryPoint(string app, int port, out StringBuilder output)
    {
        var dockerfile = File.ReadAllText(Path.Combine(Repository.Root, "deploy", "Dockerfile"));
        var entryPoint = JsonSerializer.Deserialize<string[]>(Regex.Match(dockerfile, @"^ENTRYPOINT (\[.*\])$", RegexOptions.Multiline).Groups[1].Value)!;
        var start = new ProcessStartInfo(entryPoint[0]) { WorkingDirectory = app, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { entryPoint[1], entryPoint[2].Replace("/app/", app + "/"), entryPoint[3] }) start.ArgumentList.Add(arg);
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT"); // as in the image: Production
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment["SERVICE"] = Project;
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        foreach (var (key, _) in BoardDeploymentTests.ServiceUrls) start.Environment[key] = "http://127.0.0.1:9"; // nothing there: the board serves without the services
        start.Environment["Board__DevelopmentSignIn"] = "true";
        start.Environment["Auth__SigningKey"] = "a-local-development-signing-key-for-this-test-only-0123456789";
        var log = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = log;
        return process;
    }

    private static async Task WaitForHealthAsync(HttpClient http, Process board, StringBuilder output)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (board.HasExited)
            {
                await board.WaitForExitAsync();
                Assert.Fail($"the board exited with {board.ExitCode} during start-up:\n{output}");
            }
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { } // not listening yet
            if (DateTime.UtcNow > until) Assert.Fail($"the board did not answer /healthz within 60 s:\n{output}");
            await Task.Delay(250);
        }
    }

    /// <summary>A local script or style sheet a page links.</summary>
    [GeneratedRegex(@"(?:href|src)=""(?!https?:|//|#)([^""]+\.(?:css|js))""")]
    private static partial Regex Asset();
}
