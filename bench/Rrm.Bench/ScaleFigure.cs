using System.Diagnostics;
using Grpc.Core;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Bench;

/// <summary>
/// A facility with a million registered entries: the time from its request for review to the suspension
/// instruction on the feed, and the entry gate's rate for its entries afterwards; against a facility with a
/// thousand entries in the same run.
/// </summary>
internal static class ScaleFigure
{
    public static async Task<Figure> RunAsync(Bench bench, CancellationToken ct)
    {
        var (large, small) = (bench.Scaled(1_000_000), 1_000);
        var times = (Large: new List<double>(), Small: new List<double>());
        var gates = (Large: new List<double>(), Small: new List<double>());
        await using var feed = await FeedWatcher.StartAsync(bench, "liquidation.suspend", ct);
        for (var run = 0; run < bench.Runs; run++)
        {
            foreach (var (entries, time, gate) in new[] { (large, times.Large, gates.Large), (small, times.Small, gates.Small) })
            {
                var (ms, rate) = await SuspendAsync(bench, feed, entries, ct);
                time.Add(ms);
                gate.Add(rate);
                Console.Error.WriteLine($"bench: scale run {run + 1}, {entries:N0} entries: instruction after {ms:N1} ms, gate {rate:N0} req/s");
            }
        }
        var timeRatio = Stats.Median(times.Large) / Stats.Median(times.Small);
        var gateRatio = Stats.Median(gates.Small) / Stats.Median(gates.Large);
        var gateNote = H2Load.Available ? $"gate {Stats.Median(gates.Large):N0} req/s" : "gate not run (no h2load)";
        return new Figure("scale", $"suspension of a facility with {large:N0} entries: time to the instruction; gate rate after",
            $"{Stats.Median(times.Large):N1} ms, {gateNote}", $"{small:N0} entries: {Stats.Median(times.Small):N1} ms, gate {Stats.Median(gates.Small):N0} req/s",
            Math.Max(timeRatio, H2Load.Available ? gateRatio : 0), "no slower than 1.2×", timeRatio <= 1.2 && (!H2Load.Available || gateRatio <= 1.2),
            $"time ×{timeRatio:0.00}{(H2Load.Available ? $", gate ×{gateRatio:0.00} slower" : "")}")
        { Numbers = { ["large_ms"] = Stats.Median(times.Large), ["small_ms"] = Stats.Median(times.Small), ["large_gate"] = Stats.Median(gates.Large), ["small_gate"] = Stats.Median(gates.Small) } };
    }

    /// <summary>A new facility with a case and <paramref name="entries"/> entries; its request for review with suspension.</summary>
    private static async Task<(double Milliseconds, double GateRate)> SuspendAsync(Bench bench, FeedWatcher feed, int entries, CancellationToken ct)
    {
        var facility = (await new FacilityService.FacilityServiceClient(Bench.Channel(bench.PetitionUrl)).RegisterFacilityAsync(new RegisterFacilityRequest
        {
            LegalName = $"Scale bench plant {Guid.NewGuid():N}", StreetAddress = $"Calle {Random.Shared.Next(1, 9999)}", City = "Saltillo", State = "COA",
            Sector = Rrm.Grpc.Petition.V1.Sector.Manufacturing, Subsector = Rrm.Grpc.Petition.V1.Subsector.AutoParts,
        }, bench.Headers(Roles.IlcAnalyst), cancellationToken: ct)).Facility;
        var mid = facility.Mids[0];
        var reviews = new ReviewService.ReviewServiceClient(Bench.Channel(bench.ReviewUrl));
        var officer = bench.Headers(Roles.UstrOfficer);
        var opened = (await reviews.OpenCaseAsync(new OpenCaseRequest { FacilityId = facility.FacilityId }, officer, cancellationToken: ct)).Case;
        await KnownAsync(bench, mid, ct);
        var filer = Scenario.NewFiler();
        await EntriesFigure.RegisterAsync(bench, mid, filer, entries, ct);

        var sent = Stopwatch.GetTimestamp(); // from the request: the instruction may reach the feed before the answer
        await reviews.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest { CaseId = opened.CaseId, SuspendLiquidation = true }, officer, cancellationToken: ct);
        var ms = await feed.MillisecondsUntilAsync(opened.CaseId, sent, ct);
        if (!H2Load.Available) return (ms, 0);
        var check = new CheckEntriesRequest { EntryNumbers = { Scenario.EntryNumber(filer, entries / 2) } };
        var gate = await H2Load.RunAsync(bench.LiquidationUrl, "rrm.liquidation.v1.LiquidationService/CheckEntries", check, bench.Token(Roles.CustomsSystem),
            bench.Scaled(50_000), 16, 32, ct);
        return (ms, gate.RequestsPerSecond);
    }

    /// <summary>Waits until Tariff-Liquidation knows the MID (from CaseOpened), so entries under it are accepted.</summary>
    private static async Task KnownAsync(Bench bench, string mid, CancellationToken ct)
    {
        var liquidation = new LiquidationService.LiquidationServiceClient(Bench.Channel(bench.LiquidationUrl));
        for (var until = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < until; await Task.Delay(50, ct))
        {
            try
            {
                await liquidation.GetFacilityStatusAsync(new GetFacilityStatusRequest { Mid = mid }, bench.Headers(Roles.CustomsSystem), cancellationToken: ct);
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound) { }
        }
        throw new TimeoutException($"Tariff-Liquidation did not learn the MID {mid} within 60 s.");
    }
}
