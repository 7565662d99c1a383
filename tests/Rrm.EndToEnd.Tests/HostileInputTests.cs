using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Npgsql;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using Xunit.Abstractions;

namespace Rrm.EndToEnd.Tests;

/// <summary>
/// Hostile input (the issue's wording): "at least 10,000 generated requests across every RPC (wrong types, missing and
/// boundary values, oversize strings and lists, invalid UTF-8, injection strings, dates far past and future): only
/// well-formed errors come back, nothing is stored, no process crashes." The requests come from
/// <see cref="HostileRequests"/>, sent as raw bytes to the four services running as processes, with a token that
/// carries every role (so each call gets past authorization and reaches the method).
/// </summary>
[Collection("suite")]
public sealed class HostileInputTests(Suite suite, ITestOutputHelper output)
{
    private const int MinimumRequests = 10_000;
    private const int Callers = 8;
    private const int StreamWatchers = 16;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    /// <summary>How long a server-streaming call is read before the caller hangs up (a watch never ends by itself).</summary>
    private static readonly TimeSpan WatchFor = TimeSpan.FromSeconds(1);

    private sealed record Outcome(MethodDescriptor Method, int Seed, string Kind, StatusCode Code, string Detail, byte[]? Response);

    [Fact]
    public async Task Generated_hostile_requests_to_every_RPC_get_well_formed_errors_store_nothing_and_crash_nothing()
    {
        var baseSeed = int.TryParse(Environment.GetEnvironmentVariable("RRM_HOSTILE_SEED"), out var s) ? s : 20_261_123;
        var methods = HostileRequests.Methods.ToList();
        var perMethod = (MinimumRequests + methods.Count - 1) / methods.Count + 2;
        output.WriteLine($"Hostile input: base seed {baseSeed} (RRM_HOSTILE_SEED), {methods.Count} methods × {perMethod} requests; " +
                         $"reproduce one with HostileRequests.Make(\"<method>\", <seed>)");

        // Every role at once: verified below (no call may end PERMISSION_DENIED or UNAUTHENTICATED).
        var token = Tokens.For([.. Roles.All]);

        var before = await QuietSnapshotAsync();

        // Interleaved, so every service is busy at once; watches (server streaming) are read by callers of their own.
        var work = Enumerable.Range(0, perMethod).SelectMany(i => methods.Select(m => (Method: m, Seed: HostileRequests.SeedOf(baseSeed, m, i)))).ToList();
        var unary = new ConcurrentQueue<(MethodDescriptor Method, int Seed)>(work.Where(w => !w.Method.IsServerStreaming));
        var watches = new ConcurrentQueue<(MethodDescriptor Method, int Seed)>(work.Where(w => w.Method.IsServerStreaming));
        var outcomes = new ConcurrentBag<Outcome>();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(
            Enumerable.Range(0, Callers).Select(_ => Task.Run(() => DrainAsync(unary, token, outcomes)))
                .Concat(Enumerable.Range(0, StreamWatchers).Select(_ => Task.Run(() => DrainAsync(watches, token, outcomes)))));
        watch.Stop();

        var all = outcomes.ToList();
        var histogram = all.GroupBy(o => o.Code).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
        output.WriteLine($"Hostile input: {all.Count} requests to {all.Select(o => o.Method.FullName).Distinct().Count()} methods in {watch.Elapsed.TotalSeconds:N1} s: " +
                         string.Join(", ", histogram) + $" (OK on a server-streaming method: the watch was open after {WatchFor.TotalSeconds:N0} s)");
        foreach (var service in HostileRequests.Services)
            output.WriteLine($"  {service.Name}: " + string.Join(", ", all.Where(o => o.Method.Service == service).GroupBy(o => o.Code)
                .OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));

        // Every RPC was exercised, and enough of them.
        Assert.True(all.Count >= MinimumRequests, $"only {all.Count} requests were sent");
        Assert.Empty(methods.Where(m => all.Count(o => o.Method == m) < perMethod).Select(m => m.FullName));

        // Only well-formed errors: never INTERNAL or UNKNOWN, always a detail; and past authorization every time.
        var offenders = all.Where(o => o.Code is StatusCode.Internal or StatusCode.Unknown or StatusCode.Unimplemented
                                       || o.Code is StatusCode.PermissionDenied or StatusCode.Unauthenticated
                                       || (o.Code != StatusCode.OK && string.IsNullOrWhiteSpace(o.Detail)))
            .OrderBy(o => o.Method.FullName).ThenBy(o => o.Seed).ToList();
        foreach (var group in offenders.GroupBy(o => (o.Method.FullName, o.Code)))
        {
            output.WriteLine($"OFFENDER {group.Key.FullName}: {group.Key.Code} × {group.Count()}");
            foreach (var o in group.Take(5))
                output.WriteLine($"    {o.Code} \"{o.Detail}\" for {HostileRequests.Make(o.Method, o.Seed).Describe(300)}");
        }
        // The other answers that are neither a rejection of the request nor a success, for a look (e.g. UNAVAILABLE, DEADLINE_EXCEEDED).
        foreach (var group in all.Except(offenders).Where(o => o.Code is not (StatusCode.OK or StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.ResourceExhausted))
                     .GroupBy(o => (o.Method.FullName, o.Code)).OrderBy(g => g.Key.FullName))
        {
            output.WriteLine($"OTHER {group.Key.FullName}: {group.Key.Code} × {group.Count()}");
            foreach (var o in group.Take(2))
                output.WriteLine($"    \"{o.Detail}\" for {HostileRequests.Make(o.Method, o.Seed).Describe(200)}");
        }

        // Accepted requests to methods that change state: none is expected (each carries an invalid value), but any
        // that was must be what explains a changed table.
        var accepted = all.Where(o => o.Code == StatusCode.OK && HostileRequests.IsMutating(o.Method)).ToList();
        output.WriteLine("Accepted requests to methods that change state: " + (accepted.Count == 0 ? "none" : string.Join(", ",
            accepted.GroupBy(o => (o.Method.FullName, Stored: Stored(o))).Select(g => $"{g.Key.FullName} × {g.Count()} ({(g.Key.Stored ? "may have stored something" : "stored nothing")})"))));
        foreach (var o in accepted.Where(Stored).Concat(accepted.Where(o => !Stored(o)).Take(2)))
            output.WriteLine($"ACCEPTED {o.Method.FullName}: response {Show(o)}; request {HostileRequests.Make(o.Method, o.Seed).Describe(400)}");

        // No process crashed (a process that exited answers nothing), and each still says it is ready.
        var processes = new[] { suite.Petition, suite.Review, suite.Liquidation, suite.Notification };
        var health = new List<string>();
        foreach (var p in processes)
        {
            try
            {
                var reply = await new Health.HealthClient(p.Channel).CheckAsync(new HealthCheckRequest { Service = "readiness" }, deadline: DateTime.UtcNow.AddSeconds(10));
                if (reply.Status != HealthCheckResponse.Types.ServingStatus.Serving) health.Add($"{p.Name} readiness is {reply.Status}");
            }
            catch (RpcException e) { health.Add($"{p.Name} readiness check failed: {e.Status}"); }
        }

        // Nothing stored: every table as before, unless an accepted request explains it.
        var after = await QuietSnapshotAsync();
        var changed = Compare(before, after);
        output.WriteLine($"Database: {after.Count} tables, {after.Values.Sum(t => t.Rows)} rows after ({before.Values.Sum(t => t.Rows)} before); changed: {changed.Count}");
        var storedIn = accepted.Where(Stored).SelectMany(o => Reaches(o.Method)).ToHashSet();
        var unexplained = changed.Where(c => !storedIn.Contains(c.Split('.')[0])).ToList();
        foreach (var c in changed) output.WriteLine($"CHANGED {c}{(unexplained.Contains(c) ? " (unexplained)" : " (by an accepted request)")}");

        var internalOrUnknown = all.Count(o => o.Code is StatusCode.Internal or StatusCode.Unknown);
        ChaosReport.Add(new ChaosReport.Row("hostile input", all.Count, $"{methods.Count} RPCs, generated and raw-byte requests", 0, 0, 0,
            $"{internalOrUnknown} INTERNAL/UNKNOWN; {offenders.Count} not well-formed; {unexplained.Count} tables changed unexplained; {health.Count} services not ready; "
            + string.Join(", ", all.GroupBy(o => o.Code).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count():N0}"))));

        Assert.True(offenders.Count == 0, $"{offenders.Count} of {all.Count} answers were not well-formed errors (INTERNAL, UNKNOWN, UNIMPLEMENTED, " +
            $"PERMISSION_DENIED, UNAUTHENTICATED or no detail); see the test output. First: " +
            string.Join(" | ", offenders.Take(3).Select(o => $"{o.Method.FullName} seed {o.Seed} ({o.Kind}): {o.Code} \"{o.Detail}\"")));
        Assert.True(health.Count == 0, string.Join("; ", health));
        Assert.True(unexplained.Count == 0, "tables changed without an accepted request to explain it: " + string.Join(", ", unexplained));
    }

    // ---------------------------------------------------------------- calling

    private async Task DrainAsync(ConcurrentQueue<(MethodDescriptor Method, int Seed)> queue, Metadata token, ConcurrentBag<Outcome> outcomes)
    {
        while (queue.TryDequeue(out var item))
        {
            var request = HostileRequests.Make(item.Method, item.Seed);
            var (code, detail, response) = await CallAsync(request, token);
            outcomes.Add(new Outcome(item.Method, item.Seed, request.Kind, code, detail, response));
        }
    }

    /// <summary>Schemas a method's service can write to, itself or through the events it publishes.</summary>
    private static string[] Reaches(MethodDescriptor method) => method.Service.File.Package switch
    {
        "rrm.petition.v1" => ["petition", "review", "liquidation", "notification"],
        "rrm.review.v1" => ["review", "liquidation", "notification"],
        "rrm.liquidation.v1" => ["liquidation"],
        _ => ["notification"],
    };

    /// <summary>Sends the request's bytes as they are (a byte[] marshaller: one path for every kind of method) and returns the status.</summary>
    private async Task<(StatusCode Code, string Detail, byte[]? Response)> CallAsync(HostileRequest request, Metadata token)
    {
        var m = request.Method;
        var method = Suite.RawMethod(m);
        var type = method.Type;
        var invoker = suite.ProcessOf(m).Channel.CreateCallInvoker();
        var options = new CallOptions(headers: token, deadline: DateTime.UtcNow.Add(Deadline));
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                {
                    using var call = invoker.AsyncUnaryCall(method, null, options, request.Messages[0]);
                    return (StatusCode.OK, "", await call.ResponseAsync);
                }
                case MethodType.ClientStreaming:
                {
                    using var call = invoker.AsyncClientStreamingCall(method, null, options);
                    try
                    {
                        foreach (var message in request.Messages) await call.RequestStream.WriteAsync(message);
                        await call.RequestStream.CompleteAsync();
                    }
                    catch (Exception)
                    {
                        // The server may answer (with an error) before it has read everything: its answer is the outcome.
                    }
                    return (StatusCode.OK, "", await call.ResponseAsync);
                }
                case MethodType.ServerStreaming:
                {
                    using var call = invoker.AsyncServerStreamingCall(method, null, options, request.Messages[0]);
                    using var enough = new CancellationTokenSource(WatchFor);
                    try
                    {
                        while (await call.ResponseStream.MoveNext(enough.Token)) { }
                        return (StatusCode.OK, "", null);
                    }
                    catch (Exception e) when (enough.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
                    {
                        return (StatusCode.OK, "", null); // still open: a watch runs until the caller leaves
                    }
                }
                default:
                    throw new NotSupportedException($"{m.FullName} is bidirectional: no such method in the suite yet");
            }
        }
        catch (RpcException e)
        {
            return (e.StatusCode, e.Status.Detail, null);
        }
    }

    private static bool Stored(Outcome o)
    {
        if (o.Response is null) return true;
        return o.Method.Name switch
        {
            "ImportCaseHistory" => ImportCaseHistoryResponse.Parser.ParseFrom(o.Response).Results.Any(r => r.Outcome == CaseImportResult.Types.Outcome.Imported),
            "RegisterEntries" => RegisterEntriesResponse.Parser.ParseFrom(o.Response).Stored > 0,
            _ => true,
        };
    }

    private static string Show(Outcome o)
    {
        if (o.Response is null) return "(none)";
        var text = o.Method.OutputType.Parser.ParseFrom(o.Response).ToString() ?? "";
        return text.Length > 600 ? text[..600] + "…" : text;
    }

    // ---------------------------------------------------------------- the database

    /// <summary>
    /// Tables the services' background work updates by itself (the outbox relay marks messages sent, the scheduler
    /// fires deadlines, the dispatcher retries notifications): compared by row count only, so that work finishing
    /// for earlier tests of the collection is not taken for something these requests stored.
    /// </summary>
    private static readonly HashSet<string> Background = ["outbox_messages", "inbox_messages", "scheduled_deadlines", "notifications"];

    private sealed record TableState(long Rows, string Hash);

    /// <summary>Every table of every schema once nothing has changed for 2 s (background work of earlier tests done), at most 60 s.</summary>
    private async Task<Dictionary<string, TableState>> QuietSnapshotAsync()
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        var previous = await SnapshotAsync();
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var current = await SnapshotAsync();
            if (Compare(previous, current, strict: true).Count == 0 || DateTime.UtcNow > until)
            {
                if (DateTime.UtcNow > until) output.WriteLine("NOT QUIET after 60 s: " + string.Join(", ", Compare(previous, current, strict: true)));
                return current;
            }
            previous = current;
        }
    }

    private async Task<Dictionary<string, TableState>> SnapshotAsync()
    {
        await using var connection = new NpgsqlConnection(suite.Database.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("""
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var states = new Dictionary<string, TableState>();
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT count(*), coalesce(md5(string_agg(md5(t::text), ',' ORDER BY md5(t::text))), '') FROM {table} t", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            states[table.Replace("\"", "")] = new TableState(reader.GetInt64(0), reader.GetString(1));
        }
        return states;
    }

    /// <summary>The tables that differ: by content, or (unless <paramref name="strict"/>) by row count only for the background tables.</summary>
    private static List<string> Compare(Dictionary<string, TableState> before, Dictionary<string, TableState> after, bool strict = false) =>
        before.Keys.Union(after.Keys).Order().Where(table =>
        {
            if (!before.TryGetValue(table, out var b) || !after.TryGetValue(table, out var a)) return true;
            return !strict && Background.Contains(table.Split('.')[1]) ? a.Rows != b.Rows : a != b;
        }).Select(table => $"{table} ({(before.TryGetValue(table, out var b) ? b.Rows : 0)} → {(after.TryGetValue(table, out var a) ? a.Rows : 0)} rows)").ToList();
}
