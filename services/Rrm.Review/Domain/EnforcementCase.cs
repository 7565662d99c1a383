using Rrm.ServiceDefaults.Errors;

namespace Rrm.Review.Domain;

/// <summary>
/// An Annex 31-A enforcement matter about one covered facility. Every act goes through
/// <see cref="CaseStateMachine"/>, records its effective date, moves the case's clocks and appends to
/// its timeline; a rejected act changes nothing.
/// </summary>
public sealed class EnforcementCase
{
    public const int MaxTextLength = 10_000;
    public const int MaxActions = 50;
    public const int MaxUstrOrdinal = 10_000;

    public Guid Id { get; private set; }
    /// <summary>The case's reference in an imported history (e.g. "impro-2024"); null for cases opened here.</summary>
    public string? Reference { get; private set; }
    public string? ImportHash { get; private set; }
    public CaseOrigin Origin { get; private set; }
    public Guid? PetitionId { get; private set; }
    public CaseFacility Facility { get; private set; } = new();
    public CaseState State { get; private set; } = CaseState.New;
    public bool LiquidationSuspended { get; private set; }
    /// <summary>An imported history whose public record does not say whether liquidation was suspended.</summary>
    public bool LiquidationSuspensionUnknown { get; private set; }
    /// <summary>USTR's announced ordinal for the request ("the 25th time"); null when not announced.</summary>
    public int? UstrOrdinal { get; private set; }
    public DateOnly OpenedOn { get; private set; }
    public DateOnly? PetitionReceivedOn { get; private set; }
    public DateOnly? IlcDeterminationOn { get; private set; }
    public DateOnly? RequestDate { get; private set; }
    /// <summary>When the request was recorded: orders invocations that share a request date.</summary>
    public DateTimeOffset? RequestRecordedAt { get; private set; }
    public DateOnly? ResolvedOn { get; private set; }
    public DateOnly? ClosedOn { get; private set; }
    public string ClosureReason { get; private set; } = "";
    public DateOnly? PlanAgreedOn { get; private set; }
    public DateOnly? PlanCompletionDate { get; private set; }
    public List<RemediationAction> Actions { get; private set; } = [];
    public DateOnly? PanelRequestedOn { get; private set; }
    public string PanelCaseNumber { get; private set; } = "";
    public List<string> Panelists { get; private set; } = [];
    public DateOnly? PanelDeterminedOn { get; private set; }
    public bool? PanelFoundDenial { get; private set; }
    public List<Remedy> Remedies { get; private set; } = [];
    public List<CaseDeadline> Deadlines { get; private set; } = [];
    public int TimelineLength { get; private set; }
    public DateOnly LastActDate { get; private set; }
    /// <summary>The last act and its data: repeating it exactly is the one allowed no-op (a redelivery).</summary>
    public string LastActFingerprint { get; private set; } = "";
    /// <summary>The lapse the case recorded last, while no act has followed it: an act dated inside the period supersedes it.</summary>
    public CaseLapse? PendingLapse { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public uint Version { get; private set; }

    /// <summary>Entries added since the case was loaded; the caller saves them with the case.</summary>
    public List<TimelineEntry> NewEntries { get; } = [];

    /// <summary>The act just recorded (null when the last call changed nothing).</summary>
    public CaseAct? LastRecordedAct { get; private set; }

    /// <summary>Every act recorded since the case was loaded, lapses included, in order: what events to publish.</summary>
    public List<RecordedAct> RecordedActs { get; } = [];

    /// <summary>How many of <see cref="RecordedActs"/> have had their events queued.</summary>
    public int PublishedActs { get; set; }

    /// <summary>The entries the last recorded act appended (its own, its clocks', the liquidation's).</summary>
    public IEnumerable<TimelineEntry> LastActEntries => RecordedActs.Count == 0 ? [] : EntriesOf(RecordedActs[^1]);

    public IEnumerable<TimelineEntry> EntriesOf(RecordedAct recorded)
    {
        var next = RecordedActs.IndexOf(recorded) + 1;
        var end = next < RecordedActs.Count ? RecordedActs[next].FirstEntry : NewEntries.Count;
        return NewEntries.Skip(recorded.FirstEntry).Take(end - recorded.FirstEntry);
    }

    private EnforcementCase() { }

    public bool IsOpen => State != CaseState.New && !CaseStateMachine.IsTerminal(State);

    public CaseDeadline? Running(DeadlineKind kind) => Deadlines.SingleOrDefault(d => d.Kind == kind && d.IsRunning);

    public IEnumerable<Remedy> RemediesInForce => Remedies.Where(r => r.LiftedOn is null);

    // ---------------------------------------------------------------- opening

    /// <summary>Opened when the ILC determines a petition sufficient: USTR's 60-day panel decision clock starts.</summary>
    public static EnforcementCase OpenOnPetition(Guid petitionId, CaseFacility facility, DateOnly receivedOn, ActContext ctx) =>
        Open(CaseOrigin.Petition, petitionId, facility, null, ctx, c =>
        {
            c.PetitionReceivedOn = receivedOn;
            c.IlcDeterminationOn = ctx.Date;
            c.Complete(CaseAct.OpenOnSufficientPetition, ctx, Fingerprint(CaseAct.OpenOnSufficientPetition, ctx, petitionId.ToString()),
                $"Case opened on the ILC's affirmative determination (petition received {receivedOn:yyyy-MM-dd})");
        });

    /// <summary>USTR's own initiative (e.g. GM Silao, Draxton): no petition, no ILC clock.</summary>
    public static EnforcementCase SelfInitiate(CaseFacility facility, ActContext ctx, string? reference = null) =>
        Open(CaseOrigin.SelfInitiated, null, facility, reference, ctx, c =>
            c.Complete(CaseAct.SelfInitiate, ctx, Fingerprint(CaseAct.SelfInitiate, ctx, ""), "Case self-initiated by USTR"));

    /// <summary>An imported history's petition; the ILC's determination follows as an act.</summary>
    public static EnforcementCase ReceivePetition(CaseFacility facility, ActContext ctx, string reference, string petitioner) =>
        Open(CaseOrigin.Petition, null, facility, reference, ctx, c =>
        {
            c.PetitionReceivedOn = ctx.Date;
            c.Complete(CaseAct.ReceivePetition, ctx, Fingerprint(CaseAct.ReceivePetition, ctx, ""), "Petition received by the Department of Labor", confidential: petitioner);
        });

    private static EnforcementCase Open(CaseOrigin origin, Guid? petitionId, CaseFacility facility, string? reference, ActContext ctx,
        Action<EnforcementCase> first)
    {
        var c = new EnforcementCase
        {
            Id = Guid.CreateVersion7(ctx.RecordedAt),
            Origin = origin,
            PetitionId = petitionId,
            Facility = facility,
            Reference = reference,
            OpenedOn = ctx.Date,
            CreatedAt = ctx.RecordedAt,
        };
        first(c);
        return c;
    }

    /// <summary>Marks the case as the result of importing a history with this content hash.</summary>
    public void MarkImported(string importHash) => ImportHash = importHash;

    // ---------------------------------------------------------------- the petition phase (imported histories)

    public bool DeterminePetition(ActContext ctx, bool sufficient)
    {
        var act = sufficient ? CaseAct.FindPetitionSufficient : CaseAct.FindPetitionInsufficient;
        if (Begin(act, ctx, "") is not { } fp) return false;
        IlcDeterminationOn = ctx.Date;
        if (!sufficient) ClosedOn = ctx.Date;
        Complete(act, ctx, fp, sufficient
            ? "ILC determination: sufficient, credible evidence of a denial of rights"
            : "ILC determination: the evidence is not sufficient; certified to the Senate Finance and House Ways and Means committees and the petitioner");
        return true;
    }

    // ---------------------------------------------------------------- request and Mexico's review

    /// <summary>
    /// The Art. 31-A.4.2 request. <paramref name="suspendLiquidation"/> null: an imported history that does not say
    /// whether liquidation was suspended. <paramref name="ustrOrdinal"/>: USTR's announced ordinal, if any.
    /// </summary>
    public bool RequestReview(ActContext ctx, bool? suspendLiquidation, int? ustrOrdinal = null)
    {
        if (Begin(CaseAct.RequestReview, ctx, $"{suspendLiquidation}|{ustrOrdinal}") is not { } fp) return false;
        RequestDate = ctx.Date;
        RequestRecordedAt = ctx.RecordedAt;
        UstrOrdinal = ustrOrdinal;
        LiquidationSuspensionUnknown = suspendLiquidation is null;
        Complete(CaseAct.RequestReview, ctx, fp, "Request for review sent to Mexico (Annex 31-A, Art. 31-A.4.2)" + suspendLiquidation switch
        {
            true => "",
            false => "; liquidation not suspended",
            null => "; whether liquidation was suspended is not known from the public record",
        });
        if (suspendLiquidation == true) Suspend(ctx);
        return true;
    }

    /// <summary>USTR directs the suspension after the request, as its own act; the order takes effect from its date.</summary>
    public bool SuspendLiquidation(ActContext ctx)
    {
        if (Begin(CaseAct.SuspendLiquidation, ctx, "") is not { } fp) return false;
        if (LiquidationSuspended)
            throw new InvalidStateTransitionException("Liquidation of entries from the facility is already suspended on this case.");
        Complete(CaseAct.SuspendLiquidation, ctx, fp, "USTR directed Treasury to suspend liquidation after the request for review");
        Suspend(ctx);
        return true;
    }

    private void Suspend(ActContext ctx)
    {
        LiquidationSuspended = true;
        LiquidationSuspensionUnknown = false;
        Append(TimelineKind.LiquidationSuspended, null, ctx,
            "USTR directed Treasury to suspend liquidation of unliquidated entries of goods from the facility (19 U.S.C. 4692(a))");
    }

    public bool RecordMexicoResponse(ActContext ctx, MexicoResponse response)
    {
        var act = response switch
        {
            MexicoResponse.Accepted => CaseAct.MexicoAccepts,
            MexicoResponse.Declined => CaseAct.MexicoDeclines,
            _ => CaseAct.MexicoSilent,
        };
        if (Begin(act, ctx, "") is not { } fp) return false;
        if (act == CaseAct.MexicoSilent && Running(DeadlineKind.MexicoAnswer) is { } answer && ctx.Date <= answer.DueDate)
            throw new InvalidStateTransitionException(
                $"Mexico may answer until {answer.DueDate:yyyy-MM-dd}; record that it did not answer only after that date.");
        Complete(act, ctx, fp, response switch
        {
            MexicoResponse.Accepted => "Mexico agreed to conduct the review",
            MexicoResponse.Declined => "Mexico declined to conduct the review",
            _ => $"Mexico did not answer within {TreatyPeriods.MexicoAnswerCalendarDays} days",
        });
        return true;
    }

    public bool RecordReviewFindings(ActContext ctx, bool denialFound)
    {
        var act = denialFound ? CaseAct.FindDenial : CaseAct.FindNoDenial;
        if (Begin(act, ctx, "") is not { } fp) return false;
        Complete(act, ctx, fp, denialFound ? "Mexico's review found a denial of rights" : "Mexico's review found no denial of rights");
        return true;
    }

    // ---------------------------------------------------------------- remediation

    /// <summary>
    /// A course of remediation. <paramref name="completionDate"/> null: an imported history whose record does not give
    /// the agreed completion date (no completion clock runs).
    /// </summary>
    public bool AgreeRemediationPlan(ActContext ctx, DateOnly? completionDate, IReadOnlyList<string> actions)
    {
        if (Begin(CaseAct.AgreeRemediation, ctx, $"{completionDate:yyyy-MM-dd}|{string.Join('|', actions)}") is not { } fp) return false;
        if (completionDate < ctx.Date)
            throw new RequestValidationException([new("completion_date", $"must not be before the plan's date ({ctx.Date:yyyy-MM-dd})")]);
        PlanAgreedOn = ctx.Date;
        PlanCompletionDate = completionDate;
        foreach (var description in actions) Actions.Add(new RemediationAction(Actions.Count + 1, description));
        Complete(CaseAct.AgreeRemediation, ctx, fp, $"Course of remediation agreed: {actions.Count} action(s), to be completed by " +
            (completionDate is { } due ? $"{due:yyyy-MM-dd}" : "a date the record does not give"));
        return true;
    }

    /// <summary>
    /// Progress on a remediation action. <paramref name="actionNumber"/> names an action of the plan; without
    /// one, the action is added (remediation Mexico carries out during its review, without a formal plan).
    /// </summary>
    public bool RecordRemediationProgress(ActContext ctx, int? actionNumber, string description, ActionStatus status, string evidence)
    {
        if (Begin(CaseAct.RecordRemediationProgress, ctx, $"{actionNumber}|{description}|{status}|{evidence}") is not { } fp) return false;
        RemediationAction action;
        if (actionNumber is { } number)
        {
            action = Actions.SingleOrDefault(a => a.Number == number)
                ?? throw new RequestValidationException([new("action_number", $"the case has no remediation action {number} (it has {Actions.Count})")]);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(description))
                throw new RequestValidationException([new("description", "is required for an action not in the plan")]);
            if (Actions.Count >= MaxActions)
                throw new RequestValidationException([new("description", $"a case has at most {MaxActions} remediation actions")]);
            action = new RemediationAction(Actions.Count + 1, description);
            Actions.Add(action);
        }
        action.Status = status;
        action.Notes.Add(new ActionNote(ctx.Date, status, ctx.Note, evidence));
        Complete(CaseAct.RecordRemediationProgress, ctx, fp, $"Remediation action {action.Number} ({action.Description}): {Describe(status)}");
        return true;
    }

