using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Rrm.Grpc.Liquidation.V1;
using Rrm.TariffLiquidation.Data;
using Rrm.TariffLiquidation.Grpc;
using Rrm.Testing;
using static Rrm.TariffLiquidation.Tests.LiquidationFixture;

namespace Rrm.TariffLiquidation.Tests;

/// <summary>
/// What RegisterEntries streams may hold (security finding 4: idle streams exhausted the database): no connection before
/// the first message, an idle timeout, a total deadline and a cap on streams at once. Each test runs a replica of the
/// service over this class's database with its own limits.
/// </summary>
[Collection(nameof(EntryStreamLimitTests))]
public sealed class EntryStreamLimitTests(LiquidationFixture fixture) : IClassFixture<LiquidationFixture>
{
    private Task<ServiceFactory<LiquidationDbContext>> ReplicaAsync(string idle, string max, int cap = 8) =>
        fixture.StartAsync<LiquidationDbContext>(new Dictionary<string, string?>
        {
            ["Liquidation:EntryStreamIdleTimeout"] = idle,
            ["Liquidation:EntryStreamMaxDuration"] = max,
            ["Liquidation:MaxConcurrentEntryStreams"] = cap.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    private async Task<string> KnownMidAsync()
    {
        var c = Case();
        await fixture.PublishAsync(new Rrm.Contracts.Events.CaseOpened { Case = c, OpenedDate = new DateOnly(2024, 7, 24) });
        await Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM liquidation.known_mids WHERE mid = '{c.Facility.Mids[0]}'"),
            n => n == 1, what: "the facility's MIDs");
        return c.Facility.Mids[0];
    }

    /// <summary>COPYs into the entries table running now on this class's database (what an open stream used to hold from its start).</summary>
    private Task<long> CopiesAsync() => fixture.Database.ScalarAsync<long>(
        $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{fixture.Database.Name}' AND state <> 'idle' AND query LIKE 'COPY liquidation.entries%'");

    /// <summary>
    /// Connections of this class's database waiting for their client inside a transaction for more than 250 ms: what a
    /// silent stream would hold from its start; the services' own short units of work (a consumer's, a relay's, the order
    /// book's snapshot load) pass between their statements in less.
    /// </summary>
    private Task<long> OpenTransactionsAsync() => fixture.Database.ScalarAsync<long>(
        $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{fixture.Database.Name}' AND state LIKE 'idle in transaction%' " +
        "AND now() - state_change > interval '250 milliseconds'");

    private Task<long> StoredAsync(string filer) =>
        fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM liquidation.entries WHERE filer_code = '{filer}'");

    private static async Task<RpcException> FailureAsync(AsyncClientStreamingCall<RegisterEntriesRequest, RegisterEntriesResponse> call) =>
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

    [Fact]
    public async Task A_stream_that_sends_nothing_holds_no_connection_and_ends_after_the_idle_timeout()
    {
        var idle = TimeSpan.FromSeconds(3);
        await using var replica = await ReplicaAsync(idle: "00:00:03", max: "00:10:00");
        var client = new LiquidationService.LiquidationServiceClient(replica.CreateChannel());
        var mid = await KnownMidAsync();
        var filer = NewFiler();

        var watch = Stopwatch.StartNew();
        var silent = Enumerable.Range(0, 5).Select(_ => client.RegisterEntries(Customs)).ToList();
        // The control: a stream that has sent a message holds its COPY open while it waits for the next one, so the probe sees one.
        using var sending = client.RegisterEntries(Customs);
        await sending.RequestStream.WriteAsync(new RegisterEntriesRequest { Entries = { Entry(mid, filer, 0) } });
        await Eventually.GetAsync(CopiesAsync, n => n == 1, what: "the sending stream's COPY");
        var copies = new List<long>();
        var transactions = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            copies.Add(await CopiesAsync());
            transactions.Add(await OpenTransactionsAsync());
            await Task.Delay(100);
        }
        var silentFailures = new List<RpcException>();
        foreach (var call in silent) silentFailures.Add(await FailureAsync(call));
        var silentEnded = watch.Elapsed;
        var sendingFailure = await FailureAsync(sending);

        Assert.All(copies, n => Assert.Equal(1, n)); // the sending stream's only: the five silent ones hold none
        Assert.All(transactions, n => Assert.Equal(0, n));
        Assert.All(silentFailures, e => Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode));
        Assert.Contains("No message came for 3 s", silentFailures[0].Status.Detail);
        Assert.InRange(silentEnded, idle, idle + TimeSpan.FromSeconds(15));
        Assert.Equal(StatusCode.DeadlineExceeded, sendingFailure.StatusCode);
        Assert.Equal(0, await StoredAsync(filer)); // the entry it sent before going quiet is not kept
        await Eventually.GetAsync(CopiesAsync, n => n == 0, what: "no COPY left");
        Assert.Equal(0, replica.Services.GetRequiredService<EntryStreamLimits>().Open);
    }

