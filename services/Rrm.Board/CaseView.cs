using Rrm.Grpc.Review.V1;

namespace Rrm.Board;

/// <summary>What the pages say about a case, in one place: its title, next deadline, liquidation and invocation.</summary>
public static class CaseView
{
    public static string Title(Case c) =>
        !string.IsNullOrEmpty(c.Reference) ? c.Reference : $"{c.Facility.CommonName} ({Format.Iso(c.OpenedOn)})";

    /// <summary>A clock still running: open, or past its due date with the act still awaited.</summary>
    public static bool Running(Deadline d) => d.Status is DeadlineStatus.Open or DeadlineStatus.Overdue;

    public static Deadline? NextDeadline(Case c) =>
        c.Deadlines.Where(Running).OrderBy(d => d.DueDate.ToDate()).FirstOrDefault();

    public static int DaysLeft(Deadline d, DateOnly today) => d.DueDate.ToDate()!.Value.DayNumber - today.DayNumber;

    public static string Liquidation(Case c) =>
        c.LiquidationSuspended ? "suspended" : c.LiquidationSuspensionUnknown ? "not known" : "not suspended";

    public static string InvocationText(Invocation? i) => i is null || i.Number == 0 ? "–"
        : $"{i.Number} ({i.NumberInYear} of {i.Year}){(i.NumberIsUstrs ? "" : ", computed")}";
}
