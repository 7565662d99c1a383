using Rrm.Review.Domain;
using Rrm.ServiceDefaults.Errors;

namespace Rrm.Review.Tests;

/// <summary>The clocks and rules of a case, without servers (DOMAIN.md §3, §9; DESIGN.md §5 backfill rules).</summary>
public sealed class EnforcementCaseTests
{
    private static ActContext On(int year, int month, int day, string note = "") => Cases.At(new DateOnly(year, month, day), note);

    private static EnforcementCase ImproRequested()
    {
        var c = EnforcementCase.OpenOnPetition(Guid.NewGuid(), Cases.Facility(), new DateOnly(2024, 6, 24), On(2024, 7, 24));
        c.RequestReview(On(2024, 7, 26), suspendLiquidation: true);
        return c;
    }

    private static CaseDeadline Last(EnforcementCase c, DeadlineKind kind) => c.Deadlines.Last(d => d.Kind == kind);

    [Fact]
    public void The_Impro_request_of_July_26_2024_is_answered_by_August_5_and_reviewed_by_September_9()
    {
        var c = ImproRequested();

        Assert.Equal(new DateOnly(2024, 8, 5), c.Running(DeadlineKind.MexicoAnswer)!.DueDate);
        Assert.Equal(new DateOnly(2024, 9, 9), c.Running(DeadlineKind.MexicoReview)!.DueDate);
        Assert.Equal(new DateOnly(2024, 9, 22), c.Running(DeadlineKind.UstrPanelDecision)!.DueDate);
        Assert.True(c.LiquidationSuspended);
    }

    [Fact]
    public void The_Impro_case_ends_resolved_with_liquidation_suspended_then_resumed_on_its_timeline()
    {
        var c = ImproRequested();
        c.RecordMexicoResponse(On(2024, 8, 5), MexicoResponse.Accepted);
        c.RecordRemediationProgress(On(2024, 9, 10), null, "Reinstatement of the dismissed worker with back pay", ActionStatus.Completed, "");
        c.Resolve(On(2024, 9, 17));

        Assert.Equal(CaseState.Resolved, c.State);
        Assert.False(c.LiquidationSuspended);
        Assert.Equal(DeadlineStatus.Met, Last(c, DeadlineKind.MexicoAnswer).Status);
        Assert.Equal(DeadlineStatus.Met, Last(c, DeadlineKind.UstrPanelDecision).Status);
        // Mexico's review was due September 9 and no findings are recorded: the period lapsed before the September 17
        // resolution; no record says Mexico was late, and no clock says so.
        Assert.Equal(DeadlineStatus.Lapsed, Last(c, DeadlineKind.MexicoReview).Status);
        Assert.DoesNotContain(c.Deadlines, d => d.Status == DeadlineStatus.Late);
        Assert.Contains(c.NewEntries, e => e.Act == CaseAct.MexicoReviewLapses && e.EffectiveDate == new DateOnly(2024, 9, 10)
            && e.Summary.Contains("review period ended 2024-09-09 with no findings recorded"));
        var kinds = c.NewEntries.Select(e => e.Kind).ToList();
        Assert.Equal(1, kinds.Count(k => k == TimelineKind.LiquidationSuspended));
        Assert.Equal(1, kinds.Count(k => k == TimelineKind.LiquidationResumed));
        Assert.True(kinds.IndexOf(TimelineKind.LiquidationSuspended) < kinds.IndexOf(TimelineKind.LiquidationResumed));
        Assert.Equal(Enumerable.Range(1, c.NewEntries.Count), c.NewEntries.Select(e => e.Position));
        Assert.DoesNotContain(c.Deadlines, d => d.IsRunning);
    }

    [Fact]
    public void A_late_recorded_answer_dated_within_the_deadline_supersedes_the_missed_alert()
    {
        var c = ImproRequested();
        Assert.False(c.MarkDeadlineMissed(DeadlineKind.MexicoAnswer, new DateOnly(2024, 8, 5), new DateOnly(2024, 8, 5), DateTimeOffset.UtcNow));
        Assert.True(c.MarkDeadlineMissed(DeadlineKind.MexicoAnswer, new DateOnly(2024, 8, 5), new DateOnly(2024, 8, 6), DateTimeOffset.UtcNow));
        Assert.Equal(DeadlineStatus.Overdue, c.Running(DeadlineKind.MexicoAnswer)!.Status);

        c.RecordMexicoResponse(On(2024, 8, 4), MexicoResponse.Accepted);

        Assert.Equal(DeadlineStatus.Met, Last(c, DeadlineKind.MexicoAnswer).Status);
        Assert.Single(c.NewEntries, e => e.Kind == TimelineKind.DeadlineMissed);
        Assert.Contains(c.NewEntries, e => e.Kind == TimelineKind.DeadlineMet && e.Summary.Contains("supersedes the missed-deadline alert"));
    }