    [Fact]
    public async Task Beyond_the_cap_idle_streams_are_refused_at_once_and_the_gate_keeps_its_latency()
    {
        const int cap = 8, streams = 200, calls = 20;
        await using var replica = await ReplicaAsync(idle: "00:05:00", max: "00:10:00", cap);
        var client = new LiquidationService.LiquidationServiceClient(replica.CreateChannel());
        var mid = await KnownMidAsync();
        var filer = NewFiler();
        await fixture.RegisterAsync(Enumerable.Range(0, 1000).Select(i => Entry(mid, filer, i)));
        var check = new CheckEntriesRequest { EntryNumbers = { Enumerable.Range(0, 1000).Select(i => Number(filer, i)) } };
        async Task<double> MedianMillisecondsAsync()
        {
            var times = new List<double>();
            for (var i = 0; i < calls; i++)
            {
                var watch = Stopwatch.StartNew();
                var answer = await client.CheckEntriesAsync(check, Customs);
                times.Add(watch.Elapsed.TotalMilliseconds);
                Assert.Equal(1000, answer.Entries.Count);
            }
            times.Sort();
            return (times[calls / 2 - 1] + times[calls / 2]) / 2;
        }
        await MedianMillisecondsAsync(); // warm-up: JIT, pooled connections, plans

        // A functional guard, not a benchmark, on a machine shared with other work (2 cores): another process's burst
        // during one window can double a median of 20 calls of ~10 ms. So up to three rounds, each measuring unloaded then
        // loaded, and the latency holds if one round shows it: held streams that slowed the gate (the finding: 0.45 s
        // became 9.6 s) slow every round. The 5 ms of slack is about one scheduling slice of another process on a busy
        // core, the same order as the medians themselves. Everything else is asserted in every round.
        var rounds = new List<(double Unloaded, double Loaded, TimeSpan RefusedIn)>();
        for (var round = 0; round < 3 && !rounds.Exists(r => r.Loaded <= 1.5 * r.Unloaded + 5); round++)
        {
            var unloaded = await MedianMillisecondsAsync();
            var opened = Stopwatch.StartNew();
            var held = Enumerable.Range(0, streams).Select(_ => client.RegisterEntries(Customs)).ToList();
            await Eventually.GetAsync(() => Task.FromResult(held.Count(c => c.ResponseAsync.IsCompleted)), n => n >= streams - cap, what: "the refusals");
            var refusedIn = opened.Elapsed;
            var loaded = await MedianMillisecondsAsync();
            var ended = held.Where(c => c.ResponseAsync.IsCompleted).ToList();
            var refusals = new List<RpcException>();
            foreach (var call in ended) refusals.Add(await FailureAsync(call));
            var copiesWhileHeld = await CopiesAsync();
            var openWhileHeld = replica.Services.GetRequiredService<EntryStreamLimits>().Open;
            foreach (var call in held) call.Dispose(); // the caller gives up: the slots free
            await Eventually.GetAsync(() => Task.FromResult(replica.Services.GetRequiredService<EntryStreamLimits>().Open), n => n == 0, what: "the slots freed");
            rounds.Add((unloaded, loaded, refusedIn));

            Assert.Equal(streams - cap, refusals.Count); // the cap's worth stays open, idle
            Assert.All(refusals, e => Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode));
            Assert.Contains($"already serves {cap} RegisterEntries streams", refusals[0].Status.Detail);
            Assert.True(refusedIn < TimeSpan.FromSeconds(10), $"refused in {refusedIn.TotalSeconds:N1} s: not at once");
            Assert.Equal(cap, openWhileHeld);
            Assert.Equal(0, copiesWhileHeld);
        }
        using var after = client.RegisterEntries(Customs);
        await after.RequestStream.WriteAsync(new RegisterEntriesRequest { Entries = { Entry(mid, filer, 5000) } });
        await after.RequestStream.CompleteAsync();
        var stored = await after.ResponseAsync;

