using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Health.V1;

namespace Rrm.Bench;

/// <summary>
/// One more process of a service, started by the bench as `./rrm up` starts one (`dotnet Rrm.X.dll migrate`, then
/// `dotnet Rrm.X.dll` from the ReadyToRun publish, with the same environment variables), on a port of its own; ready when
/// its readiness and broker checks say SERVING. Stopped with SIGTERM when disposed.
/// </summary>
internal sealed class ServiceHost : IAsyncDisposable
{
    private readonly Process _process;

    public string Project { get; }
    public string Url { get; }
    public int Pid => _process.Id;

    private ServiceHost(string project, string url, Process process) => (Project, Url, _process) = (project, url, process);

    /// <summary>
    /// The environment of `rrm`'s service_env for <paramref name="project"/>: its own database role on
    /// <paramref name="postgres"/> (the role's local password is its name), the broker at <paramref name="amqp"/>.
    /// </summary>
    public static Dictionary<string, string> Environment(Bench bench, string project, string postgres, string amqp, string petitionUrl) => new()
    {
        ["ConnectionStrings__Postgres"] = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Username = Role(project), Password = Role(project) }.ConnectionString,
        ["ConnectionStrings__RabbitMq"] = amqp,
        ["Auth__SigningKey"] = bench.SigningKey,
        ["Review__PetitionUrl"] = petitionUrl,
        ["Notification__PetitionUrl"] = petitionUrl,
        ["Notification__Smtp__Host"] = "127.0.0.1",
        ["Notification__Smtp__Port"] = System.Environment.GetEnvironmentVariable("RRM_SMTP_PORT") ?? "55025",
        ["Notification__Smtp__Security"] = "None",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public static string Role(string project) => project switch
    {
        "Rrm.Petition" => "rrm_petition",
        "Rrm.Review" => "rrm_review",
        "Rrm.TariffLiquidation" => "rrm_liquidation",
        "Rrm.Notification" => "rrm_notification",
        _ => throw new ArgumentException($"{project} is not a service", nameof(project)),
    };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Migrates and starts <paramref name="project"/> (what `./rrm up` runs) and waits until it is ready, broker included.</summary>
    public static async Task<ServiceHost> StartAsync(Bench bench, string project, Dictionary<string, string> environment, int port, CancellationToken ct)
    {
        var env = new Dictionary<string, string>(environment) { ["Urls"] = UrlOf(port) };
        using (var migrate = Start(bench, project, env, "migrate"))
        {
            await migrate.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(120), ct);
            if (migrate.ExitCode != 0) throw new InvalidOperationException($"{project} migrate exited with {migrate.ExitCode}.");
        }
        var host = Launch(bench, project, environment, port);
        try
        {
            await host.WaitUntilReadyAsync(broker: true, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(100), ct);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <paramref name="project"/> without migrating or waiting (the caller waits: <see cref="WaitUntilReadyAsync"/>).</summary>
    public static ServiceHost Launch(Bench bench, string project, Dictionary<string, string> environment, int port) =>
        new(project, UrlOf(port), Start(bench, project, new Dictionary<string, string>(environment) { ["Urls"] = UrlOf(port) }));

    /// <summary>Polls every <paramref name="poll"/> until readiness (and the broker check, if asked) says SERVING.</summary>
    public async Task WaitUntilReadyAsync(bool broker, TimeSpan limit, TimeSpan poll, CancellationToken ct)
    {
        var health = new Health.HealthClient(Bench.Channel(Url));
        for (var until = DateTime.UtcNow + limit; ; await Task.Delay(poll, ct))
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Project} on {Url} exited with {_process.ExitCode} while starting.");
            try
            {
                if (await ServingAsync(health, "readiness", ct) && (!broker || await ServingAsync(health, "broker", ct))) return;
            }
            catch (RpcException) { } // not listening yet
            if (DateTime.UtcNow > until) throw new TimeoutException($"{Project} on {Url} was not ready within {limit.TotalSeconds:N0} s.");
        }
    }

    private static async Task<bool> ServingAsync(Health.HealthClient health, string service, CancellationToken ct) =>
        (await health.CheckAsync(new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: ct)).Status
        == HealthCheckResponse.Types.ServingStatus.Serving;

    private static string UrlOf(int port) => $"http://127.0.0.1:{port}";

    /// <summary>Its resident memory in MB (VmRSS), NaN once it has exited.</summary>
    public double ResidentMegabytes() => Megabytes(Pid);

    /// <summary>
    /// Memory in MB of process <paramref name="pid"/> from /proc: <c>VmRSS</c> (resident) by default, or another field such as
    /// <c>RssAnon</c> (its private part); NaN when it is not running.
    /// </summary>
    public static double Megabytes(int pid, string field = "VmRSS")
    {
        var status = $"/proc/{pid}/status";
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field + ":")) : null;
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }

    private static Process Start(Bench bench, string project, Dictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(bench.Root, "services", project),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // What ./rrm up runs: the ReadyToRun publish (./rrm, publish_services).
        start.ArgumentList.Add(Path.Combine(bench.Root, "services", project, "bin", "Release", "r2r", project + ".dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in env) start.Environment[key] = value;
        var process = Process.Start(start)!;
        // Read and dropped: a full pipe would stop the service (warnings only, see Logging__LogLevel__Default).
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await _process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
    }
}
