using Rrm.Grpc.Review.V1;

namespace Rrm.Board.Components.CaseParts;

/// <summary>
/// Where the clock chart draws things: a column of names, the dates from the earliest start to the latest due or
/// closing date across the plot, a column of statuses. SVG user units; the picture scales to the page.
/// </summary>
public sealed class ClockGeometry
{
    public const int Width = 960;
    public const int Top = 34;
    public const int Bottom = 26;
    public const int RowHeight = 34;
    public const int BarHeight = 18;
    private const int PlotLeft = 190;
    private const int PlotRight = 700;
    public const int StatusX = 718;

    public ClockGeometry(IReadOnlyList<Deadline> deadlines, DateOnly today)
    {
        var starts = deadlines.Select(d => d.StartedOn.ToDate() ?? d.DueDate.ToDate()!.Value).ToList();
        var ends = deadlines.SelectMany(d => new[] { d.DueDate.ToDate(), d.ClosedOn.ToDate() }).OfType<DateOnly>().ToList();
        From = starts.Min();
        To = ends.Append(From.AddDays(1)).Max();
        Rows = deadlines.Count;
        TodayInRange = today >= From && today <= To;
        Ticks = TicksBetween(From, To);
        Description = string.Join("; ", deadlines.Select(d =>
            $"{Format.Words(d.Kind)}, {Format.Iso(d.StartedOn)} to {Format.Iso(d.DueDate)}, {Format.Words(d.Status)}" +
            (d.ClosedOn.ToDate() is { } c ? $", closed {Format.Iso(c)}" : ""))) + ".";
    }

    public DateOnly From { get; }
    public DateOnly To { get; }
    public int Rows { get; }
    public bool TodayInRange { get; }
    public IReadOnlyList<DateOnly> Ticks { get; }
    public string Description { get; }

    public int Height => Top + Rows * RowHeight + Bottom;

    public int RowY(int row) => Top + row * RowHeight + (RowHeight - BarHeight) / 2;

    public double X(DateOnly date) =>
        PlotLeft + (double)(date.DayNumber - From.DayNumber) / (To.DayNumber - From.DayNumber) * (PlotRight - PlotLeft);

    /// <summary>The first days of the months in range (a week apart for a short range), at most six labelled.</summary>
    private static List<DateOnly> TicksBetween(DateOnly from, DateOnly to)
    {
        var ticks = new List<DateOnly>();
        if (to.DayNumber - from.DayNumber < 50)
            for (var d = from; d <= to; d = d.AddDays(7)) ticks.Add(d);
        else
            for (var d = new DateOnly(from.Year, from.Month, 1).AddMonths(from.Day == 1 ? 0 : 1); d <= to; d = d.AddMonths(1)) ticks.Add(d);
        var step = (ticks.Count + 5) / 6;
        return ticks.Where((_, i) => i % Math.Max(1, step) == 0).ToList();
    }
}
