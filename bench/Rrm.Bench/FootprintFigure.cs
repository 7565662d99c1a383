using System.Diagnostics;

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
        return File.Exists(pidFile) ? ServiceHost.Megabytes(int.Parse(File.ReadAllText(pidFile).Trim()), field) : double.NaN;
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
        var environment = ServiceHost.Environment(bench, project, bench.Postgres, bench.Amqp, bench.PetitionUrl);
        var watch = Stopwatch.StartNew();
        await using var host = ServiceHost.Launch(bench, project, environment, ServiceHost.FreePort());
        await host.WaitUntilReadyAsync(broker: false, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20), ct);
        return watch.Elapsed.TotalMilliseconds;
    }
}
