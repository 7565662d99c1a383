namespace Rrm.Review.Application;

/// <summary>
/// The statistics last computed, by as_of date, for one database snapshot (<c>pg_current_snapshot()</c>): two equal
/// snapshots see the same data, so a repeated GetStatistics costs one query while nothing is committed anywhere on the
/// server; any commit (of any service) makes the next call compute again.
/// </summary>
internal sealed class StatisticsCache
{
    private const int MaxDates = 32;

    private sealed record Entry(string Snapshot, Dictionary<DateOnly, CaseStatistics> ByDate);

    private Entry current = new("", []);
    private readonly Lock gate = new();

    public CaseStatistics? Get(string snapshot, DateOnly asOf)
    {
        lock (gate) return current.Snapshot == snapshot && current.ByDate.TryGetValue(asOf, out var s) ? s : null;
    }

    public void Set(string snapshot, DateOnly asOf, CaseStatistics statistics)
    {
        lock (gate)
        {
            if (current.Snapshot != snapshot || current.ByDate.Count >= MaxDates) current = new Entry(snapshot, []);
            current.ByDate[asOf] = statistics;
        }
    }
}