    public bool CompleteRemediation(ActContext ctx)
    {
        if (Begin(CaseAct.CompleteRemediation, ctx, "") is not { } fp) return false;
        Complete(CaseAct.CompleteRemediation, ctx, fp, "The United States confirmed the course of remediation completed");
        return true;
    }

    public bool EndConsultationWithoutAgreement(ActContext ctx)
    {
        if (Begin(CaseAct.EndConsultationWithoutAgreement, ctx, "") is not { } fp) return false;
        RequireAfterDue(DeadlineKind.RemediationConsultation, ctx, "the consultation on remediation runs");
        Complete(CaseAct.EndConsultationWithoutAgreement, ctx, fp,
            $"No course of remediation agreed within {TreatyPeriods.RemediationConsultationCalendarDays} days; a panel may be requested");
        return true;
    }

    public bool GivePanelNotice(ActContext ctx)
    {
        if (Begin(CaseAct.GivePanelNotice, ctx, "") is not { } fp) return false;
        RequireAfterDue(DeadlineKind.RemediationCompletion, ctx, "the remediation may be completed");
        Complete(CaseAct.GivePanelNotice, ctx, fp, "Notice given that the course of remediation was not completed in the agreed time");
        return true;
    }

    public bool Resolve(ActContext ctx)
    {
        if (Begin(CaseAct.Resolve, ctx, "") is not { } fp) return false;
        ResolvedOn = ctx.Date;
        ClosedOn = ctx.Date;
        Complete(CaseAct.Resolve, ctx, fp, "Resolved: the Parties agree there is no ongoing denial of rights");
        ResumeLiquidation(ctx);
        return true;
    }

