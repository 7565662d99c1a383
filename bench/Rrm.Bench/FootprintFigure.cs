using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Health.V1;

namespace Rrm.Bench;

/// <summary>
/// Each service's resident memory in the running suite, idle (when the bench began) and after the other
/// figures; and the time from `dotnet Rrm.X.dll` to readiness SERVING for a new instance beside it.
/// </summary>
internal static class FootprintFigure
{
    public static readonly (string Name, string Project)[] Services =
        [("petition", "Rrm.Petition"), ("review", "Rrm.Review"), ("tariff-liquidation", "Rrm.TariffLiquidation"), ("notification", "Rrm.Notification")];

    /// <summary>
    /// Memory in MB of each running service, from its pid file in $RRM_HOME/pids: <c>VmRSS</c> (resident) by default, or
    /// <c>RssAnon</c>, its private part (resident minus the mapped runtime files, which the services share).
    /// </summary>
    public static Dictionary<string, double> Memory(Bench bench, string field = "VmRSS") => Services.ToDictionary(s => s.Name, s =>
    {
        var pidFile = Path.Combine(bench.Home, "pids", $"{s.Name}.pid");
        if (!File.Exists(pidFile)) return double.NaN;
        var status = Path.Combine("/proc", File.ReadAllText(pidFile).Trim(), "status");
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field + ":")) : null;
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    });

    public static async Task<Figure> RunAsync(Bench bench, CancellationToken ct)
    {
        var after = Memory(bench);
        var afterPrivate = Memory(bench, "RssAnon");
        var starts = new Dictionary<string, double>();
        foreach (var (name, project) in Services)
        {
            var times = new List<double>();
            for (var run = 0; run < bench.Runs; run++) times.Add(await StartToReadyAsync(bench, project, ct));
            starts[name] = Stats.Median(times);
            Console.Error.WriteLine($"bench: footprint {name}: idle {bench.IdleMemory[name]:N0} MB, after {after[name]:N0} MB (private {afterPrivate[name]:N0} MB), start to ready {starts[name]:N0} ms");
        }
        var worstMemory = bench.IdleMemory.Values.Concat(after.Values).Max();
        var worstStart = starts.Values.Max();
        return new Figure("footprint", "resident memory idle / after the figures (private part after); start to ready",
            string.Join("; ", Services.Select(s => $"{s.Name} {bench.IdleMemory[s.Name]:N0}/{after[s.Name]:N0} MB (private {afterPrivate[s.Name]:N0}), {starts[s.Name] / 1000:0.0} s")),
            "—", null, "≤ 200 MB, ≤ 1.5 s", worstMemory <= 200 && worstStart <= 1500)
        {
            Numbers = Services.SelectMany(s => new[]
            {
                KeyValuePair.Create($"{s.Name}_idle_mb", bench.IdleMemory[s.Name]), KeyValuePair.Create($"{s.Name}_after_mb", after[s.Name]),
                KeyValuePair.Create($"{s.Name}_after_private_mb", afterPrivate[s.Name]),
                KeyValuePair.Create($"{s.Name}_start_ms", starts[s.Name]),
            }).ToDictionary(),
        };
    }

    /// <summary>Starts one more instance of the service on a free port and measures the time until it is ready.</summary>
    private static async Task<double> StartToReadyAsync(Bench bench, string project, CancellationToken ct)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        // What ./rrm up runs: the ReadyToRun publish (./rrm, publish_services).
        start.ArgumentList.Add(Path.Combine(bench.Root, "services", project, "bin", "Release", "r2r", project + ".dll"));
        foreach (var (key, value) in new Dictionary<string, string>
                 {
                     ["ConnectionStrings__Postgres"] = bench.Postgres, ["ConnectionStrings__RabbitMq"] = bench.Amqp, ["Auth__SigningKey"] = bench.SigningKey,
                     ["Urls"] = $"http://127.0.0.1:{port}", ["Review__PetitionUrl"] = bench.PetitionUrl, ["Notification__PetitionUrl"] = bench.PetitionUrl,
                     ["Notification__Smtp__Port"] = Environment.GetEnvironmentVariable("RRM_SMTP_PORT") ?? "55025", ["Notification__Smtp__Security"] = "None",
                     ["Logging__LogLevel__Default"] = "Warning",
                 })
            start.Environment[key] = value;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync(ct);
        _ = process.StandardError.ReadToEndAsync(ct);
        var health = new Health.HealthClient(Bench.Channel($"http://127.0.0.1:{port}"));
        try
        {
            while (true)
            {
                if (process.HasExited) throw new InvalidOperationException($"{project} exited with {process.ExitCode} while starting.");
                if (watch.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"{project} was not ready within 60 s.");
                try
                {
                    var reply = await health.CheckAsync(new HealthCheckRequest { Service = "readiness" }, deadline: DateTime.UtcNow.AddSeconds(1), cancellationToken: ct);
                    if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving) return watch.Elapsed.TotalMilliseconds;
                }
                catch (RpcException) { }
                await Task.Delay(20, ct);
            }
        }
        finally
        {
            Process.Start("kill", ["-TERM", process.Id.ToString()])?.WaitForExit();
            if (!process.WaitForExit(15_000)) process.Kill(entireProcessTree: true);
        }
    }
}
