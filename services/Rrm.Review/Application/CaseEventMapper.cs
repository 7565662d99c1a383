using Rrm.Contracts.Events;
using Rrm.Review.Data;
using Rrm.Review.Domain;
using Rrm.ServiceDefaults.Text;

namespace Rrm.Review.Application;

/// <summary>
/// Turns what an act did to a case into integration events (the contracts' records), queued in the outbox with the act.
/// </summary>
internal sealed class CaseEventMapper(Invocations invocations)
{
    /// <summary>Queues the events of the acts <paramref name="c"/> recorded since the last call (lapses included).</summary>
    public async Task PublishActsAsync(ReviewDbContext db, EnforcementCase c, CancellationToken ct)
    {
        var unpublished = c.RecordedActs.Skip(c.PublishedActs).ToList();
        if (unpublished.Count == 0) return;
        // One reference for the lot (its invocation numbers read every request): the acts differ only in being replayed.
        var reference = await RefAsync(c, replayed: false, ct);
        foreach (var recorded in unpublished)
            foreach (var @event in EventsOf(c, recorded, reference with { Replayed = recorded.Context.Replayed })) db.AddEvent(@event);
        c.PublishedActs = c.RecordedActs.Count;
    }

    /// <summary>After an imported case's replayed events: what stands after its last act, for consumers to publish as current.</summary>
    public async Task PublishImportedAsync(ReviewDbContext db, EnforcementCase c, CancellationToken ct) =>
        db.AddEvent(new CaseHistoryImported
        {
            Case = await RefAsync(c, replayed: true, ct), LastActDate = c.LastActDate, RemediesInForce = c.RemediesInForce.Select(r => r.Id).ToList(),
        });

    public async Task PublishDeadlineAsync(ReviewDbContext db, EnforcementCase c, DeadlineKind kind, DateOnly due, int? daysLeft, CancellationToken ct)
    {
        var reference = await RefAsync(c, replayed: false, ct);
        var rule = DeadlineRule.All[kind];
        db.AddEvent(daysLeft is { } days
            ? new CaseDeadlineApproaching { Case = reference, Deadline = kind.Snake(), Description = rule.Description, DueDate = due, DaysLeft = days }
            : new CaseDeadlineMissed { Case = reference, Deadline = kind.Snake(), Description = rule.Description, DueDate = due });
    }

