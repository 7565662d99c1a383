using Microsoft.EntityFrameworkCore;
using Rrm.Review.Data;
using Rrm.Review.Domain;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Deadlines;
using Rrm.ServiceDefaults.Reference;

namespace Rrm.Review.Application;

/// <summary>
/// A case's clock alerts, one instance per scheduler kind (<see cref="CaseClocks.MissedKind"/>, <see cref="CaseClocks.ReminderKind"/>).
/// When a due date passes without the awaited act, a treaty period with a legal effect lapses (the case records the lapse
/// and moves on, ADR 0007) and any other clock raises the missed-deadline alert (DESIGN.md §5); before it, the case
/// officers are reminded while the clock still runs on time.
/// </summary>
internal sealed class CaseDeadlineHandler(string kind, TimeProvider clock, CaseEventMapper events, CaseCommands commands, BusinessCalendar calendar,
    ILogger<CaseDeadlineHandler> logger) : IDeadlineHandler
{
    public string Kind => kind;

    public async Task HandleAsync(ScheduledDeadline deadline, RrmDbContext db, CancellationToken ct)
    {
        var review = (ReviewDbContext)db;
        var payload = deadline.ReadPayload<CaseClocks.Payload>();
        var c = await review.Cases.SingleAsync(x => x.Id == payload.CaseId, ct);
        var missed = kind == CaseClocks.MissedKind;
        if (missed && CaseStateMachine.Lapses.ContainsKey(payload.Kind))
        {
            if (c.RecordLapses(LegalCalendar.Today(clock), clock.GetUtcNow(), calendar)) await commands.StageAsync(c, ct);
            return;
        }
        var alerted = missed
            ? c.MarkDeadlineMissed(payload.Kind, payload.DueDate, LegalCalendar.Today(clock), clock.GetUtcNow())
            : c.RemindOfDeadline(payload.Kind, payload.DueDate, payload.DaysLeft, LegalCalendar.Today(clock), clock.GetUtcNow());
        if (!alerted) return;
        review.Timeline.AddRange(c.NewEntries);
        await events.PublishDeadlineAsync(review, c, payload.Kind, payload.DueDate, missed ? null : payload.DaysLeft, ct);
        if (missed) logger.LogWarning("Case {CaseId} missed its {DeadlineKind} deadline of {DueDate}", c.Id, payload.Kind, payload.DueDate);
    }
}
