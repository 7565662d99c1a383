using System.Diagnostics;
using System.Text;
using Grpc.Core;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using Xunit.Abstractions;
using static Rrm.Testing.ChaosReport;

namespace Rrm.Chaos.Tests;

/// <summary>
/// An abusive client (docs/security.md): it holds 200 idle RegisterEntries streams, imports a history of 50,000
/// cases and points a webhook at the broker's management port, while ordinary users file cases and customs checks
/// entries. Nothing is lost, the abuse is refused, and the others are not slowed beyond 1.5×.
/// </summary>
[Collection("chaos")]
public sealed class AbuseTests(ITestOutputHelper output)
{
    private const int IdleStreams = 200;

    [Fact]
    public async Task An_abusive_client_is_refused_and_slows_nobody_else_beyond_half_again()
    {
        await using var stack = await Stack.StartAsync();
        var work = new Workload(stack, $"abuse-{Guid.NewGuid():N}"[..18]);
        var control = (await work.RunAsync(await work.RegisterAsync(1))).Single();
        await Accounting.WaitQuietAsync(stack);
        var expected = await Accounting.NotificationsOfAsync(stack, control);
        var customs = Tokens.For(Roles.CustomsSystem);
        var check = new CheckEntriesRequest { EntryNumbers = { Rrm.TariffLiquidation.Domain.EntryNumber.Create("ABU", 1) } };
        var quiet = await MedianAsync(() => stack.Instructions.CheckEntriesAsync(check, customs).ResponseAsync);

        // The abuse: idle streams held open, a huge import, a webhook inside the network.
        using var release = new CancellationTokenSource();
        var streams = Enumerable.Range(0, IdleStreams).Select(_ => stack.Instructions.RegisterEntries(customs, cancellationToken: release.Token)).ToList();
        var import = new StringBuilder("case_ref,facility,legal_name,city,state,sector,workers,date,act,detail\n");
        for (var i = 0; i < 50_000; i++) import.Append($"x{i},P,P {i},León,Guanajuato,x,,2024-03-01,self_initiated,\n");
        var importStarted = Stopwatch.StartNew();
        var importRefused = await Assert.ThrowsAsync<RpcException>(() =>
            stack.Cases.ImportCaseHistoryAsync(new ImportCaseHistoryRequest { Csv = import.ToString() }, Stack.Officer).ResponseAsync);
        var importTook = importStarted.Elapsed;
        var webhookRefused = await Assert.ThrowsAsync<RpcException>(() => stack.Notifications.UpsertRecipientAsync(new UpsertRecipientRequest
        {
            Name = "Internal probe", Role = RecipientRole.UstrCaseOfficer, Channel = Channel.Webhook, Address = "http://127.0.0.1:55673/api/overview",
            Language = "en", WebhookSecret = "a-webhook-secret-of-enough-length",
        }, Stack.Admin).ResponseAsync);

        // Meanwhile ordinary work goes on: cases through the four services, and the gate.
        var petitions = await work.RunAsync(await work.RegisterAsync(Pick(100, 15)));
        // Once the ordinary work has settled, what is left is the abuse (the streams are still held).
        await Accounting.WaitQuietAsync(stack);
        var loaded = await MedianAsync(() => stack.Instructions.CheckEntriesAsync(check, customs).ResponseAsync);
        var streamStatuses = await CloseAsync(streams, release);

        var result = await Accounting.CheckAsync(stack, [control, .. petitions], expected);
        var refusedStreams = streamStatuses.Count(s => s == StatusCode.ResourceExhausted);
        Add(new Row("abusive client", IdleStreams + 2, $"{IdleStreams} idle entry streams, an import of 50,000 cases, a webhook at 127.0.0.1:55673",
            result.Lost, result.Duplicated, result.Redelivered,
            $"import {importRefused.StatusCode} in {importTook.TotalMilliseconds:0} ms; webhook {webhookRefused.StatusCode}; streams refused {refusedStreams}; " +
            $"CheckEntries median {quiet:0.0} ms quiet, {loaded:0.0} ms under abuse"));
        output.WriteLine($"CheckEntries median {quiet:0.0} ms quiet, {loaded:0.0} ms under abuse; streams: " +
            string.Join(", ", streamStatuses.GroupBy(s => s).Select(g => $"{g.Key} {g.Count()}")));

        Assert.Equal(StatusCode.InvalidArgument, importRefused.StatusCode);
        Assert.Contains("import at most", importRefused.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, webhookRefused.StatusCode);
        Assert.True(refusedStreams > 0, "some of the 200 idle streams are refused beyond the cap");
        // A functional guard, not a benchmark: medians of 20 calls; 5 ms of slack for a 2-core machine's scheduling noise.
        Assert.True(loaded <= quiet * 1.5 + 5, $"CheckEntries slowed from {quiet:0.0} ms to {loaded:0.0} ms under abuse");
        Assert.True(result.Findings.Count == 0, string.Join("\n", result.Findings.Take(40)));
        Assert.Empty(work.Unexpected);
    }

    private static async Task<double> MedianAsync(Func<Task> call)
    {
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }

    /// <summary>Ends the idle streams and reports how each ended (refused at once, timed out, or cancelled by us).</summary>
    private static async Task<List<StatusCode>> CloseAsync(List<AsyncClientStreamingCall<RegisterEntriesRequest, RegisterEntriesResponse>> streams,
        CancellationTokenSource release)
    {
        var statuses = new List<StatusCode>();
        foreach (var stream in streams)
        {
            // A stream the service already ended answers with its status; the others are cancelled.
            var ended = stream.ResponseAsync.IsCompleted;
            if (!ended) await release.CancelAsync();
            try { await stream.ResponseAsync; statuses.Add(StatusCode.OK); }
            catch (RpcException e) { statuses.Add(ended ? e.StatusCode : StatusCode.Cancelled); }
            stream.Dispose();
        }
        return statuses;
    }
}
