using Microsoft.EntityFrameworkCore;
using Rrm.Contracts.Events;
using Rrm.Petition.Data;
using Rrm.Petition.Domain;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Deadlines;

namespace Rrm.Petition.Application;

/// <summary>
/// Keeps the ILC review's deadline rows (reminders and the overdue alert) in step with the petition: the acts that
/// start or clear the review clock are the ones <see cref="PetitionStateMachine"/>'s table names.
/// </summary>
internal static class IlcReviewDeadlines
{
    /// <summary>Starts or clears the rows for each act the petition has just had; saved with the next SaveChanges.</summary>
    public static async Task SyncAsync(PetitionDbContext db, Domain.Petition p, DateTimeOffset now, TimeSpan backfillGrace, CancellationToken ct)
    {
        foreach (var act in p.NewActs)
        {
            if (PetitionStateMachine.StartsReviewDeadline.Contains(act))
                await StartAsync(db, p, now, backfillGrace, isNew: db.Entry(p).State == EntityState.Added, ct);
            if (PetitionStateMachine.ClearsReviewDeadline.Contains(act))
                await ClearAsync(db, p.Id, now, ct);
        }
    }

    /// <summary>Schedules the clock's rows; those of a petition received in this unit of work cannot exist yet, so none is looked up.</summary>
    private static async Task StartAsync(PetitionDbContext db, Domain.Petition p, DateTimeOffset now, TimeSpan backfillGrace, bool isNew, CancellationToken ct)
    {
        foreach (var days in IlcReviewClock.ReminderDaysBefore)
        {
            var at = IlcReviewClock.ReminderAt(p.ReviewDueDate, days);
            // A backfilled petition gets no reminders for moments already past; the overdue alert still applies.
            if (at > now) await db.ScheduleDeadlineAsync(IlcReviewClock.ReminderKey(p.Id, days), IlcReviewClock.ReminderKind, at, new ReminderPayload(p.Id, days), ct, isNew);
        }
        // A petition recorded after its review was due gets its alert after the backfill grace, not at once.
        await db.ScheduleAlertAsync(IlcReviewClock.OverdueKey(p.Id), IlcReviewClock.OverdueKind,
            IlcReviewClock.OverdueAt(p.ReviewDueDate), new OverduePayload(p.Id), now, backfillGrace, ct, isNew);
    }

    private static async Task ClearAsync(PetitionDbContext db, Guid petitionId, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var days in IlcReviewClock.ReminderDaysBefore)
            await db.CancelDeadlineAsync(IlcReviewClock.ReminderKey(petitionId, days), now, ct);
        await db.CancelDeadlineAsync(IlcReviewClock.OverdueKey(petitionId), now, ct);
    }

    internal sealed record ReminderPayload(Guid PetitionId, int DaysBefore);
    internal sealed record OverduePayload(Guid PetitionId);
}

/// <summary>Reminds the case officers that a review is due soon, if it is still open.</summary>
internal sealed class IlcReviewReminderHandler : IDeadlineHandler
{
    public string Kind => IlcReviewClock.ReminderKind;

    public async Task HandleAsync(ScheduledDeadline deadline, RrmDbContext db, CancellationToken cancellationToken)
    {
        var payload = deadline.ReadPayload<IlcReviewDeadlines.ReminderPayload>();
        var petition = await ((PetitionDbContext)db).Petitions.SingleAsync(p => p.Id == payload.PetitionId, cancellationToken);
        if (petition.Status != PetitionStatus.UnderReview) return;
        db.AddEvent(new IlcReviewDeadlineApproaching
        {
            PetitionId = petition.Id,
            FacilityName = petition.FacilityLegalName,
            DueDate = petition.ReviewDueDate,
            DaysLeft = payload.DaysBefore,
        });
    }
}

/// <summary>
/// Raises the overdue alert only if no determination is recorded when the clock passes the due date
/// (a determination recorded late but dated in time has cleared this row already).
/// </summary>
internal sealed class IlcReviewOverdueHandler(ILogger<IlcReviewOverdueHandler> logger) : IDeadlineHandler
{
    public string Kind => IlcReviewClock.OverdueKind;

    public async Task HandleAsync(ScheduledDeadline deadline, RrmDbContext db, CancellationToken cancellationToken)
    {
        var payload = deadline.ReadPayload<IlcReviewDeadlines.OverduePayload>();
        var petition = await ((PetitionDbContext)db).Petitions.SingleAsync(p => p.Id == payload.PetitionId, cancellationToken);
        if (petition.Status != PetitionStatus.UnderReview) return;
        db.AddEvent(new IlcReviewOverdue { PetitionId = petition.Id, FacilityName = petition.FacilityLegalName, DueDate = petition.ReviewDueDate });
        logger.LogWarning("ILC review of petition {PetitionId} is overdue (due {DueDate})", petition.Id, petition.ReviewDueDate);
    }
}
