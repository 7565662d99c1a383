using System.Text.Json;
using Rrm.Bench;

// rrm-bench [figure ...]: runs the figures (all when none is named), prints the table and writes
// bench/results/<date>.json. The suite must be running (`./rrm bench` starts it).
var figures = new Dictionary<string, Func<Bench, CancellationToken, Task<Figure>>>
{
    ["gate"] = GateFigure.RunAsync,
    ["intake"] = IntakeFigure.RunAsync,
    ["entries"] = EntriesFigure.RunAsync,
    ["latency"] = LatencyFigure.RunAsync,
    ["scale"] = ScaleFigure.RunAsync,
    ["convergence"] = ConvergenceFigure.RunAsync,
    ["load"] = LoadFigure.RunAsync,
    ["footprint"] = FootprintFigure.RunAsync, // last: it reads the memory after the others
};
var names = args.Where(a => !a.StartsWith('-')).ToList();
if (args.Contains("--help") || names.Except(figures.Keys).Any())
{
    Console.Error.WriteLine($"usage: rrm-bench [{string.Join('|', figures.Keys)} ...]   (environment: RRM_BENCH_RUNS, RRM_BENCH_SCALE, RRM_*_URL, RRM_PG_CONN)");
    return names.Except(figures.Keys).Any() ? 64 : 0;
}
if (names.Count == 0) names = [.. figures.Keys];

var bench = new Bench();
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var results = new List<Figure>();
foreach (var name in names)
{
    Console.Error.WriteLine($"bench: {name}…");
    try { results.Add(await figures[name](bench, cancel.Token)); }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        results.Add(new Figure(name, "", "failed", "", null, "", false, e.Message));
    }
}

Console.WriteLine();
Console.WriteLine($"| figure | measure | value | baseline (same run) | ratio | target | met |");
Console.WriteLine($"|---|---|---|---|---|---|---|");
foreach (var f in results)
    Console.WriteLine($"| {f.Name} | {f.Measure} | {f.Value} | {f.Baseline} | {(f.Ratio is { } r ? r.ToString("0.00") : "")} | {f.Target} | {(f.Met ? "yes" : "NO")}{(f.Notes.Length > 0 ? " — " + f.Notes : "")} |");

var directory = Path.Combine(bench.Root, "bench", "results");
Directory.CreateDirectory(directory);
// A second run on the same day is <date>-2.json, …: a run kept as a "before" is never overwritten by its "after".
var file = Enumerable.Range(1, 1000).Select(n => Path.GetFullPath(Path.Combine(directory, $"{DateTime.UtcNow:yyyy-MM-dd}{(n > 1 ? $"-{n}" : "")}.json")))
    .First(f => !File.Exists(f));
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
{
    date = DateTimeOffset.UtcNow,
    machine = new { Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription },
    runs = bench.Runs,
    scale = bench.Scale,
    figures = results,
}, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine();
Console.WriteLine($"bench: results written to {file}");
return results.All(f => f.Met) ? 0 : 1;
