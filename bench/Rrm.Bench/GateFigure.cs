using Grpc.Health.V1;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Bench;

/// <summary>
/// The entry gate at 16 connections × 32 streams (h2load): CheckEntries with one entry as the customs system knows it
/// (answered from memory), against grpc.health.v1 Check on the same service; the same with 100 entries a call, in
/// entries/s; and one registered entry by number (its row read from PostgreSQL), reported beside.
/// </summary>
internal static class GateFigure
{
    private const string Method = "rrm.liquidation.v1.LiquidationService/CheckEntries";
    private const string Target = "≥ 0.6, p99 ≤ 1.5× health's; 100 a call ≥ 500,000 entries/s";

    public static async Task<Figure> RunAsync(Bench bench, CancellationToken ct)
    {
        if (!H2Load.Available)
            return new Figure("entry gate", "CheckEntries, 1 entry, 16×32", "not run", "", null, Target, false, "h2load is not installed (apt-get install nghttp2-client)");
        var (_, mid) = await Scenario.SuspendedFacilityAsync(bench, "Gate bench plant", ct);
        var filer = Scenario.NewFiler();
        var liquidation = new LiquidationService.LiquidationServiceClient(Bench.Channel(bench.LiquidationUrl));
        using (var register = liquidation.RegisterEntries(bench.Headers(Roles.CustomsSystem), cancellationToken: ct))
        {
            await register.RequestStream.WriteAsync(new RegisterEntriesRequest { Entries = { Scenario.Entry(mid, filer, 1) } }, ct);
            await register.RequestStream.CompleteAsync();
            await register.ResponseAsync;
        }
        GateEntry Known(int n) => new() { EntryNumber = Scenario.EntryNumber(filer, n), Mid = mid, EntryDate = new Date { Year = 2024, Month = 8, Day = 15 } };
        var one = new CheckEntriesRequest { Entries = { Known(1) } };
        var hundred = new CheckEntriesRequest { Entries = { Enumerable.Range(100, 100).Select(Known) } };
        var byNumber = new CheckEntriesRequest { EntryNumbers = { Scenario.EntryNumber(filer, 1) } };
        // h2load does not read grpc-status: one real call of each proves the request is right.
        foreach (var (request, entries) in new[] { (one, 1), (hundred, 100), (byNumber, 1) })
        {
            var answer = await liquidation.CheckEntriesAsync(request, bench.Headers(Roles.CustomsSystem), cancellationToken: ct);
            if (answer.Entries.Count != entries || answer.Entries.Any(e => e.Status != EntryStatus.Held))
                throw new InvalidOperationException("The benchmark entries are not held.");
        }
        var token = bench.Token(Roles.CustomsSystem);
        var requests = bench.Scaled(100_000);
        await H2Load.RunAsync(bench.LiquidationUrl, Method, one, token, requests / 10, 16, 32, ct); // warm-up
        await H2Load.RunAsync(bench.LiquidationUrl, Method, hundred, token, requests / 100, 16, 32, ct);

        var gate = new List<H2Load.Result>();
        var health = new List<H2Load.Result>();
        var batches = new List<H2Load.Result>();
        var numbers = new List<H2Load.Result>();
        for (var run = 0; run < bench.Runs; run++)
        {
            gate.Add(await H2Load.RunAsync(bench.LiquidationUrl, Method, one, token, requests, 16, 32, ct));
            health.Add(await H2Load.RunAsync(bench.LiquidationUrl, "grpc.health.v1.Health/Check", new HealthCheckRequest(), null, requests, 16, 32, ct));
            batches.Add(await H2Load.RunAsync(bench.LiquidationUrl, Method, hundred, token, Math.Max(1, requests / 10), 16, 32, ct));
            numbers.Add(await H2Load.RunAsync(bench.LiquidationUrl, Method, byNumber, token, Math.Max(1, requests / 4), 16, 32, ct));
            Console.Error.WriteLine($"bench: gate run {run + 1}: 1 entry {gate[^1].RequestsPerSecond:N0} req/s p99 {gate[^1].P99Milliseconds:N1} ms; " +
                $"health {health[^1].RequestsPerSecond:N0} req/s p99 {health[^1].P99Milliseconds:N1} ms; 100 entries {100 * batches[^1].RequestsPerSecond:N0} entries/s; " +
                $"by number {numbers[^1].RequestsPerSecond:N0} req/s p99 {numbers[^1].P99Milliseconds:N1} ms");
        }
        var rate = Stats.Median(gate.Select(r => r.RequestsPerSecond));
        var p99 = Stats.Median(gate.Select(r => r.P99Milliseconds));
        var baseline = Stats.Median(health.Select(r => r.RequestsPerSecond));
        var baselineP99 = Stats.Median(health.Select(r => r.P99Milliseconds));
        var perHundred = 100 * Stats.Median(batches.Select(r => r.RequestsPerSecond));
        var byNumberRate = Stats.Median(numbers.Select(r => r.RequestsPerSecond));
        var byNumberP99 = Stats.Median(numbers.Select(r => r.P99Milliseconds));
        var failed = gate.Concat(batches).Concat(numbers).Sum(r => r.Failed);
        var ratio = rate / baseline;
        return new Figure("entry gate", "CheckEntries, 1 entry as customs knows it, 16×32 (h2load); 100 a call; 1 by number",
            $"{rate:N0} req/s, p99 {p99:N1} ms; 1 a call {rate:N0} entries/s, 100 a call {perHundred:N0} entries/s; by number {byNumberRate:N0} req/s, p99 {byNumberP99:N1} ms",
            $"health {baseline:N0} req/s, p99 {baselineP99:N1} ms", ratio, Target,
            ratio >= 0.6 && p99 <= 1.5 * baselineP99 && perHundred >= 500_000 && failed == 0, failed > 0 ? $"{failed} failed requests" : "")
        {
            Numbers =
            {
                ["requests_per_second"] = rate, ["p99_ms"] = p99, ["health_requests_per_second"] = baseline, ["health_p99_ms"] = baselineP99,
                ["entries_per_second_1"] = rate, ["entries_per_second_100"] = perHundred,
                ["by_number_requests_per_second"] = byNumberRate, ["by_number_p99_ms"] = byNumberP99,
            },
        };
    }
}
