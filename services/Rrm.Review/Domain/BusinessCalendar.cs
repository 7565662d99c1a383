namespace Rrm.Review.Domain;

/// <summary>
/// Business days for the panel clocks: weekends, United States federal holidays (5 U.S.C. 6103, with the
/// Saturday/Sunday observance rule) and any further configured holidays are skipped.
/// </summary>
public sealed class BusinessCalendar(IEnumerable<DateOnly>? extraHolidays = null)
{
    private readonly HashSet<DateOnly> _extra = [.. extraHolidays ?? []];

    public bool IsBusinessDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_extra.Contains(date) && !IsFederalHoliday(date);

    /// <summary>The date <paramref name="days"/> business days after <paramref name="from"/> (which itself does not count).</summary>
    public DateOnly AddBusinessDays(DateOnly from, int days)
    {
        var date = from;
        for (var counted = 0; counted < days;)
        {
            date = date.AddDays(1);
            if (IsBusinessDay(date)) counted++;
        }
        return date;
    }

    public static bool IsFederalHoliday(DateOnly date) => FederalHolidays(date.Year).Contains(date)
        // New Year's Day of the next year observed on December 31.
        || (date.Month == 12 && date.Day == 31 && FederalHolidays(date.Year + 1).Contains(date));

    /// <summary>The observed federal holidays of a year.</summary>
    public static IReadOnlySet<DateOnly> FederalHolidays(int year)
    {
        var days = new HashSet<DateOnly>
        {
            Observed(new DateOnly(year, 1, 1)),
            Nth(year, 1, DayOfWeek.Monday, 3),    // Birthday of Martin Luther King, Jr.
            Nth(year, 2, DayOfWeek.Monday, 3),    // Washington's Birthday
            Last(year, 5, DayOfWeek.Monday),      // Memorial Day
            Observed(new DateOnly(year, 7, 4)),
            Nth(year, 9, DayOfWeek.Monday, 1),    // Labor Day
            Nth(year, 10, DayOfWeek.Monday, 2),   // Columbus Day
            Observed(new DateOnly(year, 11, 11)), // Veterans Day
            Nth(year, 11, DayOfWeek.Thursday, 4), // Thanksgiving Day
            Observed(new DateOnly(year, 12, 25)),
        };
        if (year >= 2021) days.Add(Observed(new DateOnly(year, 6, 19))); // Juneteenth, from 2021
        return days;
    }

    private static DateOnly Observed(DateOnly date) => date.DayOfWeek switch
    {
        DayOfWeek.Saturday => date.AddDays(-1),
        DayOfWeek.Sunday => date.AddDays(1),
        _ => date,
    };

    private static DateOnly Nth(int year, int month, DayOfWeek day, int n)
    {
        var first = new DateOnly(year, month, 1);
        return first.AddDays(((int)day - (int)first.DayOfWeek + 7) % 7 + 7 * (n - 1));
    }

    private static DateOnly Last(int year, int month, DayOfWeek day)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)day + 7) % 7));
    }
}