    // ---------------------------------------------------------------- panel

    public bool RequestPanel(ActContext ctx, string secretariatCaseNumber)
    {
        if (Begin(CaseAct.RequestPanel, ctx, secretariatCaseNumber) is not { } fp) return false;
        PanelRequestedOn = ctx.Date;
        PanelCaseNumber = secretariatCaseNumber;
        Complete(CaseAct.RequestPanel, ctx, fp, "Rapid Response Labor Panel requested" +
            (secretariatCaseNumber.Length > 0 ? $" ({secretariatCaseNumber})" : ""));
        return true;
    }

    public bool ConstitutePanel(ActContext ctx, IReadOnlyList<string> panelists)
    {
        if (Begin(CaseAct.ConstitutePanel, ctx, string.Join('|', panelists)) is not { } fp) return false;
        Panelists = [.. panelists];
        Complete(CaseAct.ConstitutePanel, ctx, fp, "Panel constituted" + (panelists.Count > 0 ? ": " + string.Join(", ", panelists) : ""));
        return true;
    }

    public bool RequestVerification(ActContext ctx)
    {
        if (Begin(CaseAct.RequestVerification, ctx, "") is not { } fp) return false;
        Complete(CaseAct.RequestVerification, ctx, fp, "The panel asked Mexico to allow an on-site verification");
        return true;
    }

