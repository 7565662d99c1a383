using System.Diagnostics;
using Grpc.Core;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using Xunit.Abstractions;
using static Rrm.Testing.ChaosReport;

namespace Rrm.Chaos.Tests;

/// <summary>
/// 50 clients at once for 5 minutes (20 s in `./rrm test`) doing what the suite's users do: analysts file petitions
/// and read them, officers read cases, customs checks entries and reads the ledger, administrators read the
/// notifications. Error rate, p99 and memory are measured per fifth of the run and must stay flat.
/// </summary>
[Collection("chaos")]
public sealed class LoadTests(ITestOutputHelper output)
{
    private const int Clients = 50;
    private const int Windows = 5;

    private sealed class Window
    {
        public readonly List<double> Milliseconds = [];
        public int Errors;
        public Dictionary<string, double> Memory = [];
    }

    [Fact]
    public async Task Fifty_clients_for_minutes_see_no_errors_with_flat_latency_and_memory()
    {
        await using var stack = await Stack.StartAsync();
        var work = new Workload(stack, $"load-{Guid.NewGuid():N}"[..16]);
        var facilities = await work.RegisterAsync(Clients);
        var petitions = await work.RunAsync(facilities.Take(10).ToList());
        var customs = Tokens.For(Roles.CustomsSystem);
        var duration = Pick(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(20));
        var windows = Enumerable.Range(0, Windows).Select(_ => new Window()).ToArray();
        var submitted = 0;
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
        {
            var random = new Random(client);
            while (clock.Elapsed < duration)
            {
                var window = windows[Math.Min(Windows - 1, (int)(clock.Elapsed / duration * Windows))];
                var started = Stopwatch.GetTimestamp();
                try
                {
                    switch (random.Next(10))
                    {
                        case 0:
                            await stack.Petitions.SubmitPetitionAsync(Petition(facilities[client]), Stack.Analyst);
                            Interlocked.Increment(ref submitted);
                            break;
                        case 1 or 2:
                            await stack.Petitions.GetPetitionAsync(new GetPetitionRequest { PetitionId = petitions[random.Next(petitions.Count)] }, Stack.Analyst);
                            break;
                        case 3:
                            await stack.Petitions.ListPetitionsAsync(new ListPetitionsRequest { Page = new PageRequest { PageSize = 20 } }, Stack.Analyst);
                            break;
                        case 4 or 5:
                            await stack.Cases.ListCasesAsync(new ListCasesRequest { FacilityId = facilities[random.Next(10)] }, Stack.Officer);
                            break;
                        case 6 or 7:
                            var entry = random.Next(10_000_000);
                            await stack.Instructions.CheckEntriesAsync(new CheckEntriesRequest { EntryNumbers = { Rrm.TariffLiquidation.Domain.EntryNumber.Create("AB1", entry) } }, customs);
                            break;
                        case 8:
                            await stack.Instructions.ListInstructionsAsync(new ListInstructionsRequest { PageSize = 50 }, customs);
                            break;
                        default:
                            await stack.Notifications.ListNotificationsAsync(new ListNotificationsRequest { PageSize = 20 }, Stack.Admin);
                            break;
                    }
                    lock (window) window.Milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (RpcException e)
                {
                    lock (window) window.Errors++;
                    output.WriteLine($"client {client}: {e.StatusCode} {e.Status.Detail}");
                }
            }
        }).Append(SampleMemoryAsync(stack, windows, clock, duration)));

        var summary = windows.Select((w, i) => $"{i + 1}: {w.Milliseconds.Count:N0} calls, {w.Errors} errors, p99 {P99(w):0.0} ms, "
            + string.Join(" ", w.Memory.Select(m => $"{m.Key[4..]} {m.Value:0} MB"))).ToList();
        summary.ForEach(output.WriteLine);
        var calls = windows.Sum(w => w.Milliseconds.Count + w.Errors);
        var errors = windows.Sum(w => w.Errors);
        var stored = await stack.Database.ScalarAsync<long>("SELECT count(*) FROM petition.petitions") - petitions.Count;
        Add(new Row("load", calls, $"{Clients} clients × {duration.TotalSeconds:0} s, no fault", Math.Max(0, submitted - stored), Math.Max(0, stored - submitted), 0,
            $"{errors} errors; p99 by fifth {string.Join(" / ", windows.Select(w => P99(w).ToString("0")))} ms; "
            + $"memory first → last fifth {string.Join(", ", windows[0].Memory.Select(m => $"{m.Key[4..]} {m.Value:0}→{windows[^1].Memory[m.Key]:0} MB"))}"));

        Assert.Equal(0, errors);
        Assert.Equal(submitted, stored); // every petition filed under load is there, once
        // Flat: the last fifth is no slower and no bigger than the second (the first includes warming up), within noise.
        Assert.True(P99(windows[^1]) <= 2 * P99(windows[1]) + 25, string.Join("\n", summary));
        foreach (var (service, mb) in windows[^1].Memory)
            Assert.True(mb <= windows[1].Memory[service] * 1.5 + 50, $"{service} grew from {windows[1].Memory[service]:0} MB to {mb:0} MB:\n{string.Join("\n", summary)}");
    }

    /// <summary>Each service's resident memory at the end of each window.</summary>
    private static async Task SampleMemoryAsync(Stack stack, Window[] windows, Stopwatch clock, TimeSpan duration)
    {
        for (var i = 0; i < Windows; i++)
        {
            var end = duration / Windows * (i + 1);
            if (end > clock.Elapsed) await Task.Delay(end - clock.Elapsed);
            windows[i].Memory = stack.All.ToDictionary(s => s.Name, s => ResidentMegabytes(s.Pid));
        }
    }

    private static double ResidentMegabytes(int pid) =>
        double.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;

    private static double P99(Window w)
    {
        lock (w)
        {
            if (w.Milliseconds.Count == 0) return 0;
            var sorted = w.Milliseconds.Order().ToList();
            return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(sorted.Count * 0.99) - 1)];
        }
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
