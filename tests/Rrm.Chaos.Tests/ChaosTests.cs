using Grpc.Core;
using Grpc.Health.V1;
using Npgsql;
using Rrm.Grpc.Petition.V1;
using Rrm.Testing;
using Xunit.Abstractions;
using static Rrm.Testing.ChaosReport;

namespace Rrm.Chaos.Tests;

/// <summary>
/// DESIGN.md §5 under real faults: a broker outage, kill -9 of every service, two replicas of everything and a
/// database restart, each while cases are in flight; then everything the cases imply must be there exactly once.
/// Shortened in `./rrm test`; full length (the issue's numbers) with `./rrm chaos`.
/// </summary>
[Collection("chaos")]
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_broker_outage_with_cases_in_flight_loses_and_duplicates_nothing()
    {
        await using var stack = await Stack.StartAsync();
        var (work, expected, control) = await PrepareAsync(stack, "outage");
        var facilities = await work.RegisterAsync(Pick(200, 30));
        var outage = Pick(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5));
        var run = work.RunAsync(facilities);
        await Task.Delay(Pick(2000, 500)); // cases in flight
        await Stack.FaultAsync("broker-stop");
        await Task.Delay(outage);
        await Stack.FaultAsync("broker-start");
        // Readiness is the database alone (ADR 0008): wait until every replica is connected to the broker again.
        foreach (var service in stack.Replicas.Values.SelectMany(r => r))
            await Eventually.GetAsync(() => Stack.ReadinessAsync(service, "broker"), s => s == HealthCheckResponse.Types.ServingStatus.Serving,
                TimeSpan.FromSeconds(60), $"{service.Name} connected to the broker again");
        var petitions = await run;
        await ReportAsync(stack, work, "broker outage", [control, .. petitions], expected, $"RabbitMQ stopped for {outage.TotalSeconds:0} s");
    }

    [Fact]
    public async Task Kill_9_of_each_service_at_random_moments_loses_and_duplicates_nothing()
    {
        await using var stack = await Stack.StartAsync();
        var (work, expected, control) = await PrepareAsync(stack, "crash");
        var facilities = await work.RegisterAsync(Pick(500, 40));
        var random = new Random(4692);
        var run = work.RunAsync(facilities);
        var kills = new List<string>();
        string[] projects = [.. ServiceProject.All.Select(p => p.Name)];
        // Each service at least once, then at random until the cases are through.
        while (!run.IsCompleted || kills.Count < projects.Length)
        {
            await Task.Delay(random.Next(300, 2500));
            var project = kills.Count < projects.Length ? projects[kills.Count] : projects[random.Next(projects.Length)];
            await stack.CrashAndRestartAsync(project);
            kills.Add(project);
        }
        var petitions = await run;
        await ReportAsync(stack, work, "kill -9", [control, .. petitions], expected,
            $"{kills.Count} kills ({string.Join(", ", kills.GroupBy(k => k).Select(g => $"{g.Key[4..]} ×{g.Count()}"))})");
    }

    [Fact]
    public async Task Two_replicas_of_every_service_fire_no_deadline_and_issue_nothing_twice()
    {
        await using var stack = await Stack.StartAsync(replicas: 2);
        var (work, expected, control) = await PrepareAsync(stack, "replicas");
        var petitions = await work.RunAsync(await work.RegisterAsync(Pick(200, 40)));
        await ReportAsync(stack, work, "two replicas", [control, .. petitions], expected, "2 processes of each service, calls spread over both");
    }

    [Fact]
    public async Task A_database_restart_under_load_gives_callers_Unavailable_and_readiness_NOT_SERVING_then_recovers()
    {
        await using var stack = await Stack.StartAsync();
        var (work, expected, control) = await PrepareAsync(stack, "database");
        var facilities = await work.RegisterAsync(Pick(200, 40));
        var down = Pick(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(4));
        using var watching = new CancellationTokenSource();
        var readiness = stack.All.ToDictionary(s => s.Name, _ => new HashSet<HealthCheckResponse.Types.ServingStatus?>());
        var probes = new Dictionary<StatusCode, int>();
        var watch = WatchAsync(stack, control, readiness, probes, watching.Token);
        var run = work.RunAsync(facilities);
        await Task.Delay(Pick(2000, 500));
        await Stack.FaultAsync("db-stop");
        await Task.Delay(down);
        await Stack.FaultAsync("db-start");
        NpgsqlConnection.ClearAllPools(); // this process's own pooled connections died with the server
        var petitions = await run;
        // Ready again after the restart.
        foreach (var service in stack.All)
            await Eventually.GetAsync(() => Stack.ReadinessAsync(service), s => s == HealthCheckResponse.Types.ServingStatus.Serving,
                TimeSpan.FromSeconds(60), $"{service.Name} ready again");
        await watching.CancelAsync();
        await watch;

        output.WriteLine($"probe answers: {string.Join(", ", probes.Select(p => $"{p.Key} {p.Value}"))}");
        foreach (var (name, seen) in readiness) Assert.True(seen.Contains(HealthCheckResponse.Types.ServingStatus.NotServing), $"{name} never reported NOT_SERVING while the database was down");
        Assert.True(probes.GetValueOrDefault(StatusCode.Unavailable) > 0, "no caller was told Unavailable while the database was down");
        Assert.Empty(probes.Keys.Except([StatusCode.OK, StatusCode.Unavailable, StatusCode.DeadlineExceeded]));
        await ReportAsync(stack, work, "database restart", [control, .. petitions], expected,
            $"PostgreSQL stopped for {down.TotalSeconds:0} s; probes: {string.Join(", ", probes.Select(p => $"{p.Key} {p.Value}"))}");
    }

    /// <summary>Until cancelled: each replica's readiness, and a read that needs the database, 4 times a second.</summary>
    private static async Task WatchAsync(Stack stack, string petitionId, Dictionary<string, HashSet<HealthCheckResponse.Types.ServingStatus?>> readiness,
        Dictionary<StatusCode, int> probes, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            foreach (var service in stack.All) readiness[service.Name].Add(await Stack.ReadinessAsync(service));
            StatusCode code;
            try
            {
                await stack.Petitions.GetPetitionAsync(new GetPetitionRequest { PetitionId = petitionId }, Stack.Analyst, deadline: DateTime.UtcNow.AddSeconds(5));
                code = StatusCode.OK;
            }
            catch (RpcException e) { code = e.StatusCode; }
            probes[code] = probes.GetValueOrDefault(code) + 1;
            try { await Task.Delay(250, ct); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>A control case run before any fault: what every case must produce.</summary>
    private static async Task<(Workload Work, Dictionary<(string, string), int> Expected, string Control)> PrepareAsync(Stack stack, string run)
    {
        var work = new Workload(stack, $"{run}-{Guid.NewGuid():N}"[..20]);
        var control = (await work.RunAsync(await work.RegisterAsync(1))).Single();
        await Accounting.WaitQuietAsync(stack);
        var expected = await Accounting.NotificationsOfAsync(stack, control);
        // Mexico's 10 days are over when the request is recorded: its lapse (Mexico silent, a missed deadline) is among
        // what every case must produce once, and what replicas must not produce twice.
        Assert.Contains(expected.Keys, k => k.Item1 == "MexicoResponded");
        Assert.Contains(expected.Keys, k => k.Item1 == "CaseDeadlineMissed");
        return (work, expected, control);
    }

    private async Task ReportAsync(Stack stack, Workload work, string scenario, List<string> petitions, Dictionary<(string, string), int> expected, string faults)
    {
        var result = await Accounting.CheckAsync(stack, petitions, expected);
        var notes = $"{work.Retries} retried calls; {result.Redelivered} redelivered copies dropped by id"
            + (work.Unexpected.IsEmpty ? "" : $"; unexpected answers: {string.Join(", ", work.Unexpected)}");
        Add(new Row(scenario, result.Cases, faults, result.Lost, result.Duplicated, result.Redelivered, notes));
        output.WriteLine($"{scenario}: {result.Cases} cases, {faults}: lost {result.Lost}, duplicated {result.Duplicated}; {notes}");
        Assert.True(result.Findings.Count == 0, $"{result.Findings.Count} findings:\n{string.Join("\n", result.Findings.Take(40))}");
        Assert.Empty(work.Unexpected);
    }
}

[CollectionDefinition("chaos")]
public sealed class ChaosCollection;