    public bool RecordVerificationResponse(ActContext ctx, bool consented)
    {
        var act = consented ? CaseAct.VerificationConsented : CaseAct.VerificationRefused;
        if (Begin(act, ctx, "") is not { } fp) return false;
        Complete(act, ctx, fp, consented ? "Mexico consented to the verification" : "Mexico refused the verification or did not answer");
        return true;
    }

    public bool HoldVerification(ActContext ctx)
    {
        if (Begin(CaseAct.HoldVerification, ctx, "") is not { } fp) return false;
        Complete(CaseAct.HoldVerification, ctx, fp, "The on-site verification was held");
        return true;
    }

    public bool RecordPanelDetermination(ActContext ctx, bool denialFound)
    {
        var act = denialFound ? CaseAct.PanelFindsDenial : CaseAct.PanelFindsNoDenial;
        if (Begin(act, ctx, "") is not { } fp) return false;
        PanelDeterminedOn = ctx.Date;
        PanelFoundDenial = denialFound;
        if (!denialFound) ClosedOn = ctx.Date;
        Complete(act, ctx, fp, denialFound
            ? "Panel determination: a denial of rights exists; report to the committees, the Labor Advisory Committee and the petitioner"
            : "Panel determination: no denial of rights; report to the committees, the Labor Advisory Committee and the petitioner");
        if (!denialFound) ResumeLiquidation(ctx);
        return true;
    }

