using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rrm.Review.Data;
using Rrm.ServiceDefaults.Configuration;
using Rrm.Review.Domain;
using Rrm.Review.Messaging;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Deadlines;
using Rrm.ServiceDefaults.Hosting;

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

/// <summary>
/// When a due date passes without the awaited act: a treaty period with a legal effect lapses (the case records the
/// lapse and moves on, ADR 0007); any other clock raises the missed-deadline alert (DESIGN.md §5).
/// </summary>
internal sealed class CaseDeadlineMissedHandler(TimeProvider clock, CaseEvents events, CaseCommands commands, BusinessCalendar calendar,
    ILogger<CaseDeadlineMissedHandler> logger) : IDeadlineHandler
{
    public string Kind => CaseClocks.MissedKind;

    public async Task HandleAsync(ScheduledDeadline deadline, RrmDbContext db, CancellationToken ct)
    {
        var review = (ReviewDbContext)db;
        var payload = deadline.ReadPayload<CaseClocks.Payload>();
        var c = await review.Cases.SingleAsync(x => x.Id == payload.CaseId, ct);
        if (CaseStateMachine.Lapses.ContainsKey(payload.Kind))
        {
            if (c.RecordLapses(LegalCalendar.Today(clock), clock.GetUtcNow(), calendar)) await commands.StageAsync(c, ct);
            return;
        }
        if (!c.MarkDeadlineMissed(payload.Kind, payload.DueDate, LegalCalendar.Today(clock), clock.GetUtcNow())) return;
        review.Timeline.AddRange(c.NewEntries);
        await events.PublishDeadlineAsync(review, c, payload.Kind, payload.DueDate, daysLeft: null, ct);
        logger.LogWarning("Case {CaseId} missed its {DeadlineKind} deadline of {DueDate}", c.Id, payload.Kind, payload.DueDate);
    }
}

/// <summary>Reminds the case officers that a clock is due soon, while it still runs on time.</summary>
internal sealed class CaseDeadlineReminderHandler(TimeProvider clock, CaseEvents events) : IDeadlineHandler
{
    public string Kind => CaseClocks.ReminderKind;

    public async Task HandleAsync(ScheduledDeadline deadline, RrmDbContext db, CancellationToken ct)
    {
        var review = (ReviewDbContext)db;
        var payload = deadline.ReadPayload<CaseClocks.Payload>();
        var c = await review.Cases.SingleAsync(x => x.Id == payload.CaseId, ct);
        if (!c.RemindOfDeadline(payload.Kind, payload.DueDate, payload.DaysLeft, LegalCalendar.Today(clock), clock.GetUtcNow())) return;
        review.Timeline.AddRange(c.NewEntries);
        await events.PublishDeadlineAsync(review, c, payload.Kind, payload.DueDate, payload.DaysLeft, ct);
    }
}
