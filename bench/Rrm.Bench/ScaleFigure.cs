using System.Diagnostics;
using Grpc.Core;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Bench;

/// <summary>
/// Cost flat with size: GetCase, ListCases (a page), GetStatistics, CheckEntries (by number, and as customs knows the
/// entry) and request for review → instruction on the feed, each timed call by call with 100 cases and 10,000 entries,
/// then again after growing the same services to 10,000 cases and 10,000,000 entries (RRM_BENCH_SCALE scales the big
/// state); then each service's resident memory. In a suite of its own (<see cref="PrivateSuite"/>), so that the small
/// state is exactly that.
/// </summary>
internal static class ScaleFigure
{
    private const double Target = 1.3;
    private const double MemoryTarget = 250;

    private sealed record Measure(string Name, List<double> Small, List<double> Big, string? Unavailable);

    public static async Task<Figure> RunAsync(Bench bench, CancellationToken ct)
    {
        var (facilities, cases, entries) = (Math.Max(10, bench.Scaled(300)), Math.Max(100, bench.Scaled(10_000)), Math.Max(10_000L, (long)(10_000_000 * bench.Scale)));
        var calls = 200;
        var requests = 20;
        var watch = Stopwatch.StartNew();
        await using var suite = await PrivateSuite.StartAsync(bench, ct);
        var world = new ScaleWorld(bench, suite);
        await using var feed = await FeedWatcher.StartAsync(bench, "liquidation.suspend", ct, suite.Amqp);

        await world.GrowToAsync(10, 100, 10_000, ct);
        Console.Error.WriteLine($"bench: scale: small state ({world.CaseIds.Count:N0} cases, {world.EntryCount:N0} entries) after {watch.Elapsed.TotalSeconds:N0} s");
        await MeasureAsync(bench, suite, world, feed, calls, requests, ct); // the fresh services' first calls are JIT-compiled: a whole pass warms them up
        var small = await MeasureAsync(bench, suite, world, feed, calls, requests, ct);
        var seeding = Stopwatch.StartNew();
        await world.GrowToAsync(facilities, cases, entries, ct);
        Console.Error.WriteLine($"bench: scale: big state ({world.CaseIds.Count:N0} cases over {facilities} facilities, {world.EntryCount:N0} entries) seeded in {seeding.Elapsed.TotalSeconds:N0} s");
        var big = await MeasureAsync(bench, suite, world, feed, calls, requests, ct);
        var memory = suite.Services.ToDictionary(s => s.Project, s => s.ResidentMegabytes());

        var measures = small.Keys.Select(name => new Measure(name, small[name].Times, big[name].Times, small[name].Unavailable ?? big[name].Unavailable)).ToList();
        var numbers = new Dictionary<string, double> { ["cases"] = world.CaseIds.Count, ["entries"] = world.EntryCount, ["facilities"] = facilities };
        var parts = new List<string>();
        var met = true;
        foreach (var m in measures)
        {
            var key = m.Name.Replace(' ', '_').Replace("→", "to");
            if (m.Unavailable is not null)
            {
                parts.Add($"{m.Name}: not available ({m.Unavailable})");
                Console.Error.WriteLine($"bench: scale {m.Name}: not available ({m.Unavailable})");
                continue;
            }
            var (s50, s99, b50, b99) = (P(m.Small, 50), P(m.Small, 99), P(m.Big, 50), P(m.Big, 99));
            var ratio = b50 / s50;
            met &= ratio <= Target;
            parts.Add($"{m.Name} {b50:N2}/{b99:N2} ms vs {s50:N2}/{s99:N2} ms ×{ratio:0.00}");
            Console.Error.WriteLine($"bench: scale {m.Name}: small p50 {s50:N2} p99 {s99:N2} ms; big p50 {b50:N2} p99 {b99:N2} ms; ×{ratio:0.00} (p99 ×{b99 / s99:0.00})");
            numbers[$"{key}_small_p50_ms"] = s50; numbers[$"{key}_small_p99_ms"] = s99;
            numbers[$"{key}_big_p50_ms"] = b50; numbers[$"{key}_big_p99_ms"] = b99;
            numbers[$"{key}_ratio"] = ratio;
        }
        foreach (var (project, mb) in memory) numbers[$"{project}_after_mb"] = mb;
        met &= memory.Values.All(mb => mb <= MemoryTarget);
        var worst = measures.Where(m => m.Unavailable is null).Select(m => P(m.Big, 50) / P(m.Small, 50)).DefaultIfEmpty(double.NaN).Max();
        Console.Error.WriteLine($"bench: scale: memory after {string.Join(", ", memory.Select(m => $"{m.Key} {m.Value:N0} MB"))}; {watch.Elapsed.TotalSeconds:N0} s in all");
        return new Figure("scale", $"{world.CaseIds.Count:N0} cases / {world.EntryCount:N0} entries vs 100 / 10,000: p50/p99 per call ({calls} calls, {requests} requests for review)",
            string.Join("; ", parts) + "; memory " + string.Join(", ", memory.Select(m => $"{m.Key[4..]} {m.Value:N0} MB")),
            "the same calls with 100 cases / 10,000 entries", worst, $"each ≤ {Target}× (p50); ≤ {MemoryTarget} MB per service", met)
        { Numbers = numbers };
    }