    // ---------------------------------------------------------------- remedies

    /// <summary>
    /// Imposes a remedy. Denial of entry needs <see cref="TreatyPeriods.PriorDenialsForEntryDenial"/> earlier panel
    /// determinations of a denial of rights for the facility; <paramref name="priorDenials"/> is that count.
    /// </summary>
    public bool ImposeRemedy(ActContext ctx, RemedyKind kind, string description, int priorDenials)
    {
        if (Begin(CaseAct.ImposeRemedy, ctx, $"{kind}|{description}") is not { } fp) return false;
        if (kind == RemedyKind.EntryDenial && priorDenials < TreatyPeriods.PriorDenialsForEntryDenial)
            throw new InvalidStateTransitionException(
                $"Denial of entry needs {TreatyPeriods.PriorDenialsForEntryDenial} prior panel determinations of a denial of rights " +
                $"for this facility; it has {priorDenials}.");
        if (RemediesInForce.Any(r => r.Kind == kind))
            throw new InvalidStateTransitionException($"A remedy of this kind ({Remedy.Describe(kind)}) is already in force on the case.");
        var remedy = new Remedy(Guid.CreateVersion7(ctx.RecordedAt), kind, description, ctx.Date);
        Remedies.Add(remedy);
        Complete(CaseAct.ImposeRemedy, ctx, fp, $"Remedy imposed: {Remedy.Describe(kind)}" + (description.Length > 0 ? $" ({description})" : ""));
        return true;
    }

    /// <summary>The denial of rights is remedied: every remedy in force is lifted (19 U.S.C. 4693(b)).</summary>
    public bool LiftRemedies(ActContext ctx)
    {
        if (Begin(CaseAct.LiftRemedies, ctx, "") is not { } fp) return false;
        var lifted = RemediesInForce.ToList();
        foreach (var remedy in lifted) remedy.LiftedOn = ctx.Date;
        ClosedOn = ctx.Date;
        Complete(CaseAct.LiftRemedies, ctx, fp, "The denial of rights is remedied; remedies lifted: " +
            string.Join(", ", lifted.Select(r => Remedy.Describe(r.Kind))));
        ResumeLiquidation(ctx);
        return true;
    }

    // ---------------------------------------------------------------- closing

    public bool Close(ActContext ctx, string reason, bool resumeLiquidation)
    {
        if (Begin(CaseAct.Close, ctx, $"{reason}|{resumeLiquidation}") is not { } fp) return false;
        ClosedOn = ctx.Date;
        ClosureReason = reason;
        Complete(CaseAct.Close, ctx, fp, $"Closed: {reason}");
        if (resumeLiquidation) ResumeLiquidation(ctx);
        return true;
    }

    // ---------------------------------------------------------------- clocks

    /// <summary>
    /// The scheduler found <paramref name="kind"/>'s due date passed on <paramref name="today"/>: raises the
    /// missed-deadline alert, unless the awaited act is recorded or the deadline no longer runs.
    /// </summary>
    public bool MarkDeadlineMissed(DeadlineKind kind, DateOnly dueDate, DateOnly today, DateTimeOffset now)
    {
        if (RunningOnTime(kind, dueDate) is not { Rule.WaitingPeriod: false } deadline || today <= dueDate) return false;
        deadline.Status = DeadlineStatus.Overdue;
        Alert(TimelineKind.DeadlineMissed, deadline, today, now, $"Missed: {deadline.Rule.Description} by {dueDate:yyyy-MM-dd}; nothing is recorded");
        return true;
    }

    /// <summary>A reminder that <paramref name="kind"/> is due in <paramref name="daysLeft"/> days, while it still runs on time.</summary>
    public bool RemindOfDeadline(DeadlineKind kind, DateOnly dueDate, int daysLeft, DateOnly today, DateTimeOffset now)
    {
        if (RunningOnTime(kind, dueDate) is not { } deadline || today > dueDate) return false;
        Alert(TimelineKind.DeadlineApproaching, deadline, today, now, $"Due in {daysLeft} day(s): {deadline.Rule.Description} by {dueDate:yyyy-MM-dd}");
        return true;
    }

    /// <summary>Who records alerts on timelines.</summary>
    public const string Scheduler = "scheduler";

    /// <summary>Who records lapses on timelines: the passing of a treaty period, not a person.</summary>
    public const string TreatyClock = "treaty clock";

