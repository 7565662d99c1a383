using System.Diagnostics;
using System.Text;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Rrm.Testing;

/// <summary>
/// A service run as its own process from its build output, as deployed (`dotnet Rrm.X.dll`): migrated with its
/// `migrate` verb, configured by environment variables, ready when its readiness check says SERVING. Its output
/// is kept and shown when it fails to start, and written to test-results/ when it stops.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    public string Name { get; }
    public string Url { get; }
    public GrpcChannel Channel { get; }

    private readonly IDictionary<string, string> _environment;
    private int? _exitCode;

    private ServiceProcess(string name, string url, Process process, StringBuilder output, IDictionary<string, string> environment, GrpcChannel? channel)
    {
        (Name, Url, _process, _output, _environment) = (name, url, process, output, environment);
        Channel = channel ?? GrpcChannel.ForAddress(url);
    }

    public bool HasExited => _exitCode is not null || _process.HasExited;

    public int Pid => _process.Id;

    /// <summary>Kills it at once (SIGKILL: no shutdown, nothing flushed), as a crashed node or an OOM kill would.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>
    /// A new process of the same service on the same address, after this one ended (its log is kept). The channel
    /// stays: clients holding it reconnect to the new process, as they would to a restarted pod.
    /// </summary>
    public async Task<ServiceProcess> RestartAsync()
    {
        await StopAsync();
        return await StartAsync(Name, _environment, new Uri(Url).Port, Channel);
    }

    /// <summary>
    /// Migrates and starts <paramref name="project"/> (e.g. "Rrm.Petition") on a free port and waits until it is ready. A
    /// free port can be taken by another connection of the test run before the service binds it: then a new one is tried.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string project, IDictionary<string, string> environment, int? port = null,
        GrpcChannel? channel = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await StartOnAsync(project, environment, port ?? SmtpSink.FreePort(), channel); }
            catch (InvalidOperationException e) when (port is null && attempt < 3 && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)) { }
        }
    }

    private static async Task<ServiceProcess> StartOnAsync(string project, IDictionary<string, string> environment, int port, GrpcChannel? channel)
    {
        var url = $"http://127.0.0.1:{port}";
        var env = new Dictionary<string, string>(environment) { ["Urls"] = url };
        var (migrated, migration) = await RunToEndAsync(project, env, "migrate");
        if (migrated != 0) throw new InvalidOperationException($"{project} migrate exited with {migrated}:\n{migration}");

        var output = new StringBuilder();
        var process = Start(project, env, output);
        var service = new ServiceProcess(project, url, process, output, environment, channel);
        var health = new Health.HealthClient(service.Channel);
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(); // also waits for the last redirected output lines (HasExited does not)
                throw new InvalidOperationException($"{project} exited with {process.ExitCode} during start-up:\n{service.Output}");
            }
            try
            {
                // Ready (the database), and connected to the broker, so its consumers' queues are bound before a test
                // publishes: readiness alone does not wait for the broker.
                var ready = await health.CheckAsync(new HealthCheckRequest { Service = "readiness" }, deadline: DateTime.UtcNow.AddSeconds(2));
                var broker = await health.CheckAsync(new HealthCheckRequest { Service = "broker" }, deadline: DateTime.UtcNow.AddSeconds(4));
                if (ready.Status == HealthCheckResponse.Types.ServingStatus.Serving && broker.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                    return service;
            }
            catch (RpcException) { } // not listening yet
            if (DateTime.UtcNow > until)
            {
                await service.DisposeAsync();
                throw new TimeoutException($"{project} was not ready within 60 s:\n{service.Output}");
            }
            await Task.Delay(200);
        }
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Stops it as Kubernetes would (SIGTERM, then a kill after 10 s) and keeps its log.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Channel.Dispose();
    }

    /// <summary>Stops it as Kubernetes would (SIGTERM, then a kill after 10 s); its exit code, 137 when it had to be killed.</summary>
    public async Task<int> StopAsync()
    {
        if (_exitCode is { } code) return code;
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(); // Kill does not wait: ExitCode is there only once it has exited
            }
        }
        var logs = Path.Combine(Repository.Root, ".rrm", "test-results", "processes");
        Directory.CreateDirectory(logs);
        await File.WriteAllTextAsync(Path.Combine(logs, $"{Name}-{_process.Id}.log"), Output);
        _exitCode = _process.ExitCode;
        _process.Dispose();
        return _exitCode.Value;
    }

    private static Process Start(string project, IDictionary<string, string> env, StringBuilder output, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(Repository.Root, "services", project),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Dll(project));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in env) start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler keep = (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int ExitCode, string Output)> RunToEndAsync(string project, IDictionary<string, string> env, string verb)
    {
        var output = new StringBuilder();
        using var process = Start(project, env, output, verb);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, output.ToString());
    }

    private static string Dll(string project) => Repository.Built(Path.Combine("services", project), project + ".dll");
}

/// <summary>The checkout the tests run in.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    /// <summary>A program of the checkout built in the tests' own configuration (bin/Release or bin/Debug).</summary>
    public static string Built(string projectDirectory, string dll)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(Root, projectDirectory, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built: build the solution first (./rrm test does)");
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Rrm.Services.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Rrm.Services.sln was not found above " + AppContext.BaseDirectory);
    }
}
