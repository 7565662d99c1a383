using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rrm.ServiceDefaults.Telemetry;

/// <summary>The suite's own activity source; services add spans under the same name.</summary>
public static class RrmTelemetry
{
    public const string Name = "Rrm";
    public static readonly ActivitySource Source = new(Name);
}

/// <summary>Business and machinery metrics (DESIGN.md §7). Services add theirs to <see cref="Meter"/>.</summary>
public static class RrmMetrics
{
    public static readonly Meter Meter = new(RrmTelemetry.Name);
    public static readonly Counter<long> OutboxPublished = Meter.CreateCounter<long>("rrm.outbox.published", description: "Outbox messages published and confirmed");
    public static readonly Counter<long> OutboxFailed = Meter.CreateCounter<long>("rrm.outbox.failed", description: "Failed attempts to publish an outbox message");
    public static readonly Histogram<double> OutboxLag = Meter.CreateHistogram<double>("rrm.outbox.lag", unit: "ms", description: "Time from commit to confirmed publish");
    public static readonly Counter<long> NotificationsSent = Meter.CreateCounter<long>("rrm.notifications.sent", description: "Notifications delivered, by channel");
    public static readonly Counter<long> NotificationAttemptsFailed = Meter.CreateCounter<long>("rrm.notifications.failed", description: "Failed delivery attempts, by channel");
    public static readonly Counter<long> NotificationsDead = Meter.CreateCounter<long>("rrm.notifications.dead", description: "Notifications given up after the last attempt, by channel");
    public static readonly Counter<long> DeadlinesFired = Meter.CreateCounter<long>("rrm.deadlines.fired", description: "Deadlines fired, by kind");
}
