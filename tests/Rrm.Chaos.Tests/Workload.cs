using System.Collections.Concurrent;
using Grpc.Core;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.Testing;
using static Rrm.Testing.ServiceStack;

namespace Rrm.Chaos.Tests;

/// <summary>
/// Cases driven through the suite as analysts would, with a retry on every answer that says "try again"
/// (Unavailable, DeadlineExceeded, Aborted, or no answer from a killed process): a petition received 60 days
/// ago, found sufficient, its case opened by the Review service, and a request for review that suspends
/// liquidation, dated so that Mexico's 10 days to answer are already over: the customs instruction, the
/// notifications and a deadline alert follow from each case.
/// </summary>
public sealed class Workload(Stack stack, string run)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private int _registered;

    /// <summary>Answers other than OK and the retryable ones, by status code: none is expected.</summary>
    public ConcurrentDictionary<StatusCode, int> Unexpected { get; } = new();

    /// <summary>Retryable answers seen (what the faults cost the callers).</summary>
    public int Retries;

    /// <summary>Facilities, registered before the faults begin (registration is not idempotent).</summary>
    public async Task<List<string>> RegisterAsync(int count) =>
        [.. await Task.WhenAll(Enumerable.Range(Interlocked.Add(ref _registered, count) - count, count).Select(async i => (await stack.Facilities.RegisterFacilityAsync(new RegisterFacilityRequest
        {
            LegalName = $"Planta {run} {i} S.A. de C.V.", StreetAddress = $"Avenida Industrial {1000 + i}", City = "Saltillo", State = "COA",
            Sector = Sector.Manufacturing, Subsector = Subsector.AutoParts,
        }, Analyst)).Facility.FacilityId))];

    /// <summary>Runs one case per facility, <paramref name="parallel"/> at a time; returns the petition ids.</summary>
    public async Task<List<string>> RunAsync(IReadOnlyList<string> facilities, int parallel = 8)
    {
        var petitions = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(facilities, new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (facility, _) => petitions.Add(await CaseAsync(facility)));
        return [.. petitions];
    }

    private async Task<string> CaseAsync(string facilityId)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var received = today.AddDays(-60);
        var petition = await RetryAsync(async () => (await stack.Petitions.SubmitPetitionAsync(new SubmitPetitionRequest
        {
            RequestId = $"petition-{facilityId}", FacilityId = facilityId, Petitioner = new Petitioner { Anonymous = true },
            Narrative = "Workers were dismissed for supporting an independent union.", Language = PetitionLanguage.Es,
            ReceivedDate = D(received), AllegationCategories = { AllegationCategory.Retaliation },
        }, Analyst, deadline: Soon)).Petition);
        await RetryAsync(() => stack.Petitions.RecordDeterminationAsync(new RecordDeterminationRequest
        {
            PetitionId = petition.PetitionId, Outcome = DeterminationOutcome.Sufficient, DeterminationDate = D(received.AddDays(20)),
            Rationale = "Sufficient, credible evidence of a denial of rights.",
        }, Analyst, deadline: Soon).ResponseAsync);
        var opened = await Eventually.GetAsync(() => RetryAsync(async () =>
                (await stack.Cases.ListCasesAsync(new ListCasesRequest { FacilityId = facilityId }, Officer, deadline: Soon)).Cases.FirstOrDefault()),
            c => c is not null, Patience, $"the case on petition {petition.PetitionId}");
        await RetryAsync(() => stack.Cases.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest
        {
            CaseId = opened!.CaseId, SuspendLiquidation = true,
            Act = new Act { RequestId = $"request-{facilityId}", EffectiveDate = D(received.AddDays(22)) },
        }, Officer, deadline: Soon).ResponseAsync);
        return petition.PetitionId;
    }

    /// <summary>Calls until an answer that is not "try again"; an unexpected error is counted and rethrown.</summary>
    public async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            try { return await call(); }
            catch (RpcException e) when (Retryable(e.StatusCode) && DateTime.UtcNow < until)
            {
                Interlocked.Increment(ref Retries);
                await Task.Delay(250);
            }
            catch (RpcException e)
            {
                Unexpected.AddOrUpdate(e.StatusCode, 1, (_, n) => n + 1);
                throw;
            }
        }
    }

    public static bool Retryable(StatusCode code) => code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted;

    private static DateTime Soon => DateTime.UtcNow.AddSeconds(15);

    private static Date D(DateOnly d) => new() { Year = d.Year, Month = d.Month, Day = d.Day };
}
