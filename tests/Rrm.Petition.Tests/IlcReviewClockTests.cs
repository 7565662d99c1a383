using Rrm.Petition.Domain;

namespace Rrm.Petition.Tests;

public sealed class IlcReviewClockTests
{
    [Fact]
    public void The_review_is_due_30_calendar_days_after_receipt_across_month_ends() =>
        Assert.Equal(new DateOnly(2024, 3, 1), IlcReviewClock.DueDate(new DateOnly(2024, 1, 31)));

    [Fact]
    public void The_review_is_overdue_once_the_due_date_has_ended_in_Washington()
    {
        // July 24, 2024 ends at midnight EDT (UTC-4).
        Assert.Equal(new DateTimeOffset(2024, 7, 25, 4, 0, 0, TimeSpan.Zero), IlcReviewClock.OverdueAt(new DateOnly(2024, 7, 24)).ToUniversalTime());
        // In winter Washington is UTC-5.
        Assert.Equal(new DateTimeOffset(2024, 12, 2, 5, 0, 0, TimeSpan.Zero), IlcReviewClock.OverdueAt(new DateOnly(2024, 12, 1)).ToUniversalTime());
    }

    [Fact]
    public void Reminders_go_out_at_nine_in_the_morning_before_the_due_date() =>
        Assert.Equal(new DateTimeOffset(2024, 7, 17, 13, 0, 0, TimeSpan.Zero), IlcReviewClock.ReminderAt(new DateOnly(2024, 7, 24), 7).ToUniversalTime());
}