    private CaseDeadline? RunningOnTime(DeadlineKind kind, DateOnly dueDate) =>
        Running(kind) is { Status: DeadlineStatus.Open } d && d.DueDate == dueDate ? d : null;

    private void Alert(TimelineKind kind, CaseDeadline deadline, DateOnly today, DateTimeOffset now, string summary) =>
        Append(kind, null, new ActContext(today, null, "", Scheduler, now, new BusinessCalendar()), summary, deadline);

    // ---------------------------------------------------------------- the one path of every act

    /// <summary>
    /// Checks an act before anything changes and returns its fingerprint: null when it repeats the last act
    /// exactly (nothing to do);
    /// throws when the state does not allow it or its date is before the case's last act.
    /// </summary>
    private string? Begin(CaseAct act, ActContext ctx, string data)
    {
        LastRecordedAct = null;
        var fingerprint = Fingerprint(act, ctx, data);
        if (fingerprint == LastActFingerprint || fingerprint == PendingLapse?.PreviousFingerprint) return null;
        if (PendingLapse is { } lapse && Supersedes(lapse, act, ctx)) UndoLapse(lapse, act, ctx);
        LapseUntil(ctx.Date, act, ctx);
        CaseStateMachine.Next(State, act);
        if (TimelineLength > 0 && ctx.Date < LastActDate)
            throw new RequestValidationException([new(ActContext.DateField,
                $"must not be before the case's last act ({LastActDate:yyyy-MM-dd}); acts are recorded in date order")]);
        foreach (var kind in CaseStateMachine.ClocksOf(act).Meets)
            if (Running(kind) is { Rule.WaitingPeriod: true } wait && ctx.Date < wait.DueDate)
                throw new InvalidStateTransitionException(
                    $"{wait.Rule.Description}: the case cannot be {CaseStateMachine.Describe(act)} before {wait.DueDate:yyyy-MM-dd}.");
        return fingerprint;
    }

    /// <summary>Records a checked act: the new state, its timeline entry, and the clocks it moves.</summary>
    private void Complete(CaseAct act, ActContext ctx, string fingerprint, string summary, string? confidential = null, CaseDeadline? lapsed = null)
    {
        State = CaseStateMachine.Next(State, act);
        LastActDate = ctx.Date;
        LastActFingerprint = fingerprint;
        LastRecordedAct = act;
        PendingLapse = null;
        RecordedActs.Add(new RecordedAct(act, ctx, NewEntries.Count, lapsed?.Kind, lapsed?.DueDate));
        Append(TimelineKind.Act, act, ctx, summary, confidential: confidential);
        if (lapsed is not null) Append(TimelineKind.DeadlineLapsed, null, ctx, $"Lapsed: {lapsed.Rule.Description}; not done by {lapsed.DueDate:yyyy-MM-dd}", lapsed);

        var clocks = CaseStateMachine.ClocksOf(act);
        foreach (var kind in clocks.Meets) if (Running(kind) is { } d) CloseDeadline(d, ctx, awaited: true);
        foreach (var kind in clocks.Cancels) if (Running(kind) is { } d) CloseDeadline(d, ctx, awaited: false);
        if (CaseStateMachine.IsTerminal(State))
            foreach (var d in Deadlines.Where(d => d.IsRunning).ToList())
                if (State == CaseState.Resolved) EndByResolution(d, ctx);
                else CloseDeadline(d, ctx, awaited: false);
        foreach (var kind in clocks.Starts.Where(k => k != DeadlineKind.RemediationCompletion || PlanCompletionDate is not null)) StartDeadline(kind, ctx);
    }

    // ---------------------------------------------------------------- lapses (ADR 0007)

    /// <summary>
    /// Records the lapse of every treaty period that ended before <paramref name="today"/> without its awaited act
    /// (the scheduler's path, and the end of an import); false when none had.
    /// </summary>
    public bool RecordLapses(DateOnly today, DateTimeOffset now, BusinessCalendar calendar, bool replayed = false)
    {
        LastRecordedAct = null;
        var before = RecordedActs.Count;
        LapseUntil(today, null, new ActContext(today, null, "", Scheduler, now, calendar, replayed));
        return RecordedActs.Count > before;
    }

    /// <summary>
    /// Time passes before an act dated <paramref name="date"/>: each lapsing period that ended before that date takes
    /// effect, in due-date order, unless <paramref name="act"/> is the act it awaits (then the act is late) or the
    /// lapse itself recorded explicitly.
    /// </summary>
    private void LapseUntil(DateOnly date, CaseAct? act, ActContext outer)
    {
        while (Deadlines.Where(d => d.IsRunning && d.DueDate < date && LapseOf(d) is { } lapseAct && lapseAct != act
                   && !(act is { } a && CaseStateMachine.ClocksOf(a).Meets.Contains(d.Kind)))
               .OrderBy(d => d.DueDate).FirstOrDefault() is { } due)
            Lapse(due, outer);
    }