    internal static IEnumerable<object> EventsOf(EnforcementCase c, RecordedAct recorded, CaseRef reference)
    {
        var (act, ctx) = (recorded.Act, recorded.Context);
        var resumes = c.EntriesOf(recorded).Any(e => e.Kind == TimelineKind.LiquidationResumed);
        // A lapse alerts the case officers as a missed deadline does (not in a replayed history: history is not news).
        if (recorded.Lapsed is { } lapsed && !ctx.Replayed)
        {
            var rule = DeadlineRule.All[lapsed];
            yield return new CaseDeadlineMissed { Case = reference, Deadline = lapsed.Snake(), Description = rule.Description, DueDate = recorded.LapsedDueDate!.Value };
        }
        switch (act)
        {
            case CaseAct.SuspendLiquidation:
                yield return new LiquidationSuspensionDirected { Case = reference, EffectiveDate = ctx.Date, AnnouncedDate = ctx.AnnouncedDate };
                break;
            case CaseAct.ReceivePetition or CaseAct.OpenOnSufficientPetition or CaseAct.SelfInitiate:
                yield return new CaseOpened { Case = reference, OpenedDate = ctx.Date };
                break;
            case CaseAct.RequestReview:
                yield return new ReviewRequested
                {
                    Case = reference,
                    RequestDate = ctx.Date,
                    AnnouncedDate = ctx.AnnouncedDate,
                    SuspendLiquidation = c.LiquidationSuspended,
                    AnswerDueDate = c.Running(DeadlineKind.MexicoAnswer)!.DueDate,
                    ReviewDueDate = c.Running(DeadlineKind.MexicoReview)!.DueDate,
                };
                break;
            case CaseAct.MexicoAccepts or CaseAct.MexicoDeclines or CaseAct.MexicoSilent:
                yield return new MexicoResponded
                {
                    Case = reference,
                    Response = act switch { CaseAct.MexicoAccepts => "accepted", CaseAct.MexicoDeclines => "declined", _ => "no_response" },
                    ResponseDate = ctx.Date,
                    Timely = Met(c, DeadlineKind.MexicoAnswer),
                };
                break;
            case CaseAct.FindDenial or CaseAct.FindNoDenial:
                yield return new ReviewFindingsRecorded
                {
                    Case = reference, DenialFound = act == CaseAct.FindDenial, FindingsDate = ctx.Date, Timely = Met(c, DeadlineKind.MexicoReview),
                };
                break;
            case CaseAct.AgreeRemediation:
                yield return new RemediationPlanAgreed
                {
                    Case = reference, AgreedDate = ctx.Date, CompletionDate = c.PlanCompletionDate,
                    Actions = c.Actions.Select(a => a.Description).ToList(),
                };
                break;
            case CaseAct.Resolve:
                yield return new CaseResolved
                {
                    Case = reference, ResolutionDate = ctx.Date, AnnouncedDate = ctx.AnnouncedDate, LiquidationResumes = resumes,
                    Summary = ctx.Note,
                };
                break;
            case CaseAct.RequestPanel:
                yield return new PanelRequested { Case = reference, RequestDate = ctx.Date, PanelCaseNumber = c.PanelCaseNumber };
                break;
            case CaseAct.PanelFindsDenial or CaseAct.PanelFindsNoDenial:
                yield return new PanelDetermined
                {
                    Case = reference, DeterminationDate = ctx.Date, DenialFound = act == CaseAct.PanelFindsDenial,
                    RemediesAvailableFrom = c.Running(DeadlineKind.RemedyNotice)?.DueDate,
                };
                if (act == CaseAct.PanelFindsNoDenial) yield return Closed(c, ctx, reference, "the panel found no denial of rights", resumes);
                break;
            case CaseAct.ImposeRemedy:
                var imposed = c.Remedies[^1];
                yield return new RemedyImposed
                {
                    Case = reference, RemedyId = imposed.Id, Kind = imposed.Kind.Snake(), Description = imposed.Description, ImposedDate = ctx.Date,
                };
                break;
            case CaseAct.LiftRemedies:
                foreach (var lifted in c.Remedies.Where(r => r.LiftedOn == ctx.Date))
                    yield return new RemedyLifted { Case = reference, RemedyId = lifted.Id, Kind = lifted.Kind.Snake(), LiftedDate = ctx.Date };
                yield return Closed(c, ctx, reference, "the denial of rights is remedied", resumes);
                break;
            case CaseAct.FindPetitionInsufficient:
                yield return Closed(c, ctx, reference, "the ILC found the petition insufficient", resumes);
                break;
            case CaseAct.Close:
                yield return Closed(c, ctx, reference, c.ClosureReason, resumes);
                break;
        }
    }

    private static CaseClosed Closed(EnforcementCase c, ActContext ctx, CaseRef reference, string reason, bool resumes) => new()
    {
        Case = reference, ClosedDate = ctx.Date, FinalState = c.State.Snake(), Reason = reason, LiquidationResumes = resumes,
    };

    private static bool Met(EnforcementCase c, DeadlineKind kind) => c.Deadlines.LastOrDefault(d => d.Kind == kind)?.Status == DeadlineStatus.Met;

    private async Task<CaseRef> RefAsync(EnforcementCase c, bool replayed, CancellationToken ct)
    {
        var invocation = await invocations.OfAsync(c, ct);
        return new CaseRef
        {
            CaseId = c.Id,
            PetitionId = c.PetitionId,
            Origin = c.Origin.Snake(),
            Reference = c.Reference,
            InvocationNumber = invocation?.Number,
            InvocationNumberInYear = invocation?.NumberInYear,
            InvocationYear = invocation?.Year,
            LiquidationSuspended = c.LiquidationSuspended,
            Replayed = replayed,
            Facility = c.Facility.ToSnapshot(),
        };
    }
}
