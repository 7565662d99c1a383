using OpenTelemetry;
using OpenTelemetry.Metrics;
using Rrm.ServiceDefaults.Telemetry;
using Rrm.Testing;

namespace Rrm.ServiceDefaults.Tests;

/// <summary>What the machinery's metrics look like to the operator's collector.</summary>
public sealed class MetricsTests(InfrastructureFixture infra) : IClassFixture<InfrastructureFixture>
{
    private const string OldestAge = "rrm.outbox.oldest_age";

    [Fact]
    public async Task One_replica_reports_the_database_gauges_and_another_takes_over_when_it_stops()
    {
        var first = await infra.StartAsync();
        var second = await infra.StartAsync();
        try
        {
            // Exactly one reports; the other reports nothing at all (not a second, equal value).
            var reporting = await Eventually.GetAsync(() => Task.FromResult(new[] { first, second }.Where(h => HostMetrics.Read(h.Services, OldestAge).Count > 0).ToList()),
                r => r.Count == 1, what: "one replica to report the database gauges");
            await Task.Delay(1000); // several gauge intervals
            var other = reporting[0] == first ? second : first;
            Assert.Single(HostMetrics.Read(reporting[0].Services, OldestAge));
            Assert.Empty(HostMetrics.Read(other.Services, OldestAge));

            await reporting[0].DisposeAsync();

            Assert.Single(await Eventually.GetAsync(() => Task.FromResult(HostMetrics.Read(other.Services, OldestAge)), m => m.Count == 1,
                what: "the other replica to take over the database gauges"));
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_exported_outbox_lag_histogram_has_buckets_up_to_an_hour()
    {
        var exporter = new LagExporter();
        using (var metrics = Sdk.CreateMeterProviderBuilder().AddMeter(RrmTelemetry.Name).AddReader(new BaseExportingMetricReader(exporter)).Build())
        {
            await using var host = await infra.StartAsync(consume: true);
            var marker = "lag-" + Guid.NewGuid().ToString("N");
            await using (var db = TestDbContext.Open(infra.Database.ConnectionString))
            {
                db.AddEvent(MessagingHost.Event(marker));
                await db.SaveChangesAsync();
            }
            await Eventually.GetAsync(() => Task.FromResult(RecordingConsumer.CountFor(marker)), n => n >= 1, what: "the event to be delivered");
            metrics.ForceFlush();
        }

        Assert.NotEmpty(exporter.Seen);
        var (bounds, count) = exporter.Seen.Last();
        Assert.True(count >= 1, "the publish is counted");
        Assert.Contains(10_000d, bounds);
        Assert.Contains(600_000d, bounds); // ten minutes: an outage's backlog is told from a slow broker
        Assert.Contains(3_600_000d, bounds);
    }

    private sealed class LagExporter : BaseExporter<Metric>
    {
        public List<(double[] Bounds, long Count)> Seen { get; } = [];

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                if (metric.Name != "rrm.outbox.lag") continue;
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var bounds = new List<double>();
                    foreach (var bucket in point.GetHistogramBuckets()) bounds.Add(bucket.ExplicitBound);
                    Seen.Add(([.. bounds], point.GetHistogramCount()));
                }
            }
            return ExportResult.Success;
        }
    }
}