    [Fact]
    public void An_answer_dated_after_the_deadline_is_recorded_as_late()
    {
        var c = ImproRequested();

        c.RecordMexicoResponse(On(2024, 8, 7), MexicoResponse.Accepted);

        Assert.Equal(DeadlineStatus.Late, Last(c, DeadlineKind.MexicoAnswer).Status);
        Assert.Contains(c.NewEntries, e => e.Kind == TimelineKind.DeadlineLate && e.Summary.Contains("2 day(s) late"));
    }

    [Fact]
    public void No_alert_for_a_deadline_already_met_or_for_a_date_not_yet_past()
    {
        var c = ImproRequested();
        c.RecordMexicoResponse(On(2024, 8, 1), MexicoResponse.Accepted);

        Assert.False(c.MarkDeadlineMissed(DeadlineKind.MexicoAnswer, new DateOnly(2024, 8, 5), new DateOnly(2024, 8, 6), DateTimeOffset.UtcNow));
        Assert.False(c.MarkDeadlineMissed(DeadlineKind.MexicoReview, new DateOnly(2024, 9, 9), new DateOnly(2024, 9, 9), DateTimeOffset.UtcNow));
        Assert.DoesNotContain(c.NewEntries, e => e.Kind == TimelineKind.DeadlineMissed);
    }

    [Fact]
    public void No_answer_can_be_recorded_only_after_the_ten_days()
    {
        var c = ImproRequested();

        var early = Assert.Throws<InvalidStateTransitionException>(() => c.RecordMexicoResponse(On(2024, 8, 5), MexicoResponse.NoResponse));
        c.RecordMexicoResponse(On(2024, 8, 6), MexicoResponse.NoResponse);

        Assert.Contains("2024-08-05", early.Message);
        Assert.Equal(CaseState.MexicoDeclined, c.State);
        Assert.Equal(DeadlineStatus.Missed, Last(c, DeadlineKind.MexicoAnswer).Status);
        Assert.Equal(DeadlineStatus.Cancelled, Last(c, DeadlineKind.MexicoReview).Status);
    }

    [Fact]
    public void Remediation_has_ten_days_of_consultation_then_the_agreed_completion_date()
    {
        var c = ImproRequested();
        c.RecordMexicoResponse(On(2024, 8, 1), MexicoResponse.Accepted);
        c.RecordReviewFindings(On(2024, 9, 6), denialFound: true);
        Assert.Equal(new DateOnly(2024, 9, 16), c.Running(DeadlineKind.RemediationConsultation)!.DueDate);

        c.AgreeRemediationPlan(On(2024, 9, 13), new DateOnly(2024, 12, 31), ["Reinstatement", "Neutrality statement"]);

        Assert.Equal(DeadlineStatus.Met, Last(c, DeadlineKind.RemediationConsultation).Status);
        Assert.Equal(new DateOnly(2024, 12, 31), c.Running(DeadlineKind.RemediationCompletion)!.DueDate);
        Assert.Equal([1, 2], c.Actions.Select(a => a.Number));
        var early = Assert.Throws<InvalidStateTransitionException>(() => c.GivePanelNotice(On(2024, 12, 31)));
        Assert.Contains("2024-12-31", early.Message);
    }

    [Fact]
    public void A_panel_request_after_failed_remediation_waits_fifteen_days_from_the_notice()
    {
        var (c, last) = Cases.In(CaseState.PanelNoticeGiven);
        var endsOn = c.Running(DeadlineKind.PanelNotice)!.DueDate;
        Assert.Equal(last.AddDays(15), endsOn);

        Assert.Throws<InvalidStateTransitionException>(() => c.RequestPanel(Cases.At(endsOn.AddDays(-1)), ""));
        c.RequestPanel(Cases.At(endsOn), "");

        Assert.Equal(CaseState.PanelRequested, c.State);
        Assert.Equal(DeadlineStatus.Met, Last(c, DeadlineKind.PanelNotice).Status);
    }

    [Fact]
    public void Panel_clocks_count_business_days_skipping_weekends_and_holidays()
    {
        var (c, _) = Cases.In(CaseState.MexicoDeclined);
        c.RequestPanel(On(2024, 12, 20), ""); // a Friday; Christmas falls on the following Wednesday

        Assert.Equal(new DateOnly(2024, 12, 26), c.Running(DeadlineKind.PanelSelection)!.DueDate);
        c.ConstitutePanel(On(2024, 12, 26), ["A", "B", "C"]);
        // 5 business days from Thursday December 26: 27, 30, 31, January 2, 3 (New Year's Day skipped).
        Assert.Equal(new DateOnly(2025, 1, 3), c.Running(DeadlineKind.PanelConfirmation)!.DueDate);
        Assert.Equal(new DateOnly(2025, 1, 25), c.Running(DeadlineKind.PanelDetermination)!.DueDate);
    }

