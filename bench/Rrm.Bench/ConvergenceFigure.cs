using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Bench;

/// <summary>
/// Replica convergence: with a second Tariff-Liquidation replica beside the suite's (same build, database and broker,
/// another port), a request for review with suspension on a fresh case with a registered entry, timed from the request
/// until every replica's CheckEntries answers HELD for that entry (both polled at once, back to back).
/// </summary>
internal static class ConvergenceFigure
{
    private const double Target = 100;

    public static async Task<Figure> RunAsync(Bench bench, CancellationToken ct)
    {
        var count = Math.Max(10, bench.Scaled(100));
        var port = ServiceHost.FreePort();
        await using var replica = await ServiceHost.StartAsync(bench, "Rrm.TariffLiquidation",
            ServiceHost.Environment(bench, "Rrm.TariffLiquidation", bench.Postgres, bench.Amqp, bench.PetitionUrl), port, ct);
        var replicas = new[] { bench.LiquidationUrl, replica.Url }.Select(url => new LiquidationService.LiquidationServiceClient(Bench.Channel(url))).ToList();
        var cases = await CasesWithAnEntryAsync(bench, count + 5, ct);

        var reviews = new ReviewService.ReviewServiceClient(Bench.Channel(bench.ReviewUrl));
        var officer = bench.Headers(Roles.UstrOfficer);
        var customs = bench.Headers(Roles.CustomsSystem);
        var times = new List<double>();
        foreach (var (caseId, entry) in cases)
        {
            var check = new CheckEntriesRequest { EntryNumbers = { entry } };
            var sent = Stopwatch.GetTimestamp();
            var request = reviews.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest { CaseId = caseId, SuspendLiquidation = true }, officer, cancellationToken: ct).ResponseAsync;
            var held = await Task.WhenAll(replicas.Select(r => HeldAsync(r, check, customs, sent, ct)));
            await request;
            times.Add(held.Max());
        }
        times = times.Skip(5).ToList(); // the first ones warm the path up
        var sorted = times.Order().ToList();
        var (p50, p99) = (Stats.Percentile(sorted, 50), Stats.Percentile(sorted, 99));
        Console.Error.WriteLine($"bench: convergence: {times.Count} instructions, every replica HELD after p50 {p50:N1} ms, p99 {p99:N1} ms (max {sorted[^1]:N1} ms)");
        return new Figure("replica convergence", $"request for review → both Tariff-Liquidation replicas' CheckEntries say HELD, {times.Count} instructions",
            $"p50 {p50:N1} ms, p99 {p99:N1} ms", "—", null, $"p99 ≤ {Target} ms", p99 <= Target)
        { Numbers = { ["p50_ms"] = p50, ["p99_ms"] = p99, ["max_ms"] = sorted[^1] } };
    }

    /// <summary>Milliseconds from <paramref name="sent"/> until <paramref name="replica"/> first answers HELD.</summary>
    private static async Task<double> HeldAsync(LiquidationService.LiquidationServiceClient replica, CheckEntriesRequest check, Metadata customs, long sent, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                if ((await replica.CheckEntriesAsync(check, customs, cancellationToken: ct)).Entries[0].Status == EntryStatus.Held)
                    return Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable) { } // a replica not sure it is current says so
            if (Stopwatch.GetElapsedTime(sent) > TimeSpan.FromSeconds(30)) throw new TimeoutException("An entry was not HELD by every replica within 30 s.");
            await Task.Delay(1, ct);
        }
    }

    /// <summary>Cases awaiting their request for review, each on a facility of its own with one registered entry.</summary>
    private static async Task<List<(string CaseId, string Entry)>> CasesWithAnEntryAsync(Bench bench, int count, CancellationToken ct)
    {
        var list = await Scenario.OpenCasesAsync(bench, count, "Convergence bench plant", "Ramos Arizpe", "COA", Subsector.AutoParts, ct);
        // Entries are accepted for MIDs Tariff-Liquidation knows (from CaseOpened).
        var liquidation = new LiquidationService.LiquidationServiceClient(Bench.Channel(bench.LiquidationUrl));
        foreach (var (_, mid) in list)
            for (var until = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(50, ct))
            {
                try
                {
                    await liquidation.GetFacilityStatusAsync(new GetFacilityStatusRequest { Mid = mid }, bench.Headers(Roles.CustomsSystem), cancellationToken: ct);
                    break;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound && DateTime.UtcNow < until) { }
            }
        for (var attempt = 1; ; attempt++)
        {
            var filer = Scenario.NewFiler();
            try
            {
                using var register = liquidation.RegisterEntries(bench.Headers(Roles.CustomsSystem), cancellationToken: ct);
                await register.RequestStream.WriteAsync(new RegisterEntriesRequest { Entries = { list.Select((c, i) => Scenario.Entry(c.Mid, filer, i)) } }, ct);
                await register.RequestStream.CompleteAsync();
                await register.ResponseAsync;
                return [.. list.Select((c, i) => (c.CaseId, Scenario.EntryNumber(filer, i)))];
            }
            catch (RpcException) when (attempt < 5) { } // a random filer code an earlier run used: entry numbers taken
        }
    }
}
