using Rrm.Grpc.Review.V1;
using Rrm.Testing;
using static Rrm.Review.Tests.ReviewFixture;
using Outcome = Rrm.Grpc.Review.V1.CaseImportResult.Types.Outcome;

namespace Rrm.Review.Tests;

/// <summary>
/// Treaty periods that pass without the awaited act take effect (ADR 0007), through the RPCs with the scheduler on a
/// controlled clock, and through the importer with the same dated acts: both give the same case.
/// </summary>
public sealed class LapseTests(ClockedReviewFixture fixture) : IClassFixture<ClockedReviewFixture>
{
    private ReviewService.ReviewServiceClient Reviews => fixture.Reviews();

    /// <summary>Moves the clock to noon (Washington morning) of <paramref name="day"/>.</summary>
    private void Today(int year, int month, int day) => fixture.Clock.Set(new DateTimeOffset(year, month, day, 16, 0, 0, TimeSpan.Zero));

    private async Task<Case> GetAsync(string caseId) => (await Reviews.GetCaseAsync(new GetCaseRequest { CaseId = caseId }, Officer)).Case;

    /// <summary>
    /// A case requested on the given day, recorded that day, or later (<paramref name="recordedOn"/>: a backfill, whose
    /// clocks wait for the grace period). The tests move the clock past a due date only once the acts dated before it
    /// are recorded, so that the scheduler never races them.
    /// </summary>
    private async Task<Case> RequestedAsync(int year, int month, int day, DateOnly? recordedOn = null)
    {
        if (recordedOn is { } on) Today(on.Year, on.Month, on.Day);
        else Today(year, month, day);
        var opened = await fixture.OpenCaseAsync(D(year, month, day));
        return (await Reviews.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest
        {
            CaseId = opened.CaseId, Act = On(year, month, day), SuspendLiquidation = true,
        }, Officer)).Case;
    }

    /// <summary>Waits until the scheduler has recorded the lapse of <paramref name="deadline"/> on the case.</summary>
    private async Task<Case> LapsedAsync(string caseId, DeadlineKind deadline) =>
        await Eventually.GetAsync(() => GetAsync(caseId), c => c.Deadlines.Any(d => d.Kind == deadline && d.Status == DeadlineStatus.Lapsed),
            what: $"the lapse of {deadline}");

    /// <summary>Imports one case's history (rows "date,act,detail") and returns it.</summary>
    private async Task<Case> ImportAsync(string reference, params string[] rows)
    {
        var csv = "case_ref,facility,legal_name,city,state,sector,workers,date,act,detail\n" + string.Join("\n",
            rows.Select(r => $"{reference},Planta {reference},\"Planta {reference}, S.A. de C.V.\",Saltillo,Coahuila,auto parts,,{r}"));
        var result = (await Reviews.ImportCaseHistoryAsync(new ImportCaseHistoryRequest { Csv = csv }, Officer)).Results.Single();
        Assert.True(result.Outcome == Outcome.Imported, $"{reference}: line {result.Row}: {result.Reason}");
        return await GetAsync(result.CaseId);
    }

    /// <summary>What a case officer reads of a case: its state, its clocks and its dated acts (who recorded them aside).</summary>
    private static string Story(Case c) =>
        $"{c.State} | " + string.Join(", ", c.Deadlines.Select(d => $"{d.Kind}:{d.Status}")) + " | " +
        string.Join(", ", c.Timeline.Where(e => e.Kind == TimelineKind.Act).Select(e => $"{e.Act}@{e.EffectiveDate.Year}-{e.EffectiveDate.Month:00}-{e.EffectiveDate.Day:00}"));

    private static void AssertTheSame(Case live, Case imported) => Assert.Equal(Story(live), Story(imported));

    [Fact]
    public async Task Mexico_silent_lapses_after_ten_days_and_a_panel_may_then_be_requested()
    {
        var c = await RequestedAsync(2025, 1, 6); // the answer is due January 16

        Today(2025, 1, 17);
        var lapsed = await LapsedAsync(c.CaseId, DeadlineKind.MexicoAnswer);
        Assert.Equal(CaseState.MexicoDeclined, lapsed.State);
        Assert.Contains(lapsed.Timeline, e => e.Act == CaseAct.MexicoSilent && e.Summary == "Mexico did not answer by 2025-01-16 whether it will conduct the review; a panel may be requested");
        Assert.Equal(DeadlineStatus.Cancelled, lapsed.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoReview).Status);
        // No longer "awaiting Mexico's answer" anywhere a case officer looks.
        var awaiting = (await Reviews.ListCasesAsync(new ListCasesRequest { State = CaseState.ReviewRequested }, Officer)).Cases;
        Assert.DoesNotContain(awaiting, x => x.CaseId == c.CaseId);
        // This class's only case requested by January 18, 2025 counts as without Mexico's review on that day.
        var stats = await Reviews.GetStatisticsAsync(new GetStatisticsRequest { AsOf = D(2025, 1, 18) }, Officer);
        Assert.Equal(1, stats.Invocations);
        Assert.Equal([(CaseState.MexicoDeclined, 1)], stats.CasesByState.Select(s => (s.State, s.Cases)));

        Today(2025, 1, 20);
        var panel = (await Reviews.RequestPanelAsync(new RequestPanelRequest { CaseId = c.CaseId, Act = On(2025, 1, 20) }, Officer)).Case;
        Assert.Equal(CaseState.PanelRequested, panel.State);

        var imported = await ImportAsync("silent-2025", "2025-01-06,self_initiated,", "2025-01-06,request_for_review,suspend_liquidation", "2025-01-20,panel_requested,");
        AssertTheSame(await GetAsync(c.CaseId), imported);
    }

    [Fact]
    public async Task Mexico_finds_a_denial_the_consultation_lapses_and_a_panel_may_then_be_requested()
    {
        var c = await RequestedAsync(2025, 2, 3);
        Today(2025, 2, 10);
        await Reviews.RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = c.CaseId, Act = On(2025, 2, 10), Response = MexicoResponse.Accepted }, Officer);
        Today(2025, 3, 10);
        await Reviews.RecordReviewFindingsAsync(new RecordReviewFindingsRequest { CaseId = c.CaseId, Act = On(2025, 3, 10), Finding = Finding.Denial }, Officer);

        Today(2025, 3, 21); // the consultation ran until March 20
        var lapsed = await LapsedAsync(c.CaseId, DeadlineKind.RemediationConsultation);
        Assert.Equal(CaseState.PanelAvailable, lapsed.State);
        Assert.Contains(lapsed.Timeline, e => e.Act == CaseAct.EndConsultationWithoutAgreement && e.Summary.StartsWith("No course of remediation agreed by 2025-03-20"));

        Today(2025, 3, 25);
        var panel = (await Reviews.RequestPanelAsync(new RequestPanelRequest { CaseId = c.CaseId, Act = On(2025, 3, 25) }, Officer)).Case;
        Assert.Equal(CaseState.PanelRequested, panel.State);

        var imported = await ImportAsync("consultation-2025", "2025-02-03,self_initiated,", "2025-02-03,request_for_review,suspend_liquidation",
            "2025-02-10,mexico_accepted,", "2025-03-10,denial_found,", "2025-03-25,panel_requested,");
        AssertTheSame(await GetAsync(c.CaseId), imported);
    }

    [Fact]
    public async Task Mexico_accepts_its_45_days_lapse_without_findings_and_a_panel_may_then_be_requested()
    {
        var c = await RequestedAsync(2025, 4, 7); // the review is due May 22
        Today(2025, 4, 14);
        await Reviews.RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = c.CaseId, Act = On(2025, 4, 14), Response = MexicoResponse.Accepted }, Officer);

        Today(2025, 5, 23);
        var lapsed = await LapsedAsync(c.CaseId, DeadlineKind.MexicoReview);
        Assert.Equal(CaseState.PanelAvailable, lapsed.State);
        Assert.Contains(lapsed.Timeline, e => e.Act == CaseAct.MexicoReviewLapses && e.EffectiveDate.Equals(D(2025, 5, 23)));

        Today(2025, 5, 27);
        var panel = (await Reviews.RequestPanelAsync(new RequestPanelRequest { CaseId = c.CaseId, Act = On(2025, 5, 27) }, Officer)).Case;
        Assert.Equal(CaseState.PanelRequested, panel.State);

        var imported = await ImportAsync("review-lapse-2025", "2025-04-07,self_initiated,", "2025-04-07,request_for_review,suspend_liquidation",
            "2025-04-14,mexico_accepted,", "2025-05-27,panel_requested,");
        AssertTheSame(await GetAsync(c.CaseId), imported);
    }

    [Fact]
    public async Task A_case_resolved_while_awaiting_Mexicos_answer_ends_its_clocks_by_resolution_neither_met_nor_late()
    {
        var c = await RequestedAsync(2025, 6, 2);
        Today(2025, 6, 5);
        var resolved = (await Reviews.ResolveCaseAsync(new ResolveCaseRequest { CaseId = c.CaseId, Act = On(2025, 6, 5) }, Officer)).Case;

        Assert.Equal(CaseState.Resolved, resolved.State);
        Assert.False(resolved.LiquidationSuspended);
        Assert.All(resolved.Deadlines.Where(d => d.Kind is DeadlineKind.MexicoAnswer or DeadlineKind.MexicoReview),
            d => Assert.Equal(DeadlineStatus.EndedByResolution, d.Status));
        Today(2025, 8, 1);
        Assert.Equal(0, await Eventually.StaysAsync(() => fixture.TimelineCountAsync(c.CaseId, "DeadlineLapsed"), n => n == 0, TimeSpan.FromSeconds(1)));

        var imported = await ImportAsync("resolved-early-2025", "2025-06-02,self_initiated,", "2025-06-02,request_for_review,suspend_liquidation", "2025-06-05,resolved,");
        AssertTheSame(await GetAsync(c.CaseId), imported);
    }

    [Fact]
    public async Task A_case_whose_every_clock_is_met_records_no_lapse_and_no_alert_even_when_backfilled()
    {
        // The whole history is entered after the fact, on November 3, within the backfill grace.
        var c = await RequestedAsync(2025, 7, 7, recordedOn: new DateOnly(2025, 11, 3));
        await Reviews.RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = c.CaseId, Act = On(2025, 7, 10), Response = MexicoResponse.Accepted }, Officer);
        await Reviews.RecordReviewFindingsAsync(new RecordReviewFindingsRequest { CaseId = c.CaseId, Act = On(2025, 8, 15), Finding = Finding.Denial }, Officer);
        await Reviews.AgreeRemediationPlanAsync(new AgreeRemediationPlanRequest
        {
            CaseId = c.CaseId, Act = On(2025, 8, 20), CompletionDate = D(2025, 10, 31), Actions = { "Reinstate the dismissed workers" },
        }, Officer);
        await Reviews.ConfirmRemediationCompletedAsync(new ConfirmRemediationCompletedRequest { CaseId = c.CaseId, Act = On(2025, 10, 30) }, Officer);
        var resolved = (await Reviews.ResolveCaseAsync(new ResolveCaseRequest { CaseId = c.CaseId, Act = On(2025, 10, 31) }, Officer)).Case;

        Assert.Equal(CaseState.Resolved, resolved.State);
        Assert.All(resolved.Deadlines, d => Assert.Equal(DeadlineStatus.Met, d.Status));
        fixture.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await Eventually.StaysAsync(() => fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM review.timeline_entries WHERE case_id = '{c.CaseId}' AND kind IN ('DeadlineLapsed', 'DeadlineMissed')"), n => n == 0, TimeSpan.FromSeconds(1)));
        Assert.Equal(0, await fixture.EventCountAsync("CaseDeadlineMissed", c.CaseId));

        var imported = await ImportAsync("all-met-2025", "2025-07-07,self_initiated,", "2025-07-07,request_for_review,suspend_liquidation",
            "2025-07-10,mexico_accepted,", "2025-08-15,denial_found,", "2025-08-20,remediation_agreed,due=2025-10-31", "2025-10-30,remediation_completed,",
            "2025-10-31,resolved,");
        AssertTheSame(await GetAsync(c.CaseId), imported);
    }

    [Fact]
    public async Task An_imported_history_whose_last_act_is_long_past_ends_with_its_lapses_recorded()
    {
        Today(2025, 11, 3);
        var imported = await ImportAsync("unanswered-2025", "2025-09-01,self_initiated,", "2025-09-01,request_for_review,suspend_liquidation");

        Assert.Equal(CaseState.MexicoDeclined, imported.State);
        Assert.Equal(DeadlineStatus.Lapsed, imported.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoAnswer).Status);
        var awaiting = (await Reviews.ListCasesAsync(new ListCasesRequest { State = CaseState.ReviewRequested }, Officer)).Cases;
        Assert.DoesNotContain(awaiting, x => x.CaseId == imported.CaseId);
    }
}
