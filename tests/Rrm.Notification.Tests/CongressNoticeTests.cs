using Rrm.Contracts.Events;
using Rrm.Grpc.Notification.V1;
using Rrm.Testing;
using static Rrm.Notification.Tests.NotificationFixture;

namespace Rrm.Notification.Tests;

/// <summary>
/// The Senate Finance and House Ways and Means committees hear of every act the statute tells them of
/// (docs/notifications.md): 19 U.S.C. 4646(b)(2)-(4), 4691, 4693(a); and Treasury of a suspension directed on its own
/// (4692(a)). Delivered for real, through the SMTP server and the webhook listener.
/// </summary>
public sealed class CongressNoticeTests(NotificationFixture fixture) : IClassFixture<NotificationFixture>
{
    private const string Senate = "finance@senate.example";
    private const string House = "waysandmeans@house.example";
    private static readonly RecipientRole[] Committees = [RecipientRole.SenateFinanceCommittee, RecipientRole.HouseWaysAndMeansCommittee];

    private static RemediationPlanAgreed PlanAgreed(CaseRef c) => new()
    {
        Case = c, AgreedDate = new DateOnly(2024, 8, 30), CompletionDate = new DateOnly(2024, 9, 16),
        Actions = ["Reinstate the dismissed worker with back pay", "Publish a neutrality statement"],
    };

    private static CaseResolved Resolved(CaseRef c) => new()
    {
        Case = c with { LiquidationSuspended = false }, ResolutionDate = new DateOnly(2024, 9, 17), LiquidationResumes = true,
        Summary = "The worker was reinstated and the company published a neutrality statement.",
    };

    private static CaseClosed ClosedOther(CaseRef c) => new()
    {
        Case = c with { LiquidationSuspended = false }, ClosedDate = new DateOnly(2024, 10, 15), FinalState = "closed_other",
        Reason = "The facility closed its doors.", LiquidationResumes = true,
    };

    private static PanelRequested PanelRequest(CaseRef c) => new() { Case = c, RequestDate = new DateOnly(2024, 10, 1), PanelCaseNumber = "MEX-USA-2024-31A-09" };

    private static PanelDetermined PanelFound(CaseRef c, bool denial) => new()
    {
        Case = c, DeterminationDate = new DateOnly(2024, 12, 2), DenialFound = denial, RemediesAvailableFrom = denial ? new DateOnly(2024, 12, 9) : null,
    };

    private static List<RecipientRole> RolesOf(IEnumerable<Rrm.Grpc.Notification.V1.Notification> notices, string eventType) =>
        notices.Where(n => n.EventType == eventType).Select(n => n.Role).ToList();

    /// <summary>The mail a committee received about the case, of the given subject.</summary>
    private List<string> MailAbout(string address, CaseRef c, string subjectStart) => fixture.MailTo(address)
        .Where(m => m.GetProperty("subject").GetString()!.StartsWith(subjectStart) && m.GetProperty("text").GetString()!.Contains(c.CaseId.ToString()))
        .Select(m => m.GetProperty("text").GetString()!).ToList();

