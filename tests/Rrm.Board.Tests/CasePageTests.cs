using Microsoft.Playwright;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Reference;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using static Microsoft.Playwright.Assertions;

namespace Rrm.Board.Tests;

[Collection("board")]
public sealed class CasePageTests(BoardSuite suite)
{
    // The page becomes live once its circuit is up; a shared two-core machine can take a while.
    internal static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 30_000 };
    internal const string LiveText = "Live: updates appear as they are recorded.";

    [Fact]
    public async Task The_Impro_case_shows_its_three_clocks_and_the_suspension_and_resumption_instructions()
    {
        var impro = await suite.ImproAsync();
        // (kind, counts from, due, status, closed on), by the rules of DOMAIN.md §9 and the Impro acts:
        string[][] clocks =
        [
            // USTR: 60 calendar days from the ILC's determination (2024-07-24); a resolution meets it (ADR 0004, 0007).
            ["UstrPanelDecision", "2024-07-24", "2024-09-22", "Met", "2024-09-17"],
            // Mexico: 10 calendar days from the request (2024-07-25) to say whether it will review; accepted on the 10th.
            ["MexicoAnswer", "2024-07-25", "2024-08-04", "Met", "2024-08-04"],
            // Mexico: 45 calendar days from the request (not from acceptance) to review; no denial found 2024-09-06.
            ["MexicoReview", "2024-07-25", "2024-09-08", "Met", "2024-09-06"],
        ];
        var read = (await suite.Cases.GetCaseAsync(new GetCaseRequest { CaseId = impro.CaseId }, ServiceStack.Officer)).Case;
        Assert.Equal(clocks.Select(c => string.Join("|", c)).Order(), read.Deadlines.Select(d => string.Join("|",
            d.Kind.ToString(), Iso(d.StartedOn), Iso(d.DueDate), d.Status.ToString(), Iso(d.ClosedOn))).Order());
        // Suspended with the request (2024-07-25); resumed on the resolution (2024-09-17), the held entries to be
        // liquidated within 6 months of the notice (19 U.S.C. 1504(d); docs/domain-notes.md, Differences 2).
        string[][] instructions =
        [
            ["LiquidationSuspend", "2024-07-25", "–"],
            ["LiquidationResume", "2024-09-17", "2025-03-17"],
        ];
        var (suspend, resume) = await suite.ImproInstructionsAsync(impro.CaseId);
        CustomsInstruction[] ledger = [suspend, resume];
        Assert.Equal(instructions.Select(i => string.Join("|", i)), ledger.Select(i => string.Join("|", i.Kind.ToString(), Iso(i.EffectiveDate), Iso(i.LiquidateBy))));

        var page = await suite.SignedInAsync(Roles.UstrOfficer);
        await page.GotoAsync($"/cases/{impro.CaseId}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Impro Mexico facility (2024-07-24)");
        await Expect(page.GetByTestId("state")).ToHaveTextAsync("resolved");

        await Expect(page.Locator("table.clocks tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("svg[role=img] rect.bar")).ToHaveCountAsync(3);
        foreach (var (c, n) in clocks.Select((c, n) => (c, n)))
        {
            // In the order they started.
            await Expect(page.Locator("table.clocks tbody tr").Nth(n)).ToHaveAttributeAsync("data-kind", c[0]);
            await Expect(page.Locator("svg[role=img] rect.bar").Nth(n)).ToHaveAttributeAsync("data-kind", c[0]);
            var row = page.Locator($"table.clocks tbody tr[data-kind='{c[0]}']");
            await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(c[1]);
            await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync(c[2]);
            await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync(c[3].ToLowerInvariant());
            await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync(c[4]);
            var bar = page.Locator($"svg[role=img] rect.bar[data-kind='{c[0]}']");
            await Expect(bar).ToHaveAttributeAsync("data-start", c[1]);
            await Expect(bar).ToHaveAttributeAsync("data-due", c[2]);
            await Expect(bar).ToHaveAttributeAsync("data-status", c[3]);
            await Expect(bar).ToHaveAttributeAsync("data-closed", c[4]);
        }
        // The clocks ended in 2024: no line for today, and the caption says why.
        await Expect(page.Locator("svg[role=img] .today")).ToHaveCountAsync(0);
        await Expect(page.Locator("figure.clock-chart figcaption")).ToContainTextAsync("is after the chart's range");

        await Expect(page.Locator("table.instructions tbody tr")).ToHaveCountAsync(2);
        foreach (var (i, n) in instructions.Select((i, n) => (i, n)))
        {
            var row = page.Locator("table.instructions tbody tr").Nth(n);
            await Expect(row).ToHaveAttributeAsync("data-kind", i[0]);
            await Expect(row.Locator("td").Nth(0)).ToHaveTextAsync(ledger[n].Sequence.ToString());
            await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync(i[1]);
            await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync(i[2]);
            await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync(string.Join(", ", read.Facility.Mids));
        }
        await Expect(page.GetByTestId("live")).ToHaveTextAsync(LiveText, Live);
        await BoardSuite.ScreenshotAsync(page, "case");
    }

    [Fact]
    public async Task An_act_recorded_through_the_API_shows_on_the_open_page_without_a_reload()
    {
        var today = LegalCalendar.Today(TimeProvider.System);
        var fresh = await suite.FreshCaseAsync($"live {Guid.NewGuid():N}"[..13], today.AddDays(-3), today.AddDays(-1));
        var page = await suite.SignedInAsync(Roles.UstrOfficer);
        await page.GotoAsync($"/cases/{fresh.CaseId}");
        await Expect(page.GetByTestId("live")).ToHaveTextAsync(LiveText, Live);
        await Expect(page.GetByTestId("state")).ToHaveTextAsync("request pending dispatch");
        await Expect(page.Locator("svg[role=img] rect.bar")).ToHaveCountAsync(1);
        await Expect(page.Locator("svg[role=img] .today")).ToHaveAttributeAsync("data-date", Iso(today));
        await Expect(page.Locator("table.instructions")).ToHaveCountAsync(0);
        await page.EvaluateAsync("window.__marker = 1");
        // Someone to tell of the request: the committees are told of every request for review (docs/notifications.md).
        await suite.Notifications.UpsertRecipientAsync(new UpsertRecipientRequest
        {
            Name = "Senate Committee on Finance (board test)", Role = RecipientRole.SenateFinanceCommittee,
            Channel = Channel.Email, Address = "finance-board-test@example.org", Language = "en",
        }, ServiceStack.Admin);

        var requested = (await suite.Cases.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest
        {
            CaseId = fresh.CaseId, Act = new() { EffectiveDate = BoardSuite.D(today) }, SuspendLiquidation = true,
        }, ServiceStack.Officer)).Case;

        await Expect(page.GetByTestId("state")).ToHaveTextAsync("review requested");
        await Expect(page.Locator($"table.timeline tbody tr[data-position='{requested.TimelineLength}']")).ToHaveCountAsync(1);
        await Expect(page.Locator("svg[role=img] rect.bar")).ToHaveCountAsync(3);
        // Mexico's clocks run 10 and 45 calendar days from the request (DOMAIN.md §9).
        await Expect(page.Locator("svg[role=img] rect.bar[data-kind='MexicoAnswer']")).ToHaveAttributeAsync("data-due", Iso(today.AddDays(10)));
        await Expect(page.Locator("svg[role=img] rect.bar[data-kind='MexicoReview']")).ToHaveAttributeAsync("data-status", "Open");
        await Expect(page.Locator("table.clocks tbody tr[data-kind='MexicoReview'] td").Nth(2)).ToHaveTextAsync(Iso(today.AddDays(45)));
        // The suspension reaches the ledger over the bus a moment later; the page reads it again then.
        await Expect(page.Locator("table.instructions tbody tr[data-kind='LiquidationSuspend'] td").Nth(2))
            .ToHaveTextAsync(Iso(today), new() { Timeout = 30_000 });
        await Expect(page.Locator("table.notifications tbody")).ToContainTextAsync("ReviewRequested", new() { Timeout = 30_000 });
        Assert.Equal(1, await page.EvaluateAsync<int>("window.__marker"));
        await BoardSuite.ScreenshotAsync(page, "case-live");
    }

    [Fact]
    public async Task The_open_page_reconnects_after_the_Review_service_restarts_and_shows_what_came_meanwhile()
    {
        var today = LegalCalendar.Today(TimeProvider.System);
        var fresh = await suite.FreshCaseAsync($"restart {Guid.NewGuid():N}"[..16], today.AddDays(-3), today.AddDays(-1));
        var page = await suite.SignedInAsync(Roles.UstrOfficer);
        await page.GotoAsync($"/cases/{fresh.CaseId}");
        await Expect(page.GetByTestId("live")).ToHaveTextAsync(LiveText, Live);
        await page.EvaluateAsync("window.__marker = 1");

        // A crash, as an OOM kill would do it, then a new process on the same address.
        var review = suite.Replicas[ServiceProject.Review.Name];
        await review[0].KillAsync();
        await Expect(page.GetByTestId("live")).ToContainTextAsync("Reconnecting", new() { Timeout = 30_000 });
        review[0] = await review[0].RestartAsync();
        await suite.Cases.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest
        {
            CaseId = fresh.CaseId, Act = new() { EffectiveDate = BoardSuite.D(today) },
        }, ServiceStack.Officer);

        await Expect(page.GetByTestId("state")).ToHaveTextAsync("review requested", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("live")).ToHaveTextAsync(LiveText);
        await Expect(page.Locator("svg[role=img] rect.bar")).ToHaveCountAsync(3);
        Assert.Equal(1, await page.EvaluateAsync<int>("window.__marker"));
    }

    [Fact]
    public async Task The_petitioner_is_in_the_page_for_the_ILC_and_nowhere_in_it_for_an_auditor()
    {
        var impro = await suite.ImproAsync();
        var petitioner = Samples.ImproPetition("").Petitioner;
        var organisation = "La Liga Sindical Obrera Mexicana";
        Assert.StartsWith(organisation, petitioner.Organization);

        var analyst = await suite.SignedInAsync(Roles.IlcAnalyst);
        await analyst.GotoAsync($"/cases/{impro.CaseId}");
        await Expect(analyst.GetByTestId("live")).ToHaveTextAsync(LiveText, Live);
        await Expect(analyst.GetByTestId("petitioner")).ToContainTextAsync(organisation);
        Assert.Contains(petitioner.ContactEmail, await analyst.ContentAsync());

        var auditor = await suite.SignedInAsync(Roles.Auditor);
        await auditor.GotoAsync($"/cases/{impro.CaseId}");
        await Expect(auditor.GetByTestId("live")).ToHaveTextAsync(LiveText, Live);
        await Expect(auditor.Locator("#petition + dl.facts")).ToContainTextAsync("2024-06-24");
        await Expect(auditor.Locator("#notifications + .problem")).ToHaveCountAsync(0); // an auditor may read them
        var html = await auditor.ContentAsync();
        Assert.DoesNotContain(organisation, html);
        Assert.DoesNotContain(petitioner.ContactEmail, html);
        await Expect(auditor.GetByTestId("petitioner")).ToHaveCountAsync(0);
        await BoardSuite.ScreenshotAsync(auditor, "case-auditor");
    }

    [Fact]
    public async Task Treasury_sees_the_instructions_and_is_told_it_may_not_read_the_notifications()
    {
        var impro = await suite.ImproAsync();
        var page = await suite.SignedInAsync(Roles.TreasuryOfficer);
        await page.GotoAsync($"/cases/{impro.CaseId}");
        await Expect(page.Locator("table.instructions tbody tr[data-kind='LiquidationResume']")).ToHaveCountAsync(1);
        // docs/security.md: ListNotifications and GetPetition are denied to treasury.officer.
        await Expect(page.Locator("#notifications + .problem")).ToHaveTextAsync("Your roles do not allow reading the notifications.");
        await Expect(page.Locator("#petition + .problem")).ToHaveTextAsync("Your roles do not allow reading the petition.");
        await Expect(page.Locator("table.notifications")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_case_that_does_not_exist_or_an_id_that_is_not_one_is_said_so()
    {
        var page = await suite.SignedInAsync(Roles.UstrOfficer);
        await page.GotoAsync($"/cases/{Guid.NewGuid()}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Case");
        await Expect(page.Locator(".problem")).ToContainTextAsync("Not found");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "The list of cases" })).ToBeVisibleAsync();

        await page.GotoAsync("/cases/not-a-case-id");
        await Expect(page.Locator(".problem")).ToContainTextAsync("The request for the case was refused");
    }

    private static string Iso(Rrm.Grpc.Common.V1.Date? d) => Format.Iso(d);

    private static string Iso(DateOnly d) => Format.Iso(d);
}