    /// <summary>The act <paramref name="d"/>'s lapse is, when the period lapses at all and the case's state allows it.</summary>
    private CaseAct? LapseOf(CaseDeadline d) =>
        CaseStateMachine.Lapses.TryGetValue(d.Kind, out var act) && CaseStateMachine.Transitions.ContainsKey((State, act)) ? act : null;

    private void Lapse(CaseDeadline d, ActContext outer)
    {
        var act = CaseStateMachine.Lapses[d.Kind];
        var ctx = new ActContext(d.DueDate.AddDays(1), null, "", TreatyClock, outer.RecordedAt, outer.Calendar, outer.Replayed);
        var clocks = CaseStateMachine.ClocksOf(act);
        var closed = clocks.Meets.Concat(clocks.Cancels).Where(k => k != d.Kind && Running(k) is not null).Prepend(d.Kind).ToArray();
        var lapse = new CaseLapse(d.Kind, act, d.DueDate, State, LastActDate, LastActFingerprint, closed);
        d.Status = DeadlineStatus.Lapsed;
        d.ClosedOn = ctx.Date;
        Complete(act, ctx, Fingerprint(act, ctx, "lapse"), LapseSummary(d), lapsed: d);
        PendingLapse = lapse;
    }

    private static string LapseSummary(CaseDeadline d) => d.Kind switch
    {
        DeadlineKind.MexicoAnswer => $"Mexico did not answer by {d.DueDate:yyyy-MM-dd} whether it will conduct the review; a panel may be requested",
        DeadlineKind.MexicoReview => $"Mexico's review period ended {d.DueDate:yyyy-MM-dd} with no findings recorded; a panel may be requested",
        _ => $"No course of remediation agreed by {d.DueDate:yyyy-MM-dd}; a panel may be requested",
    };

    /// <summary>
    /// An act supersedes the pending lapse when it is dated inside the lapsed period (the lapse had not happened
    /// then), when it is the lapse's own act recorded explicitly, or when it is the awaited act, late, and the
    /// lapsed state does not allow it.
    /// </summary>
    private bool Supersedes(CaseLapse lapse, CaseAct act, ActContext ctx) =>
        ctx.Date <= lapse.DueDate || act == lapse.Act
        || (CaseStateMachine.ClocksOf(act).Meets.Contains(lapse.Kind) && !CaseStateMachine.Transitions.ContainsKey((State, act)));

    private void UndoLapse(CaseLapse lapse, CaseAct act, ActContext ctx)
    {
        State = lapse.From;
        LastActDate = lapse.PreviousActDate;
        LastActFingerprint = lapse.PreviousFingerprint;
        PendingLapse = null;
        foreach (var kind in lapse.Closed)
        {
            var d = Deadlines.Last(x => x.Kind == kind && x.ClosedOn == lapse.Date);
            d.Status = DeadlineStatus.Open;
            d.ClosedOn = null;
            Append(TimelineKind.LapseSuperseded, null, ctx, kind == lapse.Kind
                ? $"Superseded: the lapse recorded on {lapse.Date:yyyy-MM-dd} no longer applies; the case is {CaseStateMachine.Describe(act)} with an act dated {ctx.Date:yyyy-MM-dd}"
                : $"Runs again: {d.Rule.Description} by {d.DueDate:yyyy-MM-dd}", d);
        }
    }

    private void EndByResolution(CaseDeadline d, ActContext ctx)
    {
        d.Status = DeadlineStatus.EndedByResolution;
        d.ClosedOn = ctx.Date;
        Append(TimelineKind.DeadlineEnded, null, ctx, $"Ended by the resolution: {d.Rule.Description} (due {d.DueDate:yyyy-MM-dd})", d);
    }

    private void StartDeadline(DeadlineKind kind, ActContext ctx)
    {
        if (Running(kind) is { } earlier) CloseDeadline(earlier, ctx, awaited: false);
        var rule = DeadlineRule.All[kind];
        var start = ctx.Date;
        var due = kind == DeadlineKind.RemediationCompletion ? PlanCompletionDate!.Value : rule.DueFrom(start, ctx.Calendar);
        var deadline = new CaseDeadline(kind, start, due);
        Deadlines.Add(deadline);
        Append(TimelineKind.DeadlineStarted, null, ctx, rule.WaitingPeriod
            ? $"{rule.Description}: runs until {due:yyyy-MM-dd}"
            : $"Due {due:yyyy-MM-dd}: {rule.Description} ({Length(rule)} from {start:yyyy-MM-dd})", deadline);
    }

