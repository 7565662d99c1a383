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

    /// <summary>Schedules or cancels the rows of every clock the case's new timeline entries mention.</summary>
    public async Task SyncAsync(ReviewDbContext db, EnforcementCase c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var touched = c.NewEntries.Where(e => e.DeadlineKind is not null).Select(e => (Kind: e.DeadlineKind!.Value, Due: e.DueDate!.Value)).Distinct();
        foreach (var (kind, due) in touched)
        {
            var deadline = c.Deadlines.Last(d => d.Kind == kind && d.DueDate == due);
            if (deadline.Rule.WaitingPeriod) continue;
            if (deadline.Status == DeadlineStatus.Open)
            {
                await db.ScheduleAlertAsync(Key(c.Id, kind, due, "missed"), MissedKind, LegalCalendar.EndOf(due), new Payload(c.Id, kind, due, 0), now,
                    deadlines.Value.BackfillGrace, ct);
                foreach (var days in options.Value.ReminderDaysBefore)
                {
                    var at = LegalCalendar.At(due.AddDays(-days), new TimeOnly(9, 0));
                    if (at > now) await db.ScheduleDeadlineAsync(Key(c.Id, kind, due, $"reminder-{days}"), ReminderKind, at, new Payload(c.Id, kind, due, days), ct);
                }
            }
            else if (!deadline.IsRunning)
            {
                await db.CancelDeadlineAsync(Key(c.Id, kind, due, "missed"), now, ct);
                foreach (var days in options.Value.ReminderDaysBefore) await db.CancelDeadlineAsync(Key(c.Id, kind, due, $"reminder-{days}"), now, ct);
            }
        }
    }

    private static string Key(Guid caseId, DeadlineKind kind, DateOnly due, string what) => $"case:{caseId}:{kind}:{due:yyyy-MM-dd}:{what}";
}
