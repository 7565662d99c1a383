namespace Rrm.ServiceDefaults.Reference;

/// <summary>
/// Legal dates are Washington dates (DESIGN.md §3): acts default to today in America/New_York, and a
/// day's deadline ends at midnight there.
/// </summary>
public static class LegalCalendar
{
    private static readonly TimeZoneInfo Washington = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static DateOnly Today(TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Washington).DateTime);

    /// <summary>The instant of <paramref name="time"/> on <paramref name="date"/> in Washington.</summary>
    public static DateTimeOffset At(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, Washington.GetUtcOffset(local));
    }

    /// <summary>The instant a day ends in Washington: a deadline on <paramref name="due"/> has passed from then.</summary>
    public static DateTimeOffset EndOf(DateOnly due) => At(due.AddDays(1), TimeOnly.MinValue);
}
