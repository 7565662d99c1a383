namespace Rrm.ServiceDefaults.Hosting;

/// <summary>
/// The one back-off rule for work retried from the database: outbox rows (<c>Outbox:MaxBackoff</c>), deadlines
/// (<c>Deadlines:MaxBackoff</c>) and notifications (<c>Notification:RetryBaseDelay</c>, <c>Notification:RetryMaxDelay</c>).
/// Each row keeps its attempt count and next attempt time, so the schedule survives restarts and is shared by
/// replicas; that is why this is a rule and not an in-memory retry pipeline.
/// </summary>
public static class RetryBackoff
{
    /// <summary>
    /// The wait after <paramref name="attempts"/> failed attempts: <paramref name="first"/> after the first, doubling
    /// with each next one up to <paramref name="max"/>, with ±20% jitter so rows that failed together come due apart.
    /// </summary>
    public static TimeSpan Delay(int attempts, TimeSpan first, TimeSpan max)
    {
        var doubled = first.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var capped = Math.Min(doubled, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + Random.Shared.NextDouble() * 0.4));
    }
}
