using System.Text;
using Grpc.Core;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Bench;

/// <summary>
/// The scale figure's data in a <see cref="PrivateSuite"/>, grown in steps through the services' own APIs: facilities by
/// RegisterFacility, cases by Review's ImportCaseHistory (the path for historic cases: the same state machine as the
/// RPCs, with their events to the other services), entries by RegisterEntries streams. Facility 0 is the "hot" one the
/// request-for-review figure works on: a tenth of the entries, and no open case of its own.
/// </summary>
internal sealed class ScaleWorld(Bench bench, PrivateSuite suite)
{
    private const int ImportBatch = 250;
    private const int EntryBatch = 10_000;
    private readonly List<(string Id, string Mid)> _facilities = [];
    private readonly List<int> _entries = []; // registered per facility
    private readonly DateOnly _today = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);

    public List<string> CaseIds { get; } = [];
    public IReadOnlyList<(string Id, string Mid)> Facilities => _facilities;
    public long EntryCount => _entries.Sum(e => (long)e);
    public string HotFacility => _facilities[0].Id;
    public string HotMid => _facilities[0].Mid;

    /// <summary>Adds facilities, cases and entries until there are <paramref name="facilities"/>, <paramref name="cases"/> and <paramref name="entries"/>.</summary>
    public async Task GrowToAsync(int facilities, int cases, long entries, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await RegisterFacilitiesAsync(facilities, ct);
        var registered = watch.Elapsed;
        var before = CaseIds.Count;
        await ImportCasesAsync(cases, ct);
        var imported = watch.Elapsed;
        await QuietAsync(ct); // every MID known to Tariff-Liquidation, and nothing left to consume while measuring
        var consumed = watch.Elapsed;
        var had = EntryCount;
        await RegisterEntriesAsync(entries, ct);
        var stored = watch.Elapsed;
        await QuietAsync(ct);
        Console.Error.WriteLine($"bench: scale: seeding — facilities {registered.TotalSeconds:N1} s; {CaseIds.Count - before:N0} cases imported in {(imported - registered).TotalSeconds:N1} s, "
            + $"their events consumed {(consumed - imported).TotalSeconds:N1} s later; {EntryCount - had:N0} entries in {(stored - consumed).TotalSeconds:N1} s "
            + $"({(EntryCount - had) / (stored - consumed).TotalSeconds:N0} rows/s)");
    }

    /// <summary>Filer code of facility <paramref name="i"/>: its entries' numbers are its own.</summary>
    public static string Filer(int i) => $"Q{(char)('A' + i / 26 % 26)}{(char)('A' + i % 26)}";

    /// <summary>A registered entry, facilities weighted by their entries.</summary>
    public (string Number, string Mid, Rrm.Grpc.Common.V1.Date Date) RandomEntry(Random random)
    {
        var pick = random.NextInt64(EntryCount);
        var i = 0;
        while (pick >= _entries[i]) pick -= _entries[i++];
        var entry = Scenario.Entry(_facilities[i].Mid, Filer(i), (int)pick);
        return (entry.EntryNumber, entry.Mid, entry.EntryDate);
    }

    private async Task RegisterFacilitiesAsync(int count, CancellationToken ct)
    {
        var client = new FacilityService.FacilityServiceClient(Bench.Channel(suite.PetitionUrl));
        for (var i = _facilities.Count; i < count; i++)
        {
            var facility = (await client.RegisterFacilityAsync(new RegisterFacilityRequest
            {
                LegalName = LegalName(i), StreetAddress = $"Boulevard Industrial {1000 + i}", City = "Saltillo", State = "Coahuila",
                Sector = Sector.Manufacturing, Subsector = Subsector.AutoParts, ApproximateWorkers = 1200,
            }, bench.Headers(Roles.IlcAnalyst), cancellationToken: ct)).Facility;
            _facilities.Add((facility.FacilityId, facility.Mids[0]));
            _entries.Add(0);
        }
    }

    private static string LegalName(int i) => $"Planta Escala {i:D4} S.A. de C.V."; // fixed width: no name contains another

    /// <summary>
    /// Cases spread round the facilities: most resolved after a request for review with suspension (a suspension
    /// opened and lifted), a quarter found insufficient, one in 250 still under suspension (the orders in force).
    /// </summary>
    private async Task ImportCasesAsync(int count, CancellationToken ct)
    {
        var reviews = new ReviewService.ReviewServiceClient(Bench.Channel(suite.ReviewUrl));
        var batches = Enumerable.Range(CaseIds.Count, count - CaseIds.Count).Chunk(ImportBatch).ToList();
        var next = -1;
        var ids = new List<string>[batches.Count];
        await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            for (int b; (b = Interlocked.Increment(ref next)) < batches.Count;)
            {
                var csv = new StringBuilder("case_ref,facility,legal_name,city,state,sector,workers,date,act,detail\n");
                foreach (var k in batches[b]) AppendCase(csv, k);
                ids[b] = await ImportAsync(reviews, csv.ToString(), ct);
            }
        }));
        foreach (var batch in ids) CaseIds.AddRange(batch);
    }

    private async Task<List<string>> ImportAsync(ReviewService.ReviewServiceClient reviews, string csv, CancellationToken ct)
    {
        // A request that used up its time budget leaves the rest for the same rows again (imported cases come back unchanged).
        for (var attempt = 0; ; attempt++)
        {
            var results = (await reviews.ImportCaseHistoryAsync(new ImportCaseHistoryRequest { Csv = csv }, bench.Headers(Roles.UstrOfficer), cancellationToken: ct)).Results;
            var rejected = results.FirstOrDefault(r => r.Outcome == CaseImportResult.Types.Outcome.Rejected);
            if (rejected is null) return [.. results.Select(r => r.CaseId)];
            if (attempt == 3) throw new InvalidOperationException($"Importing case {rejected.CaseRef} failed at line {rejected.Row}: {rejected.Reason}");
        }
    }

    private void AppendCase(StringBuilder csv, int k)
    {
        var f = k % _facilities.Count;
        var start = _today.AddDays(-200 - k * 7 % 1500);
        var open = k % 250 == 7 && f != 0;
        var insufficient = !open && k % 4 == 1;
        void Row(DateOnly date, string act, string detail) =>
            csv.Append($"scale-{k:D5},Planta Escala {f:D4},{LegalName(f)},Saltillo,Coahuila,auto parts,1200,{date:yyyy-MM-dd},{act},{detail}\n");
        Row(start, "petition_received", "bench petitioner");
        if (insufficient)
        {
            Row(start.AddDays(25), "ilc_insufficient", "evidence not sufficient");
            return;
        }
        Row(start.AddDays(30), "ilc_sufficient", "");
        Row(start.AddDays(30), "request_for_review", "suspend_liquidation");
        Row(start.AddDays(39), "mexico_accepted", "");
        if (!open) Row(start.AddDays(80), "resolved", "remediated during the review; liquidation resumed");
    }

    /// <summary>
    /// Entries up to <paramref name="total"/>: a tenth on facility 0, the rest by Zipf's law over the others (a few
    /// facilities with most of them), two RegisterEntries streams at a time.
    /// </summary>
    private async Task RegisterEntriesAsync(long total, CancellationToken ct)
    {
        var others = Enumerable.Range(1, _facilities.Count - 1).Sum(r => 1.0 / r);
        var targets = Enumerable.Range(0, _facilities.Count)
            .Select(i => i == 0 ? total / 10 : (long)(total * 0.9 / i / others)).ToList();
        targets[^1] += total - targets.Sum(); // rounding
        var work = new Queue<(int Facility, int From, int To)>();
        for (var i = 0; i < _facilities.Count; i++)
            for (var from = _entries[i]; from < targets[i]; from += 500_000)
                work.Enqueue((i, from, (int)Math.Min(targets[i], from + 500_000L)));
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            var client = new LiquidationService.LiquidationServiceClient(Bench.Channel(suite.LiquidationUrl));
            while (true)
            {
                (int Facility, int From, int To) part;
                lock (work) if (!work.TryDequeue(out part)) return;
                using var call = client.RegisterEntries(bench.Headers(Roles.CustomsSystem), cancellationToken: ct);
                for (var start = part.From; start < part.To; start += EntryBatch)
                {
                    var request = new RegisterEntriesRequest();
                    for (var n = start; n < Math.Min(part.To, start + EntryBatch); n++) request.Entries.Add(Scenario.Entry(_facilities[part.Facility].Mid, Filer(part.Facility), n));
                    await call.RequestStream.WriteAsync(request, ct);
                }
                await call.RequestStream.CompleteAsync();
                var stored = (await call.ResponseAsync).Stored;
                if (stored != part.To - part.From) throw new InvalidOperationException($"RegisterEntries stored {stored} of {part.To - part.From}.");
            }
        }));
        for (var i = 0; i < _facilities.Count; i++) _entries[i] = (int)Math.Max(_entries[i], targets[i]);
    }

    /// <summary>Until the suite's queues have been empty twice in a row, 6 s apart (the management API's counts lag by ~5 s).</summary>
    private async Task QuietAsync(CancellationToken ct)
    {
        var until = DateTime.UtcNow.AddMinutes(10);
        for (var quiet = 0; quiet < 2; await Task.Delay(6000, ct))
        {
            quiet = await suite.PendingMessagesAsync(ct) == 0 ? quiet + 1 : 0;
            if (DateTime.UtcNow > until) throw new TimeoutException("The services did not consume their events within 10 minutes.");
        }
    }

    /// <summary>A new case on the hot facility, its request for review with suspension timed to the instruction on the feed, then closed (liquidation resumed).</summary>
    public async Task<double> RequestForReviewAsync(FeedWatcher feed, CancellationToken ct)
    {
        var reviews = new ReviewService.ReviewServiceClient(Bench.Channel(suite.ReviewUrl));
        var officer = bench.Headers(Roles.UstrOfficer);
        var opened = (await reviews.OpenCaseAsync(new OpenCaseRequest { FacilityId = HotFacility }, officer, cancellationToken: ct)).Case;
        var sent = System.Diagnostics.Stopwatch.GetTimestamp(); // from the request: the instruction may reach the feed before the answer
        await reviews.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest { CaseId = opened.CaseId, SuspendLiquidation = true }, officer, cancellationToken: ct);
        var ms = await feed.MillisecondsUntilAsync(opened.CaseId, sent, ct);
        await reviews.CloseCaseAsync(new CloseCaseRequest { CaseId = opened.CaseId, Reason = "bench: measured", Liquidation = LiquidationHandling.Resume }, officer, cancellationToken: ct);
        var liquidation = new LiquidationService.LiquidationServiceClient(Bench.Channel(suite.LiquidationUrl));
        for (var until = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(20, ct))
        {
            if (!(await liquidation.GetFacilityStatusAsync(new GetFacilityStatusRequest { Mid = HotMid }, bench.Headers(Roles.CustomsSystem), cancellationToken: ct)).LiquidationSuspended)
                return ms;
            if (DateTime.UtcNow > until) throw new TimeoutException("Liquidation of the hot facility did not resume within 60 s.");
        }
    }
}
