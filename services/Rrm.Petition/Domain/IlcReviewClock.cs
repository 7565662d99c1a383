using Rrm.ServiceDefaults.Reference;

namespace Rrm.Petition.Domain;

/// <summary>
/// The ILC's review clock: 30 calendar days from receipt (19 U.S.C. 4646(b)(1)), with reminders before
/// the due date and an overdue alert once it has passed. Instants are in Washington time.
/// </summary>
public static class IlcReviewClock
{
    /// <summary>19 U.S.C. 4646(b)(1): the ILC reviews a petition within 30 calendar days of its submission.</summary>
    public const int ReviewCalendarDays = 30;

    /// <summary>Reminders go out this many days before the due date.</summary>
    public static readonly IReadOnlyList<int> ReminderDaysBefore = [7, 2];

    public const string ReminderKind = "ilc-review-reminder";
    public const string OverdueKind = "ilc-review-overdue";

    public static DateOnly DueDate(DateOnly received) => received.AddDays(ReviewCalendarDays);

    /// <summary>The review is overdue once the due date has ended in Washington.</summary>
    public static DateTimeOffset OverdueAt(DateOnly due) => LegalCalendar.EndOf(due);

    /// <summary>Reminders fire at 9:00 in Washington.</summary>
    public static DateTimeOffset ReminderAt(DateOnly due, int daysBefore) => LegalCalendar.At(due.AddDays(-daysBefore), new TimeOnly(9, 0));

    public static string ReminderKey(Guid petitionId, int daysBefore) => $"petition:{petitionId}:ilc-review-reminder-{daysBefore}";
    public static string OverdueKey(Guid petitionId) => $"petition:{petitionId}:ilc-review-overdue";
}
