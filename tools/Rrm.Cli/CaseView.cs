using Rrm.Grpc.Review.V1;

namespace Rrm.Cli;

/// <summary>Cases for people: the header, the clocks, the remediation, the remedies and the timeline.</summary>
internal static class CaseView
{
    public static void Print(Case c)
    {
        var f = c.Facility;
        Console.WriteLine($"Case          {c.CaseId}{(c.Reference.Length > 0 ? $" ({c.Reference})" : "")}");
        Console.WriteLine($"Facility      {(f.LegalName.Length > 0 ? f.LegalName : $"{f.CommonName} (legal name unknown)")} ({(f.City.Length > 0 ? f.City + ", " : "")}{f.StateName})");
        Console.WriteLine($"MIDs          {(f.Mids.Count > 0 ? string.Join(", ", f.Mids) : "(none known)")}");
        Console.WriteLine($"Origin        {Enums.Text(c.Origin)}{(c.PetitionId.Length > 0 ? $" {c.PetitionId}" : "")}");
        if (c.Invocation is { } i)
            Console.WriteLine($"Invocation    the {Ordinal(i.Number)} ({(i.NumberIsUstrs ? "USTR's number" : "computed")}), the {Ordinal(i.NumberInYear)} of {i.Year}; requested {c.RequestDate.Text()}");
        Console.WriteLine($"State         {Enums.Text(c.State)}");
        Console.WriteLine($"Liquidation   {(c.LiquidationSuspended ? "SUSPENDED" : c.LiquidationSuspensionUnknown ? "unknown (the public record does not say)" : "not suspended")}");
        if (c.ResolvedOn is not null) Console.WriteLine($"Resolved      {c.ResolvedOn.Text()}");
        if (c.ClosureReason.Length > 0) Console.WriteLine($"Closed        {c.ClosedOn.Text()}: {c.ClosureReason}");
        if (c.PanelRequestedOn is not null)
            Console.WriteLine($"Panel         requested {c.PanelRequestedOn.Text()} {c.PanelCaseNumber}{(c.Panelists.Count > 0 ? $"; {string.Join(", ", c.Panelists)}" : "")}"
                + (c.HasPanelFoundDenial ? $"; found {(c.PanelFoundDenial ? "a denial of rights" : "no denial of rights")} {c.PanelDeterminedOn.Text()}" : ""));
        if (c.AllowedActs.Count > 0) Console.WriteLine($"Next acts     {string.Join(", ", c.AllowedActs.Select(Enums.Text))}");

        Section("Deadlines");
        Table.Print(["CLOCK", "FROM", "DUE", "STATUS", "CLOSED"], c.Deadlines.Select(d => new[]
        {
            d.Description, d.StartedOn.Text(), d.DueDate.Text() + (d.BusinessDays ? " (business days)" : ""), Enums.Text(d.Status), d.ClosedOn.Text(),
        }));
        if (c.Actions.Count > 0)
        {
            Section(c.PlanAgreedOn is null ? "Remediation" : $"Remediation (agreed {c.PlanAgreedOn.Text()}, to complete by {c.PlanCompletionDate.Text()})");
            Table.Print(["#", "ACTION", "STATUS", "LAST NOTE"], c.Actions.Select(a => new[]
            {
                $"{a.Number}", a.Description, Enums.Text(a.Status), a.Notes.LastOrDefault() is { } n ? $"{n.Date.Text()} {n.Text}".Trim() : "",
            }));
        }
        if (c.Remedies.Count > 0)
        {
            Section("Remedies");
            Table.Print(["REMEDY", "KIND", "IMPOSED", "LIFTED", "WHAT"],
                c.Remedies.Select(r => new[] { r.RemedyId, Enums.Text(r.Kind), r.ImposedOn.Text(), r.LiftedOn.Text(), r.Description }));
        }
        if (c.Timeline.Count > 0)
        {
            Section("Timeline");
            Table.Print(["#", "DATE", "WHAT", "STATE AFTER", "BY"], c.Timeline.Select(Row));
        }
    }

    public static void PrintList(IEnumerable<Case> cases) =>
        Table.Print(["CASE", "FACILITY", "STATE", "INVOCATION", "REQUESTED", "LIQUIDATION"], cases.Select(c => new[]
        {
            c.CaseId, c.Facility.LegalName, Enums.Text(c.State), c.Invocation is { } i ? $"{i.Number} ({i.Year})" : "",
            c.RequestDate.Text(), c.LiquidationSuspended ? "suspended" : "",
        }));

    public static void PrintEntry(TimelineEntry e) => Console.WriteLine(string.Join("  ", Row(e)));

    public static void PrintStatistics(GetStatisticsResponse s)
    {
        Console.WriteLine($"As of                         {s.AsOf.Text()}");
        Console.WriteLine($"Invocations                   {s.Invocations} as USTR counts ({string.Join(", ", s.InvocationsByYear.Select(y => $"{y.Year}: {y.Invocations}"))}); {s.RecordedInvocations} recorded here");
        Console.WriteLine($"Resolved cases                {s.ResolvedCases}");
        Console.WriteLine($"Median days, request→resolved {s.MedianDaysRequestToResolution:0.#}");
        Console.WriteLine($"Workers at covered facilities {s.WorkersAtFacilitiesWithCases:N0}" +
            (s.FacilitiesWithoutWorkerCount > 0 ? $" (at least: {s.FacilitiesWithoutWorkerCount} facilities without a worker count)" : ""));
        Console.WriteLine($"Panels requested              {s.PanelsRequested}");
        Section("Cases by state");
        Table.Print(["STATE", "CASES"], s.CasesByState.Select(c => new[] { Enums.Text(c.State), $"{c.Cases}" }));
    }

    private static string[] Row(TimelineEntry e) =>
    [
        $"{e.Position}", e.EffectiveDate.Text(), e.Summary + (e.Note.Length > 0 ? $" — {e.Note}" : ""),
        e.StateAfter == CaseState.Unspecified ? "" : Enums.Text(e.StateAfter), e.RecordedBy,
    ];

    private static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine(title);
    }

    private static string Ordinal(int n) => n + ((n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });
}