        var report = string.Join("; ", rounds.Select(r =>
            $"unloaded {r.Unloaded:N1} ms, with {streams} idle streams {r.Loaded:N1} ms (refusals in {r.RefusedIn.TotalMilliseconds:N0} ms)"));
        Console.WriteLine($"CheckEntries (1000 numbers), medians of {calls}: {report}");
        Assert.True(rounds.Exists(r => r.Loaded <= 1.5 * r.Unloaded + 5), $"CheckEntries medians: {report}");
        Assert.Equal(1, stored.Stored); // the slots freed, a stream is served again
    }

    [Fact]
    public async Task A_stream_over_its_total_deadline_ends_DeadlineExceeded_and_stores_nothing()
    {
        var max = TimeSpan.FromSeconds(3);
        await using var replica = await ReplicaAsync(idle: "00:00:02", max: "00:00:03");
        var client = new LiquidationService.LiquidationServiceClient(replica.CreateChannel());
        var mid = await KnownMidAsync();
        var filer = NewFiler();

        var watch = Stopwatch.StartNew();
        using var call = client.RegisterEntries(Customs);
        var sent = 0;
        try
        {
            // Never idle (a message every 250 ms, the idle timeout is 2 s), only too long.
            while (!call.ResponseAsync.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                await call.RequestStream.WriteAsync(new RegisterEntriesRequest { Entries = { Entry(mid, filer, sent) } });
                sent++;
                await Task.Delay(250);
            }
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException) { } // the service ended the call under a write
        var failure = await FailureAsync(call);
        var endedIn = watch.Elapsed;

        Assert.Equal(StatusCode.DeadlineExceeded, failure.StatusCode);
        Assert.Contains("not completed within 3 s", failure.Status.Detail);
        Assert.InRange(endedIn, max, max + TimeSpan.FromSeconds(15));
        Assert.True(sent >= 8, $"{sent} messages sent");
        Assert.Equal(0, await StoredAsync(filer));
        await Eventually.GetAsync(CopiesAsync, n => n == 0, what: "no COPY left");
    }

    [Theory]
    [InlineData("EntryStreamIdleTimeout", "00:00:00")]
    [InlineData("EntryStreamMaxDuration", "2.00:00:00")]
    [InlineData("MaxConcurrentEntryStreams", "0")]
    [InlineData("EntryStreamIdleTimeout", "00:20:00")] // longer than the default total of 10 minutes
    public async Task A_bad_limit_stops_the_service_naming_the_key(string setting, string value)
    {
        // The service binary as operators run it (tests/…/bin/<Configuration>/net10.0 -> services/…/bin/<Configuration>/net10.0).
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var root = output.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(root, "services", "Rrm.TariffLiquidation", "bin", output.Parent.Name, "net10.0", "Rrm.TariffLiquidation.dll"));
        start.Environment["ConnectionStrings__Postgres"] = fixture.Database.ConnectionString;
        start.Environment["ConnectionStrings__RabbitMq"] = fixture.VirtualHost.AmqpUri;
        start.Environment["Auth__SigningKey"] = TestEnvironment.SigningKey;
        start.Environment["Urls"] = "http://127.0.0.1:0";
        start.Environment[$"Liquidation__{setting}"] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        await stdout;
        var error = await stderr;

        Assert.True(process.ExitCode == 2, $"exit code {process.ExitCode}: {error}");
        Assert.Contains($"Configuration key 'Liquidation:{setting}'", error);
    }
}

/// <summary>Alone, after the other classes: the latency comparison must not measure the other tests' load.</summary>
[CollectionDefinition(nameof(EntryStreamLimitTests), DisableParallelization = true)]
public sealed class EntryStreamLimitCollection;