    [Fact]
    public void Configured_holidays_are_skipped_too()
    {
        var calendar = new BusinessCalendar([new DateOnly(2025, 3, 17)]); // Natalicio de Benito Juárez, observed
        Assert.Equal(new DateOnly(2025, 3, 20), calendar.AddBusinessDays(new DateOnly(2025, 3, 14), 3));
        Assert.Equal(new DateOnly(2025, 3, 19), new BusinessCalendar().AddBusinessDays(new DateOnly(2025, 3, 14), 3));
    }

    [Theory]
    [InlineData("2024-01-01", true)]
    [InlineData("2024-01-15", true)]  // Martin Luther King, Jr. Day: third Monday of January
    [InlineData("2024-05-27", true)]  // Memorial Day: last Monday of May
    [InlineData("2024-06-19", true)]  // Juneteenth
    [InlineData("2020-06-19", false)] // before Juneteenth became a federal holiday
    [InlineData("2024-11-28", true)]  // Thanksgiving: fourth Thursday of November
    [InlineData("2026-07-03", true)]  // July 4, 2026 is a Saturday: observed Friday
    [InlineData("2021-12-31", true)]  // January 1, 2022 is a Saturday: observed the Friday before
    [InlineData("2023-01-02", true)]  // January 1, 2023 is a Sunday: observed Monday
    [InlineData("2024-07-05", false)]
    public void Federal_holidays_follow_5_USC_6103(string date, bool holiday) =>
        Assert.Equal(holiday, BusinessCalendar.IsFederalHoliday(DateOnly.Parse(date)));

    [Fact]
    public void Remedies_wait_five_business_days_and_denial_of_entry_needs_two_prior_determinations()
    {
        var (c, last) = Cases.In(CaseState.RemedyNotice);
        var from = c.Running(DeadlineKind.RemedyNotice)!.DueDate;

        Assert.Throws<InvalidStateTransitionException>(() => c.ImposeRemedy(Cases.At(from.AddDays(-1)), RemedyKind.Penalty, "", 0));
        var entry = Assert.Throws<InvalidStateTransitionException>(() => c.ImposeRemedy(Cases.At(from), RemedyKind.EntryDenial, "", priorDenials: 1));
        c.ImposeRemedy(Cases.At(from), RemedyKind.EntryDenial, "all goods of the facility", priorDenials: 2);

        Assert.Contains("2 prior panel determinations", entry.Message);
        Assert.Equal(CaseState.RemediesInForce, c.State);
        Assert.True(from > last);
    }

    [Fact]
    public void Lifting_remedies_lifts_them_all_and_resumes_liquidation()
    {
        var (c, last) = Cases.In(CaseState.RemediesInForce);
        c.ImposeRemedy(Cases.At(last), RemedyKind.PreferenceSuspension, "", 0);

        c.LiftRemedies(Cases.At(last.AddDays(100)));

        Assert.Equal(CaseState.RemediesLifted, c.State);
        Assert.All(c.Remedies, r => Assert.Equal(last.AddDays(100), r.LiftedOn));
        Assert.False(c.LiquidationSuspended);
        Assert.Contains(c.LastActEntries, e => e.Kind == TimelineKind.LiquidationResumed);
    }

    [Fact]
    public void Acts_are_recorded_in_date_order()
    {
        var c = ImproRequested();

        var error = Assert.Throws<RequestValidationException>(() => c.RecordMexicoResponse(On(2024, 7, 25), MexicoResponse.Accepted));

        Assert.Equal(ActContext.DateField, Assert.Single(error.Violations).Field);
        Assert.Equal(CaseState.ReviewRequested, c.State);
    }

    [Fact]
    public void Repeating_the_last_act_with_the_same_data_changes_nothing()
    {
        var c = ImproRequested();
        c.RecordMexicoResponse(On(2024, 8, 1), MexicoResponse.Accepted);
        var entries = c.NewEntries.Count;

        Assert.False(c.RecordMexicoResponse(On(2024, 8, 1), MexicoResponse.Accepted));
        Assert.Null(c.LastRecordedAct);
        Assert.Equal(entries, c.NewEntries.Count);
        Assert.Throws<InvalidStateTransitionException>(() => c.RecordMexicoResponse(On(2024, 8, 2), MexicoResponse.Accepted));
    }

