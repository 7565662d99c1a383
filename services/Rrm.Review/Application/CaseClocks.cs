using Microsoft.Extensions.Options;
using Rrm.Review.Data;
using Rrm.ServiceDefaults.Configuration;
using Rrm.Review.Domain;
using Rrm.ServiceDefaults.Deadlines;
using Rrm.ServiceDefaults.Reference;

namespace Rrm.Review.Application;

/// <summary>
/// Keeps the scheduler's durable rows in step with a case's clocks: each running deadline has a
/// missed-deadline row (at the end of its due date in Washington) and reminder rows before it; a clock
/// that closes loses its rows. Waiting periods have none: nothing is "missed" when they end.
/// </summary>
internal sealed class CaseClocks(IOptions<ReviewOptions> options, IOptions<DeadlineOptions> deadlines, TimeProvider clock)
{
    public const string MissedKind = "case-deadline-missed";
    public const string ReminderKind = "case-deadline-reminder";

    internal sealed record Payload(Guid CaseId, DeadlineKind Kind, DateOnly DueDate, int DaysLeft);

    /// <summary>
    /// Schedules or cancels the rows of every clock the case's new timeline entries mention; their rows as they are now are
    /// read in one round trip (an act touches up to two clocks, each with a missed-deadline row and its reminders).
    /// </summary>
    public async Task SyncAsync(ReviewDbContext db, EnforcementCase c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var clocks = c.NewEntries.Where(e => e.DeadlineKind is not null).Select(e => (Kind: e.DeadlineKind!.Value, Due: e.DueDate!.Value)).Distinct()
            .Select(t => (t.Kind, t.Due, Deadline: c.Deadlines.Last(d => d.Kind == t.Kind && d.DueDate == t.Due)))
            .Where(t => !t.Deadline.Rule.WaitingPeriod && (t.Deadline.Status == DeadlineStatus.Open || !t.Deadline.IsRunning)).ToList();
        if (clocks.Count == 0) return;
        var reminders = options.Value.ReminderDaysBefore;
        var rows = await db.DeadlinesByKeyAsync(
            [.. clocks.SelectMany(t => reminders.Select(days => Key(c.Id, t.Kind, t.Due, $"reminder-{days}")).Append(Key(c.Id, t.Kind, t.Due, "missed")))], ct);
        foreach (var (kind, due, deadline) in clocks)
        {
            var missed = Key(c.Id, kind, due, "missed");
            if (deadline.Status == DeadlineStatus.Open)
            {
                db.ScheduleDeadline(rows.GetValueOrDefault(missed), missed, MissedKind,
                    ReviewDbContext.AlertTime(LegalCalendar.EndOf(due), now, deadlines.Value.BackfillGrace), new Payload(c.Id, kind, due, 0));
                foreach (var days in reminders)
                {
                    var (key, at) = (Key(c.Id, kind, due, $"reminder-{days}"), LegalCalendar.At(due.AddDays(-days), new TimeOnly(9, 0)));
                    if (at > now) db.ScheduleDeadline(rows.GetValueOrDefault(key), key, ReminderKind, at, new Payload(c.Id, kind, due, days));
                }
            }
            else
            {
                ReviewDbContext.CancelDeadline(rows.GetValueOrDefault(missed), now);
                foreach (var days in reminders) ReviewDbContext.CancelDeadline(rows.GetValueOrDefault(Key(c.Id, kind, due, $"reminder-{days}")), now);
            }
        }
    }

    private static string Key(Guid caseId, DeadlineKind kind, DateOnly due, string what) => $"case:{caseId}:{kind}:{due:yyyy-MM-dd}:{what}";
}
