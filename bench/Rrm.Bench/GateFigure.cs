using Grpc.Health.V1;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Bench;

/// <summary>CheckEntries with one entry at 16 connections × 32 streams, against grpc.health.v1 Check on the same service.</summary>
internal static class GateFigure
{
    public static async Task<Figure> RunAsync(Bench bench, CancellationToken ct)
    {
        if (!H2Load.Available)
            return new Figure("entry gate", "CheckEntries, 1 entry, 16×32", "not run", "", null, "≥ 0.6, p99 ≤ 20 ms", false, "h2load is not installed (apt-get install nghttp2-client)");
        var (_, mid) = await Scenario.SuspendedFacilityAsync(bench, "Gate bench plant", ct);
        var filer = Scenario.NewFiler();
        var liquidation = new LiquidationService.LiquidationServiceClient(Bench.Channel(bench.LiquidationUrl));
        using (var register = liquidation.RegisterEntries(bench.Headers(Roles.CustomsSystem), cancellationToken: ct))
        {
            await register.RequestStream.WriteAsync(new RegisterEntriesRequest { Entries = { Scenario.Entry(mid, filer, 1) } }, ct);
            await register.RequestStream.CompleteAsync();
            await register.ResponseAsync;
        }
        var check = new CheckEntriesRequest { EntryNumbers = { Scenario.EntryNumber(filer, 1) } };
        // h2load does not read grpc-status: one real call proves the request is right.
        var answer = await liquidation.CheckEntriesAsync(check, bench.Headers(Roles.CustomsSystem), cancellationToken: ct);
        if (answer.Entries[0].Status != EntryStatus.Held) throw new InvalidOperationException("The benchmark entry is not held.");
        var token = bench.Token(Roles.CustomsSystem);
        var requests = bench.Scaled(100_000);
        await H2Load.RunAsync(bench.LiquidationUrl, "rrm.liquidation.v1.LiquidationService/CheckEntries", check, token, requests / 10, 16, 32, ct); // warm-up

        var gate = new List<H2Load.Result>();
        var health = new List<H2Load.Result>();
        for (var run = 0; run < bench.Runs; run++)
        {
            gate.Add(await H2Load.RunAsync(bench.LiquidationUrl, "rrm.liquidation.v1.LiquidationService/CheckEntries", check, token, requests, 16, 32, ct));
            health.Add(await H2Load.RunAsync(bench.LiquidationUrl, "grpc.health.v1.Health/Check", new HealthCheckRequest(), null, requests, 16, 32, ct));
            Console.Error.WriteLine($"bench: gate run {run + 1}: CheckEntries {gate[^1].RequestsPerSecond:N0} req/s p99 {gate[^1].P99Milliseconds:N1} ms; health {health[^1].RequestsPerSecond:N0} req/s");
        }
        var rate = Stats.Median(gate.Select(r => r.RequestsPerSecond));
        var p99 = Stats.Median(gate.Select(r => r.P99Milliseconds));
        var baseline = Stats.Median(health.Select(r => r.RequestsPerSecond));
        var failed = gate.Sum(r => r.Failed);
        var ratio = rate / baseline;
        return new Figure("entry gate", "CheckEntries, 1 entry, 16×32 (h2load)", $"{rate:N0} req/s, p99 {p99:N1} ms",
            $"health {baseline:N0} req/s, p99 {Stats.Median(health.Select(r => r.P99Milliseconds)):N1} ms", ratio, "≥ 0.6, p99 ≤ 20 ms",
            ratio >= 0.6 && p99 <= 20 && failed == 0, failed > 0 ? $"{failed} failed requests" : "")
        { Numbers = { ["requests_per_second"] = rate, ["p99_ms"] = p99, ["health_requests_per_second"] = baseline } };
    }
}