    private Task EventsRecordedAsync(CaseRef c, int count) =>
        Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM notification.received_events WHERE case_id = '{c.CaseId}'"),
            n => n == count, what: $"{count} events of the case to be recorded");

    [Fact]
    public async Task Resolving_a_petitions_case_without_a_panel_is_certified_to_both_committees_with_the_reasons_and_the_agreed_plan()
    {
        var c = Case(null);
        await fixture.PublishAsync(PlanAgreed(c));
        await fixture.SettledAsync(3, caseId: c.CaseId.ToString());

        await fixture.PublishAsync(Resolved(c));

        var settled = await fixture.SettledAsync(6, caseId: c.CaseId.ToString());
        Assert.Equal([RecipientRole.TreasuryCbp, RecipientRole.PublicAnnouncements, .. Committees], RolesOf(settled, "CaseResolved"));
        Assert.All(settled, n => Assert.Equal(NotificationStatus.Sent, n.Status));
        foreach (var committee in new[] { Senate, House })
        {
            var text = Assert.Single(MailAbout(committee, c, "Certification: no Rapid Response Labor Panel will be requested"));
            Assert.Contains("19 U.S.C. 4646(b)(4)", text);
            Assert.Contains("Impro Industries Mexico, S. de R.L. de C.V.", text);
            Assert.Contains("September 17, 2024", text);
            Assert.Contains("The worker was reinstated and the company published a neutrality statement.", text);
            Assert.Contains("Agreed remediation plan (August 30, 2024, to be completed by September 16, 2024)", text);
            Assert.Contains("- Reinstate the dismissed worker with back pay", text);
        }
    }

    [Fact]
    public async Task Resolving_without_a_plan_says_no_plan_was_agreed()
    {
        var c = Case(null);

        await fixture.PublishAsync(Resolved(c));

        var settled = await fixture.SettledAsync(4, caseId: c.CaseId.ToString());
        Assert.Equal(Committees, RolesOf(settled, "CaseResolved").Where(Committees.Contains));
        Assert.Contains("No course of remediation was agreed.", Assert.Single(MailAbout(Senate, c, "Certification: no Rapid Response")));
    }

    [Fact]
    public async Task A_self_initiated_case_had_no_ILC_determination_so_its_resolution_is_certified_to_nobody()
    {
        var c = Case(null) with { Origin = "self_initiated" };

        await fixture.PublishAsync(Resolved(c));

        var settled = await fixture.SettledAsync(2, caseId: c.CaseId.ToString());
        Assert.Equal([RecipientRole.TreasuryCbp, RecipientRole.PublicAnnouncements], RolesOf(settled, "CaseResolved"));
    }

    [Fact]
    public async Task Closing_a_petitions_case_before_any_panel_is_certified_with_the_reason()
    {
        var c = Case(null);

        await fixture.PublishAsync(ClosedOther(c));

        var settled = await fixture.SettledAsync(4, caseId: c.CaseId.ToString());
        Assert.Equal([RecipientRole.TreasuryCbp, RecipientRole.UstrCaseOfficer, .. Committees], RolesOf(settled, "CaseClosed"));
        var text = Assert.Single(MailAbout(House, c, "Certification: no Rapid Response Labor Panel will be requested"));
        Assert.Contains("October 15, 2024", text);
        Assert.Contains("The facility closed its doors.", text);
    }

    [Fact]
    public async Task A_panel_request_is_the_decision_to_seek_a_panel_so_a_later_closing_certifies_nothing()
    {
        var c = Case(null);

        await fixture.PublishAsync(PanelRequest(c));
        var requested = await fixture.SettledAsync(4, caseId: c.CaseId.ToString());
        await fixture.PublishAsync(ClosedOther(c));
        var settled = await fixture.SettledAsync(6, caseId: c.CaseId.ToString());

        Assert.Equal([RecipientRole.GovernmentOfMexico, RecipientRole.PublicAnnouncements, .. Committees], RolesOf(requested, "PanelRequested"));
        Assert.All(requested.Where(n => Committees.Contains(n.Role)), n =>
        {
            Assert.StartsWith("Request for a Rapid Response Labor Panel", n.Subject);
            Assert.Equal(NotificationStatus.Sent, n.Status);
        });
        Assert.Equal([RecipientRole.TreasuryCbp, RecipientRole.UstrCaseOfficer], RolesOf(settled, "CaseClosed"));
        Assert.Empty(MailAbout(Senate, c, "Certification"));
    }

    [Fact]
    public async Task A_panels_report_goes_to_the_committees_and_the_Labor_Advisory_Committee_and_on_a_denial_opens_the_consultation_on_remedies()
    {
        var denial = Case(null);
        var none = Case(null);

        await fixture.PublishAsync(PanelFound(denial, denial: true));
        await fixture.PublishAsync(PanelFound(none, denial: false));
        var withDenial = await fixture.SettledAsync(5, caseId: denial.CaseId.ToString());
        var without = await fixture.SettledAsync(5, caseId: none.CaseId.ToString());

        RecipientRole[] reportedTo = [.. Committees, RecipientRole.LaborAdvisoryCommittee, RecipientRole.GovernmentOfMexico, RecipientRole.PublicAnnouncements];
        Assert.Equal(reportedTo, RolesOf(withDenial, "PanelDetermined"));
        Assert.Equal(reportedTo, RolesOf(without, "PanelDetermined"));
        Assert.All(withDenial.Concat(without), n => Assert.Equal(NotificationStatus.Sent, n.Status));
        Assert.Contains("19 U.S.C. 4691", withDenial.Single(n => n.Role == RecipientRole.LaborAdvisoryCommittee).Body);
        foreach (var committee in new[] { Senate, House })
        {
            var report = Assert.Single(MailAbout(committee, denial, "Panel report: denial of rights at Impro Industries Mexico"));
            Assert.Contains("19 U.S.C. 4691", report);
            Assert.Contains("19 U.S.C. 4693(a), USTR consults the Committee", report);
            Assert.Contains("December 9, 2024", report);
            var noDenial = Assert.Single(MailAbout(committee, none, "Panel report: no denial of rights"));
            Assert.Contains("19 U.S.C. 4691", noDenial);
            Assert.DoesNotContain("4693", noDenial);
        }
    }

    [Fact]
    public async Task A_suspension_directed_after_the_request_goes_to_Treasury_alone()
    {
        var c = Case(null);

        await fixture.PublishAsync(new LiquidationSuspensionDirected
        {
            Case = c, EffectiveDate = new DateOnly(2024, 7, 29),
        });

        var settled = await fixture.SettledAsync(1, caseId: c.CaseId.ToString());
        await Task.Delay(500);
        Assert.Equal([RecipientRole.TreasuryCbp], (await fixture.ListAsync(caseId: c.CaseId.ToString())).Select(n => n.Role));
        var delivery = Assert.Single(fixture.Webhooks.To("/treasury"), d => d.Body.Contains(c.CaseId.ToString()));
        Assert.Contains("Suspend liquidation: goods from Impro Industries Mexico", delivery.Body);
        Assert.Contains("19 U.S.C. 4692(a)", delivery.Body);
        Assert.Contains("July 29, 2024", delivery.Body);
        Assert.Contains("MXIMPIND1250VIL", delivery.Body);
        Assert.Equal(NotificationStatus.Sent, Assert.Single(settled).Status);
    }

    [Fact]
    public async Task Replayed_events_of_every_path_notify_nobody()
    {
        var c = Case(null, replayed: true);
        object[] history =
        [
            new LiquidationSuspensionDirected { Case = c, EffectiveDate = new DateOnly(2021, 7, 1) },
            PlanAgreed(c), Resolved(c), PanelRequest(c), PanelFound(c, denial: true), ClosedOther(c),
        ];

        foreach (var e in history) await fixture.PublishAsync(e);
        await EventsRecordedAsync(c, history.Length);

        var notices = await Eventually.StaysAsync(() => fixture.ListAsync(caseId: c.CaseId.ToString()), list => list.Count == 0, TimeSpan.FromSeconds(1));
        Assert.Empty(notices);
    }
}
