using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Bench;

/// <summary>
/// From a request for review committed (SubmitRequestForReview answered) to its suspension instruction
/// received by an AMQP consumer of the customs feed, over many cases one after another; against a bare
/// RabbitMQ publish → consume round trip from the same process.
/// </summary>
internal static class LatencyFigure
{
    public static async Task<Figure> RunAsync(Bench bench, CancellationToken ct)
    {
        var count = bench.Scaled(1_000);
        var cases = await OpenCasesAsync(bench, count + 20, ct);
        var feed = new List<double>();
        var bare = new List<double>();
        for (var run = 0; run < bench.Runs; run++)
        {
            var slice = cases.Skip(run * count / bench.Runs).Take(count / bench.Runs).ToList();
            feed.AddRange(await FeedAsync(bench, slice, ct));
            bare.AddRange(await BareAsync(bench, slice.Count, ct));
            Console.Error.WriteLine($"bench: latency run {run + 1}: feed p50 {P(feed, 50):N1} ms, bare p50 {P(bare, 50):N1} ms");
        }
        var (p50, p99, b50, b99) = (P(feed, 50), P(feed, 99), P(bare, 50), P(bare, 99));
        return new Figure("event latency", $"request for review → instruction on the feed, {feed.Count:N0} cases", $"p50 {p50:N1} ms, p99 {p99:N1} ms",
            $"bare publish→consume p50 {b50:N2} ms, p99 {b99:N2} ms", null, "p50 ≤ 5 ms, p99 ≤ 30 ms", p50 <= 5 && p99 <= 30)
        { Numbers = { ["p50_ms"] = p50, ["p99_ms"] = p99, ["bare_p50_ms"] = b50, ["bare_p99_ms"] = b99 } };
    }

    private static double P(List<double> values, double p) => Stats.Percentile(values.Order().ToList(), p);

    /// <summary>Cases awaiting their request for review, each on a facility of its own.</summary>
    private static async Task<List<string>> OpenCasesAsync(Bench bench, int count, CancellationToken ct)
    {
        var opened = await Scenario.OpenCasesAsync(bench, count, "Latency bench plant", "Apodaca", "NLE", Subsector.Electronics, ct);
        await Task.Delay(2000, ct); // let the CaseOpened events settle
        return [.. opened.Select(c => c.CaseId)];
    }

    private static async Task<List<double>> FeedAsync(Bench bench, List<string> cases, CancellationToken ct)
    {
        await using var feed = await FeedWatcher.StartAsync(bench, "liquidation.suspend", ct);
        var reviews = new ReviewService.ReviewServiceClient(Bench.Channel(bench.ReviewUrl));
        var officer = bench.Headers(Roles.UstrOfficer);
        var latencies = new List<double>();
        foreach (var caseId in cases)
        {
            var sent = Stopwatch.GetTimestamp(); // from the request: the instruction may reach the feed before the answer
            await reviews.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest { CaseId = caseId, SuspendLiquidation = true }, officer, cancellationToken: ct);
            latencies.Add(await feed.MillisecondsUntilAsync(caseId, sent, ct));
        }
        return latencies;
    }

    private static async Task<List<double>> BareAsync(Bench bench, int count, CancellationToken ct)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(bench.Amqp) }.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: ct)).QueueName;
        var arrived = new ConcurrentDictionary<string, long>();
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            arrived.TryAdd(delivery.BasicProperties.MessageId!, Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer, ct);
        var latencies = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid().ToString();
            var sent = Stopwatch.GetTimestamp();
            await channel.BasicPublishAsync("", queue, mandatory: false, new BasicProperties { MessageId = id, Persistent = true }, Encoding.UTF8.GetBytes("{}"), ct);
            long at;
            while (!arrived.TryGetValue(id, out at)) await Task.Delay(1, ct);
            latencies.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
        }
        return latencies;
    }
}
