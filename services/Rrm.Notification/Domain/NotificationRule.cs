namespace Rrm.Notification.Domain;

/// <summary>
/// One line of the notification matrix (DOMAIN.md §7, docs/notifications.md): an event of <see cref="EventType"/>,
/// when its JSON matches <see cref="Condition"/> ("field=value", several joined by "&amp;", empty for always; "!EventType"
/// holds when no event of that type was received earlier for the same case), goes to every active recipient of
/// <see cref="Role"/> with <see cref="Template"/>. A recipient gets at most one notice per event, so what the statute
/// asks for on one event (a panel's report and the consultation on remedies) is one template. The service owns this data.
/// </summary>
public sealed class NotificationRule
{
    public int Id { get; init; }
    public string EventType { get; init; } = "";
    public string Condition { get; init; } = "";
    public RecipientRole Role { get; init; }
    public string Template { get; init; } = "";

    /// <summary>The matrix the service starts with (seeded by its migrations), in the order notices are made.</summary>
    public static IReadOnlyList<NotificationRule> Matrix { get; } = Build(
        ("PetitionReceived", "petitionerContactable=true", RecipientRole.Petitioner, "petition-acknowledgement"),
        ("PetitionDetermined", "outcome=insufficient&petitionerContactable=true", RecipientRole.Petitioner, "insufficient-certification"),
        ("PetitionDetermined", "outcome=insufficient", RecipientRole.SenateFinanceCommittee, "insufficient-certification"),
        ("PetitionDetermined", "outcome=insufficient", RecipientRole.HouseWaysAndMeansCommittee, "insufficient-certification"),
        ("PetitionDetermined", "outcome=sufficient", RecipientRole.UstrCaseOfficer, "sufficient-determination"),
        ("PetitionWithdrawn", "", RecipientRole.IlcCaseOfficer, "petition-withdrawn"),
        ("IlcReviewDeadlineApproaching", "", RecipientRole.IlcCaseOfficer, "ilc-review-reminder"),
        ("IlcReviewOverdue", "", RecipientRole.IlcCaseOfficer, "ilc-review-overdue"),
        ("ReviewRequested", "", RecipientRole.GovernmentOfMexico, "request-for-review"),
        ("ReviewRequested", "suspendLiquidation=true", RecipientRole.TreasuryCbp, "suspension-direction"),
        ("ReviewRequested", "", RecipientRole.PublicAnnouncements, "request-announcement"),
        ("ReviewRequested", "", RecipientRole.Petitioner, "petitioner-informed"),
        ("ReviewRequested", "", RecipientRole.SenateFinanceCommittee, "congress-informed"),
        ("ReviewRequested", "", RecipientRole.HouseWaysAndMeansCommittee, "congress-informed"),
        ("MexicoResponded", "", RecipientRole.UstrCaseOfficer, "mexico-responded"),
        ("ReviewFindingsRecorded", "", RecipientRole.UstrCaseOfficer, "findings-recorded"),
        ("RemediationPlanAgreed", "", RecipientRole.SenateFinanceCommittee, "remediation-certification"),
        ("RemediationPlanAgreed", "", RecipientRole.HouseWaysAndMeansCommittee, "remediation-certification"),
        ("RemediationPlanAgreed", "", RecipientRole.Petitioner, "petitioner-informed"),
        ("RemediationPlanAgreed", "", RecipientRole.PublicAnnouncements, "remediation-announcement"),
        ("CaseResolved", "liquidationResumes=true", RecipientRole.TreasuryCbp, "resumption-direction"),
        ("CaseResolved", "", RecipientRole.PublicAnnouncements, "resolution-announcement"),
        ("CaseResolved", "", RecipientRole.Petitioner, "petitioner-informed"),
        ("PanelRequested", "", RecipientRole.GovernmentOfMexico, "panel-request"),
        ("PanelRequested", "", RecipientRole.PublicAnnouncements, "panel-request"),
        // 19 U.S.C. 4691 (the report) and, on a denial, 4693(a) (remedies "in consultation with" the committees): one notice.
        ("PanelDetermined", "", RecipientRole.SenateFinanceCommittee, "panel-report-congress"),
        ("PanelDetermined", "", RecipientRole.HouseWaysAndMeansCommittee, "panel-report-congress"),
        ("PanelDetermined", "", RecipientRole.LaborAdvisoryCommittee, "panel-report"),
        ("PanelDetermined", "", RecipientRole.Petitioner, "panel-report"),
        ("PanelDetermined", "", RecipientRole.GovernmentOfMexico, "panel-report"),
        ("PanelDetermined", "", RecipientRole.PublicAnnouncements, "panel-report"),
        ("RemedyImposed", "", RecipientRole.TreasuryCbp, "remedy-direction"),
        ("RemedyImposed", "", RecipientRole.GovernmentOfMexico, "remedy-notice"),
        ("RemedyImposed", "", RecipientRole.SenateFinanceCommittee, "remedy-notice"),
        ("RemedyImposed", "", RecipientRole.HouseWaysAndMeansCommittee, "remedy-notice"),
        ("RemedyImposed", "", RecipientRole.PublicAnnouncements, "remedy-notice"),
        ("RemedyLifted", "", RecipientRole.TreasuryCbp, "remedy-lifted"),
        ("RemedyLifted", "", RecipientRole.GovernmentOfMexico, "remedy-lifted"),
        ("RemedyLifted", "", RecipientRole.PublicAnnouncements, "remedy-lifted"),
        ("CaseClosed", "liquidationResumes=true", RecipientRole.TreasuryCbp, "resumption-direction"),
        ("CaseClosed", "", RecipientRole.UstrCaseOfficer, "case-closed"),
        ("CaseDeadlineApproaching", "", RecipientRole.UstrCaseOfficer, "deadline-reminder"),
        ("CaseDeadlineMissed", "", RecipientRole.UstrCaseOfficer, "deadline-missed"),
        // Rows added to follow the statute on every path (docs/notifications.md); appended so earlier rows keep their ids.
        // 19 U.S.C. 4692(a): a suspension directed as its own act, after the request, goes to Treasury like one made with it.
        ("LiquidationSuspensionDirected", "", RecipientRole.TreasuryCbp, "suspension-directed"),
        // 19 U.S.C. 4646(b)(4)(B): USTR decided not to request a panel on a petition's case: certified with reasons and any plan.
        ("CaseResolved", "case.origin=petition&!PanelRequested", RecipientRole.SenateFinanceCommittee, "no-panel-certification"),
        ("CaseResolved", "case.origin=petition&!PanelRequested", RecipientRole.HouseWaysAndMeansCommittee, "no-panel-certification"),
        ("CaseClosed", "case.origin=petition&finalState=closed_other&!PanelRequested", RecipientRole.SenateFinanceCommittee, "no-panel-certification"),
        ("CaseClosed", "case.origin=petition&finalState=closed_other&!PanelRequested", RecipientRole.HouseWaysAndMeansCommittee, "no-panel-certification"),
        // 19 U.S.C. 4646(b)(4)(A): the affirmative decision; the text asks no notice for it, the committees hear of it anyway.
        ("PanelRequested", "", RecipientRole.SenateFinanceCommittee, "panel-request"),
        ("PanelRequested", "", RecipientRole.HouseWaysAndMeansCommittee, "panel-request"));

    private static List<NotificationRule> Build(params (string Event, string Condition, RecipientRole Role, string Template)[] rows) =>
        rows.Select((r, i) => new NotificationRule { Id = i + 1, EventType = r.Event, Condition = r.Condition, Role = r.Role, Template = r.Template }).ToList();
}