    private static double P(List<double> values, double p) => Stats.Percentile(values.Order().ToList(), p);

    /// <summary>Each measure's call times in the current state, warmed up first; a form the service refuses is "not available" with its status.</summary>
    private static async Task<Dictionary<string, (List<double> Times, string? Unavailable)>> MeasureAsync(Bench bench, PrivateSuite suite, ScaleWorld world,
        FeedWatcher feed, int calls, int requests, CancellationToken ct)
    {
        var reviews = new ReviewService.ReviewServiceClient(Bench.Channel(suite.ReviewUrl));
        var liquidation = new LiquidationService.LiquidationServiceClient(Bench.Channel(suite.LiquidationUrl));
        var (officer, customs) = (bench.Headers(Roles.UstrOfficer), bench.Headers(Roles.CustomsSystem));
        var random = new Random(19);
        var timed = new Dictionary<string, Func<Task>>
        {
            ["GetCase"] = () => reviews.GetCaseAsync(new GetCaseRequest { CaseId = world.CaseIds[random.Next(world.CaseIds.Count)] }, officer, cancellationToken: ct).ResponseAsync,
            ["ListCases"] = () => reviews.ListCasesAsync(new ListCasesRequest { Page = new PageRequest { PageSize = 20 } }, officer, cancellationToken: ct).ResponseAsync,
            ["GetStatistics"] = () => reviews.GetStatisticsAsync(new GetStatisticsRequest(), officer, cancellationToken: ct).ResponseAsync,
            ["CheckEntries by number"] = () => liquidation.CheckEntriesAsync(new CheckEntriesRequest { EntryNumbers = { world.RandomEntry(random).Number } }, customs, cancellationToken: ct).ResponseAsync,
            ["CheckEntries customs form"] = () =>
            {
                var (number, mid, date) = world.RandomEntry(random);
                return liquidation.CheckEntriesAsync(new CheckEntriesRequest { Entries = { new GateEntry { EntryNumber = number, Mid = mid, EntryDate = date } } }, customs, cancellationToken: ct).ResponseAsync;
            },
        };
        var results = new Dictionary<string, (List<double>, string?)>();
        foreach (var (name, call) in timed)
        {
            try
            {
                for (var i = 0; i < calls / 10; i++) await call(); // warm-up
                var times = new List<double>();
                for (var i = 0; i < calls; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await call();
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                results[name] = (times, null);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.Unimplemented)
            {
                results[name] = ([], $"{e.StatusCode}: {e.Status.Detail}");
            }
        }
        await world.RequestForReviewAsync(feed, ct); // warm-up
        var latencies = new List<double>();
        for (var i = 0; i < requests; i++) latencies.Add(await world.RequestForReviewAsync(feed, ct));
        results["request for review → instruction"] = (latencies, null);
        return results;
    }
}
