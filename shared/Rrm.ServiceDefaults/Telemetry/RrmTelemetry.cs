using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rrm.ServiceDefaults.Telemetry;

/// <summary>The suite's own activity source; services add spans under the same name.</summary>
public static class RrmTelemetry
{
    public const string Name = "Rrm";
    public static readonly ActivitySource Source = new(Name);
}

/// <summary>
/// Business and machinery metrics (DESIGN.md §7). Services add theirs to <see cref="Meter"/>. Gauges that report a
/// host's state (the database gauges, the broker connection) are made on the host's own meter instead
/// (<see cref="ForHost"/>), so that a stopped host stops reporting and hosts sharing a process keep apart.
/// </summary>
public static class RrmMetrics
{
    public static readonly Meter Meter = new(RrmTelemetry.Name);
    public static readonly Counter<long> OutboxPublished = Meter.CreateCounter<long>("rrm.outbox.published", description: "Outbox messages published and confirmed");
    public static readonly Counter<long> OutboxFailed = Meter.CreateCounter<long>("rrm.outbox.failed", description: "Failed attempts to publish an outbox message");

    /// <summary>
    /// Recorded when a message is published; an outage of minutes shows here once it ends (and in
    /// rrm.outbox.oldest_age while it lasts), so the buckets reach an hour rather than the default 10 s.
    /// </summary>
    public static readonly Histogram<double> OutboxLag = Meter.CreateHistogram<double>("rrm.outbox.lag", unit: "ms",
        description: "Time from commit to confirmed publish", tags: null, advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000],
        });

    public static readonly Counter<long> NotificationsSent = Meter.CreateCounter<long>("rrm.notifications.sent", description: "Notifications delivered, by channel");
    public static readonly Counter<long> NotificationAttemptsFailed = Meter.CreateCounter<long>("rrm.notifications.failed", description: "Failed delivery attempts, by channel");
    public static readonly Counter<long> NotificationsDead = Meter.CreateCounter<long>("rrm.notifications.dead", description: "Notifications given up after the last attempt, by channel");
    public static readonly Counter<long> DeadlinesFired = Meter.CreateCounter<long>("rrm.deadlines.fired", description: "Deadlines fired, by kind");
    public static readonly Counter<long> DeadlinesFailed = Meter.CreateCounter<long>("rrm.deadlines.failed", description: "Deadline handlers that failed (the deadline is retried), by kind");

    /// <summary>The host's own meter named <see cref="RrmTelemetry.Name"/>, disposed with the host.</summary>
    public static Meter ForHost(IMeterFactory meters) => meters.Create(RrmTelemetry.Name);
}
