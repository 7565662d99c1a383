using System.Diagnostics;
using Grpc.Core;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Bench;

/// <summary>
/// Memory under load: the 50-client mix of `./rrm chaos`'s load test (tests/Rrm.Chaos.Tests/LoadTests.cs: analysts file
/// and read petitions, officers list cases, customs checks entries and reads the ledger, administrators read
/// notifications) against the running suite for a minute, each service's resident memory sampled every second; the
/// figure is the peak per service.
/// </summary>
internal static class LoadFigure
{
    private const int Clients = 50;
    private const double Target = 200;

    public static async Task<Figure> RunAsync(Bench bench, CancellationToken ct)
    {
        var duration = TimeSpan.FromSeconds(Math.Max(10, 60 * bench.Scale));
        var (analyst, officer, customs, admin) = (bench.Headers(Roles.IlcAnalyst), bench.Headers(Roles.UstrOfficer), bench.Headers(Roles.CustomsSystem), bench.Headers(Roles.NotificationAdmin));
        var facilityClient = new FacilityService.FacilityServiceClient(Bench.Channel(bench.PetitionUrl));
        var petitions = new PetitionService.PetitionServiceClient(Bench.Channel(bench.PetitionUrl));
        var reviews = new ReviewService.ReviewServiceClient(Bench.Channel(bench.ReviewUrl));
        var liquidation = new LiquidationService.LiquidationServiceClient(Bench.Channel(bench.LiquidationUrl));
        var notifications = new NotificationService.NotificationServiceClient(Bench.Channel(bench.NotificationUrl));

        // As the load test: a facility per client, petitions filed (and cases opened) on ten of them.
        var facilities = (await Task.WhenAll(Enumerable.Range(0, Clients).Select(async i => (await facilityClient.RegisterFacilityAsync(new RegisterFacilityRequest
        {
            LegalName = $"Planta carga {Guid.NewGuid():N} S.A. de C.V.", StreetAddress = $"Avenida Industrial {1000 + i}", City = "Saltillo", State = "COA",
            Sector = Sector.Manufacturing, Subsector = Subsector.AutoParts,
        }, analyst, cancellationToken: ct)).Facility.FacilityId))).ToList();
        var petitionIds = new List<string>();
        foreach (var facility in facilities.Take(10))
        {
            petitionIds.Add((await petitions.SubmitPetitionAsync(Petition(facility), analyst, cancellationToken: ct)).Petition.PetitionId);
            await reviews.OpenCaseAsync(new OpenCaseRequest { FacilityId = facility }, officer, cancellationToken: ct);
        }

        var peak = FootprintFigure.Memory(bench);
        var (calls, errors) = (0, 0);
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                await Task.Delay(1000, ct);
                foreach (var (service, mb) in FootprintFigure.Memory(bench)) if (!(mb <= peak[service])) peak[service] = mb;
            }
        }, ct);
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
        {
            var random = new Random(client);
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    switch (random.Next(10))
                    {
                        case 0:
                            await petitions.SubmitPetitionAsync(Petition(facilities[client]), analyst, cancellationToken: ct);
                            break;
                        case 1 or 2:
                            await petitions.GetPetitionAsync(new GetPetitionRequest { PetitionId = petitionIds[random.Next(petitionIds.Count)] }, analyst, cancellationToken: ct);
                            break;
                        case 3:
                            await petitions.ListPetitionsAsync(new ListPetitionsRequest { Page = new PageRequest { PageSize = 20 } }, analyst, cancellationToken: ct);
                            break;
                        case 4 or 5:
                            await reviews.ListCasesAsync(new ListCasesRequest { FacilityId = facilities[random.Next(10)] }, officer, cancellationToken: ct);
                            break;
                        case 6 or 7:
                            await liquidation.CheckEntriesAsync(new CheckEntriesRequest { EntryNumbers = { Scenario.EntryNumber("AB1", random.Next(10_000_000)) } }, customs, cancellationToken: ct);
                            break;
                        case 8:
                            await liquidation.ListInstructionsAsync(new ListInstructionsRequest { PageSize = 50 }, customs, cancellationToken: ct);
                            break;
                        default:
                            await notifications.ListNotificationsAsync(new ListNotificationsRequest { PageSize = 20 }, admin, cancellationToken: ct);
                            break;
                    }
                    var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    lock (latencies) latencies.Add(ms);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
                Interlocked.Increment(ref calls);
            }
        }));
        await sampler;

        var sorted = latencies.Order().ToList();
        var p99 = Stats.Percentile(sorted, 99);
        Console.Error.WriteLine($"bench: load: {calls:N0} calls in {duration.TotalSeconds:N0} s, {errors} errors, p99 {p99:N1} ms; peak {string.Join(", ", peak.Select(p => $"{p.Key} {p.Value:N0} MB"))}");
        var numbers = peak.ToDictionary(p => $"{p.Key}_peak_mb", p => p.Value);
        numbers["calls"] = calls;
        numbers["errors"] = errors;
        numbers["p99_ms"] = p99;
        return new Figure("memory under load", $"peak resident memory, {Clients} clients × {duration.TotalSeconds:N0} s of `./rrm chaos`'s load mix",
            string.Join(", ", peak.Select(p => $"{p.Key} {p.Value:N0} MB")), $"{calls / duration.TotalSeconds:N0} calls/s, p99 {p99:N0} ms", null,
            $"≤ {Target} MB per service", peak.Values.All(mb => mb <= Target) && errors == 0, errors > 0 ? $"{errors} failed calls" : "")
        { Numbers = numbers };
    }

    private static SubmitPetitionRequest Petition(string facilityId)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        return new SubmitPetitionRequest
        {
            FacilityId = facilityId, Petitioner = new Petitioner { Anonymous = true }, Language = PetitionLanguage.En,
            Narrative = "Workers report threats against those who joined an independent union.",
            ReceivedDate = new Date { Year = today.Year, Month = today.Month, Day = today.Day },
            AllegationCategories = { AllegationCategory.Retaliation },
        };
    }
}
