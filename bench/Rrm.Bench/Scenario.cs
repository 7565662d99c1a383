using Grpc.Core;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Bench;

/// <summary>Data the figures need, made through the suite's own APIs.</summary>
internal static class Scenario
{
    /// <summary>A newly registered facility with a case whose request for review suspended liquidation; waits until Tariff-Liquidation holds it.</summary>
    public static async Task<(string CaseId, string Mid)> SuspendedFacilityAsync(Bench bench, string name, CancellationToken ct)
    {
        var analyst = bench.Headers(Roles.IlcAnalyst);
        var officer = bench.Headers(Roles.UstrOfficer);
        var facility = (await new FacilityService.FacilityServiceClient(Bench.Channel(bench.PetitionUrl)).RegisterFacilityAsync(new RegisterFacilityRequest
        {
            LegalName = $"{name} {Guid.NewGuid():N}",
            StreetAddress = $"Boulevard Industrial {Random.Shared.Next(1000, 9999)}",
            City = "Saltillo",
            State = "Coahuila",
            Sector = Rrm.Grpc.Petition.V1.Sector.Manufacturing,
            Subsector = Rrm.Grpc.Petition.V1.Subsector.AutoParts,
            ApproximateWorkers = 1200,
        }, analyst, cancellationToken: ct)).Facility;
        var reviews = new ReviewService.ReviewServiceClient(Bench.Channel(bench.ReviewUrl));
        var opened = (await reviews.OpenCaseAsync(new OpenCaseRequest { FacilityId = facility.FacilityId }, officer, cancellationToken: ct)).Case;
        await reviews.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest { CaseId = opened.CaseId, SuspendLiquidation = true }, officer, cancellationToken: ct);
        await WaitForSuspensionAsync(bench, facility.Mids[0], ct);
        return (opened.CaseId, facility.Mids[0]);
    }

    /// <summary>
    /// <paramref name="count"/> cases awaiting their request for review, each on a newly registered facility of its own
    /// (named after <paramref name="name"/>), opened by 8 callers at once; with each facility's first MID.
    /// </summary>
    public static async Task<List<(string CaseId, string Mid)>> OpenCasesAsync(Bench bench, int count, string name, string city, string state,
        Rrm.Grpc.Petition.V1.Subsector subsector, CancellationToken ct)
    {
        var facilities = new FacilityService.FacilityServiceClient(Bench.Channel(bench.PetitionUrl));
        var reviews = new ReviewService.ReviewServiceClient(Bench.Channel(bench.ReviewUrl));
        var (analyst, officer) = (bench.Headers(Roles.IlcAnalyst), bench.Headers(Roles.UstrOfficer));
        var opened = new System.Collections.Concurrent.ConcurrentBag<(string CaseId, string Mid)>();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                var facility = (await facilities.RegisterFacilityAsync(new RegisterFacilityRequest
                {
                    LegalName = $"{name} {Guid.NewGuid():N}", StreetAddress = $"Calle {Random.Shared.Next(1, 9999)}", City = city, State = state,
                    Sector = Rrm.Grpc.Petition.V1.Sector.Manufacturing, Subsector = subsector,
                }, analyst, cancellationToken: ct)).Facility;
                var c = (await reviews.OpenCaseAsync(new OpenCaseRequest { FacilityId = facility.FacilityId }, officer, cancellationToken: ct)).Case;
                opened.Add((c.CaseId, facility.Mids[0]));
            }
        }));
        return [.. opened];
    }

    public static async Task WaitForSuspensionAsync(Bench bench, string mid, CancellationToken ct)
    {
        var liquidation = new LiquidationService.LiquidationServiceClient(Bench.Channel(bench.LiquidationUrl));
        var customs = bench.Headers(Roles.CustomsSystem);
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(50, ct))
        {
            try
            {
                if ((await liquidation.GetFacilityStatusAsync(new GetFacilityStatusRequest { Mid = mid }, customs, cancellationToken: ct)).LiquidationSuspended) return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound) { }
        }
        throw new TimeoutException($"Tariff-Liquidation did not suspend {mid} within 60 s.");
    }

    public static string NewFiler() => new(Enumerable.Range(0, 3).Select(_ => (char)('A' + Random.Shared.Next(26))).ToArray());

    /// <summary>Entry number <paramref name="n"/> under <paramref name="filer"/> (upper-case letters), with its check digit.</summary>
    public static string EntryNumber(string filer, int n) => $"{filer}-{n:D7}-{CheckDigit(filer, n)}";

    /// <summary>
    /// CBP's entry-number check digit: a copy of Rrm.TariffLiquidation.Domain.EntryNumber.CheckDigit (which the
    /// service enforces; formula and sources in docs/domain-notes.md), as the bench does not reference the service.
    /// </summary>
    private static int CheckDigit(string filer, int n)
    {
        var sum = 0;
        for (var i = 0; i < 10; i++)
        {
            var c = i < 3 ? filer[i] : (char)('0' + n / (int)Math.Pow(10, 9 - i) % 10);
            var d = c switch { >= '0' and <= '9' => c - '0', >= 'S' => c - 'S' + 2, >= 'J' => c - 'J' + 1, _ => c - 'A' + 1 };
            if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return (10 - sum % 10) % 10;
    }

    public static CustomsEntry Entry(string mid, string filer, int n) => new()
    {
        EntryNumber = EntryNumber(filer, n),
        Importer = "BENCH-IMPORTER",
        Mid = mid,
        CountryOfOrigin = "MX",
        EntryDate = new Rrm.Grpc.Common.V1.Date { Year = 2024, Month = 1 + n % 12, Day = 1 + n % 28 },
        EnteredValue = new Rrm.Grpc.Common.V1.Decimal { Value = $"{1000 + n % 5000}.25" },
        EstimatedDuties = new Rrm.Grpc.Common.V1.Decimal { Value = $"{25 + n % 300}.50" },
        TariffNumber = "8708998180",
        UsmcaClaimed = n % 2 == 0,
    };
}