    [Fact]
    public void Closing_keeps_or_resumes_liquidation_as_decided()
    {
        var kept = ImproRequested();
        var resumed = ImproRequested();

        kept.Close(On(2024, 8, 1), "The plant closed", resumeLiquidation: false);
        resumed.Close(On(2024, 8, 1), "The plant closed", resumeLiquidation: true);

        Assert.True(kept.LiquidationSuspended);
        Assert.False(resumed.LiquidationSuspended);
        Assert.All([kept, resumed], c => Assert.Equal(CaseState.ClosedOther, c.State));
        Assert.All([kept, resumed], c => Assert.DoesNotContain(c.Deadlines, d => d.IsRunning));
    }

    [Fact]
    public void Remediation_during_the_review_adds_actions_and_plan_actions_take_progress_notes()
    {
        var c = ImproRequested();
        c.RecordMexicoResponse(On(2024, 8, 1), MexicoResponse.Accepted);
        c.RecordRemediationProgress(On(2024, 8, 20), null, "Neutrality statement posted and explained to each worker", ActionStatus.Completed, "https://evidence.example/n.pdf");

        var missing = Assert.Throws<RequestValidationException>(() =>
            c.RecordRemediationProgress(On(2024, 8, 21), 7, "", ActionStatus.InProgress, ""));
        c.RecordRemediationProgress(On(2024, 8, 22), 1, "", ActionStatus.Completed, "https://evidence.example/n2.pdf");

        Assert.Equal("action_number", Assert.Single(missing.Violations).Field);
        var action = Assert.Single(c.Actions);
        Assert.Equal(2, action.Notes.Count);
        Assert.Equal(CaseState.UnderMexicanReview, c.State);
    }

    // ---------------------------------------------------------------- lapses (ADR 0007)

    private static DateTimeOffset Now => new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_answer_recorded_after_the_lapse_but_dated_after_the_ten_days_is_late_and_takes_the_lapse_back()
    {
        var c = ImproRequested();
        Assert.True(c.RecordLapses(new DateOnly(2024, 8, 6), Now, Cases.Calendar));
        Assert.Equal(CaseState.MexicoDeclined, c.State);

        c.RecordMexicoResponse(On(2024, 8, 8), MexicoResponse.Accepted);

        Assert.Equal(CaseState.UnderMexicanReview, c.State);
        Assert.Equal(DeadlineStatus.Late, Last(c, DeadlineKind.MexicoAnswer).Status);
        Assert.Equal(DeadlineStatus.Open, Last(c, DeadlineKind.MexicoReview).Status);
        Assert.Contains(c.NewEntries, e => e.Kind == TimelineKind.LapseSuperseded);
    }

    [Fact]
    public void A_lapse_is_recorded_once_and_an_act_the_treaty_then_allows_builds_on_it()
    {
        var c = ImproRequested();
        Assert.True(c.RecordLapses(new DateOnly(2024, 8, 20), Now, Cases.Calendar));
        Assert.False(c.RecordLapses(new DateOnly(2024, 8, 21), Now, Cases.Calendar));
        c.RequestPanel(On(2024, 8, 22), "");

        Assert.Equal(CaseState.PanelRequested, c.State);
        Assert.Single(c.NewEntries, e => e.Kind == TimelineKind.DeadlineLapsed);
        Assert.Null(c.PendingLapse);
    }

    [Fact]
    public void An_act_dated_before_a_lapse_is_judged_on_the_case_as_it_was_then()
    {
        var c = ImproRequested();
        c.RecordLapses(new DateOnly(2024, 8, 20), Now, Cases.Calendar);

        // On August 1 Mexico's answer was still awaited: no panel could be requested then.
        var error = Assert.Throws<InvalidStateTransitionException>(() => c.RequestPanel(On(2024, 8, 1), ""));
        Assert.Contains("awaiting Mexico's answer", error.Message);
    }

    [Fact]
    public void Repeating_the_act_before_a_lapse_changes_nothing()
    {
        var c = ImproRequested();
        c.RecordLapses(new DateOnly(2024, 8, 20), Now, Cases.Calendar);
        var entries = c.NewEntries.Count;

        Assert.False(c.RequestReview(On(2024, 7, 26), suspendLiquidation: true));
        Assert.Equal(CaseState.MexicoDeclined, c.State);
        Assert.Equal(entries, c.NewEntries.Count);
    }

    [Fact]
    public void Suspension_directed_after_the_request_takes_effect_from_its_date_and_only_once()
    {
        var c = EnforcementCase.SelfInitiate(Cases.Facility(), On(2024, 7, 1));
        c.RequestReview(On(2024, 7, 2), suspendLiquidation: false);
        c.SuspendLiquidation(On(2024, 7, 9));

        Assert.True(c.LiquidationSuspended);
        Assert.Contains(c.NewEntries, e => e.Kind == TimelineKind.LiquidationSuspended && e.EffectiveDate == new DateOnly(2024, 7, 9));
        Assert.Throws<InvalidStateTransitionException>(() => c.SuspendLiquidation(On(2024, 7, 10)));
    }
}
