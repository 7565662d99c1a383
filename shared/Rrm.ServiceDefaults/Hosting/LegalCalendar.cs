namespace Rrm.ServiceDefaults.Hosting;

/// <summary>The date acts default to: today in Washington (America/New_York), per DESIGN.md §3.</summary>
public static class LegalCalendar
{
    private static readonly TimeZoneInfo Washington = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static DateOnly Today(TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Washington).DateTime);
}