    private void CloseDeadline(CaseDeadline d, ActContext ctx, bool awaited)
    {
        var alerted = d.Status == DeadlineStatus.Overdue;
        (d.Status, var kind, var summary) = (awaited, d.Rule.WaitingPeriod, ctx.Date <= d.DueDate) switch
        {
            (true, true, _) => (DeadlineStatus.Met, TimelineKind.DeadlineMet, $"Ended {d.DueDate:yyyy-MM-dd}: {d.Rule.Description}"),
            (true, false, true) => (DeadlineStatus.Met, TimelineKind.DeadlineMet, alerted
                ? $"Met after all: {d.Rule.Description} is dated {ctx.Date:yyyy-MM-dd}, within the deadline of {d.DueDate:yyyy-MM-dd}; this supersedes the missed-deadline alert"
                : $"Met: {d.Rule.Description} by {d.DueDate:yyyy-MM-dd}"),
            (true, false, false) => (DeadlineStatus.Late, TimelineKind.DeadlineLate,
                $"Late: {d.Rule.Description} was due {d.DueDate:yyyy-MM-dd}, done {ctx.Date:yyyy-MM-dd} ({ctx.Date.DayNumber - d.DueDate.DayNumber} day(s) late)"),
            (false, false, false) => (DeadlineStatus.Missed, TimelineKind.DeadlineMissed, $"Missed: {d.Rule.Description} by {d.DueDate:yyyy-MM-dd}; no longer awaited"),
            _ => (DeadlineStatus.Cancelled, TimelineKind.DeadlineCancelled, $"No longer applies: {d.Rule.Description}"),
        };
        d.ClosedOn = ctx.Date;
        Append(kind, null, ctx, summary, d);
    }

    private void ResumeLiquidation(ActContext ctx)
    {
        if (!LiquidationSuspended) return;
        LiquidationSuspended = false;
        Append(TimelineKind.LiquidationResumed, null, ctx,
            "USTR notified Treasury to resume liquidation; CBP liquidates the held entries within 6 months of the notice (19 U.S.C. 1504(d))");
    }

    private void Append(TimelineKind kind, CaseAct? act, ActContext ctx, string summary, CaseDeadline? deadline = null, string? confidential = null) =>
        NewEntries.Add(new TimelineEntry(Id, ++TimelineLength, kind, act, State, ctx.Date, ctx.AnnouncedDate, ctx.RecordedAt, ctx.RecordedBy,
            summary, kind == TimelineKind.Act ? ctx.Note : "", deadline?.Kind, deadline?.DueDate, confidential, kind == TimelineKind.Act ? ctx.Source : ""));

    private void RequireAfterDue(DeadlineKind kind, ActContext ctx, string what)
    {
        if (Running(kind) is { } d && ctx.Date <= d.DueDate)
            throw new InvalidStateTransitionException($"Until {d.DueDate:yyyy-MM-dd} {what}; this act is possible only after that date.");
    }

    private static string Fingerprint(CaseAct act, ActContext ctx, string data) => $"{act}|{ctx.Date:yyyy-MM-dd}|{ctx.Note}|{data}";

    private static string Length(DeadlineRule rule) => $"{rule.Length} {(rule.BusinessDays ? "business" : "calendar")} days";

    private static string Describe(ActionStatus status) => status switch
    {
        ActionStatus.Planned => "planned",
        ActionStatus.InProgress => "in progress",
        _ => "completed",
    };
}

/// <summary>An act recorded in this unit of work: its context, where its entries start, and the period it lapsed, if it is a lapse.</summary>
public sealed record RecordedAct(CaseAct Act, ActContext Context, int FirstEntry, DeadlineKind? Lapsed = null, DateOnly? LapsedDueDate = null);

/// <summary>
/// What a lapse changed, so that an act dated inside the period can undo it: the state and last act before it and
/// the clocks it closed (the lapsed one first).
/// </summary>
public sealed record CaseLapse(DeadlineKind Kind, CaseAct Act, DateOnly DueDate, CaseState From, DateOnly PreviousActDate,
    string PreviousFingerprint, DeadlineKind[] Closed)
{
    /// <summary>The lapse's own date: the day after the period's last.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateOnly Date => DueDate.AddDays(1);
}
