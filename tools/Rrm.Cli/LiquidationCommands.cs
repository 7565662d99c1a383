using System.CommandLine;
using Grpc.Core;
using Rrm.Grpc.Liquidation.V1;

namespace Rrm.Cli;

/// <summary>Liquidation suspensions, remedies and the customs instructions (the Tariff-Liquidation service).</summary>
internal static class LiquidationCommands
{
    public static Command Create() => new("liquidation", "Suspension of liquidation, remedies at the border, and the customs instructions")
    {
        Verb.Create<GetFacilityStatusRequest, GetFacilityStatusResponse>("status", "What applies to the goods of the facility with this MID",
            cli => cli.Liquidation.GetFacilityStatusAsync, PrintStatus,
            i => [i.Id("mid", "A Manufacturer Identification Code, e.g. MXIMPIND1250VIL", (r, v) => r.Mid = v)]),
        Verb.Create<CheckEntriesRequest, CheckEntriesResponse>("check",
            "Whether entries may liquidate (up to 1000): registered entries by number, or with --mid and --entered as customs knows them",
            cli => cli.Liquidation.CheckEntriesAsync,
            r =>
            {
                Table.Print(["ENTRY", "STATUS", "MID", "HELD SINCE", "LIQUIDATED", "LIQUIDATE BY", "CASE", "APPLY", "REMEDIES", "WHY"], r.Entries.Select(e => new[]
                {
                    e.EntryNumber, Enums.Text(e.Status), e.Mid, e.HeldSince.Text(), e.LiquidatedOn.Text(), e.LiquidateBy.Text(), e.CaseId,
                    string.Join(", ", e.ApplyRemedies.Select(o => Enums.Text(o.Kind))), string.Join(", ", e.Remedies.Select(o => Enums.Text(o.Kind))), e.Reason,
                }));
                Console.WriteLine($"As of instruction ledger sequence {r.LedgerSequence}");
            },
            i =>
            [
                i.Ids("entry-numbers", "Entry numbers, XXX-NNNNNNN-N", (r, v) => r.EntryNumbers.AddRange(v)),
                // The customs form (GateEntry): the numbers given become entries under this MID, answered without registration.
                i.Text("--mid", "Ask about the entries as customs knows them, not as registered: their MID (with --entered)", (r, v) =>
                {
                    r.Entries.AddRange(r.EntryNumbers.Select(n => new GateEntry { EntryNumber = n, Mid = v }));
                    r.EntryNumbers.Clear();
                }),
                i.Date("--entered", "With --mid: their entry date", (r, v) =>
                {
                    foreach (var entry in r.Entries) entry.EntryDate = v;
                }),
                i.Date("--liquidated", "With --mid: the date they were liquidated, if they were", (r, v) =>
                {
                    foreach (var entry in r.Entries) entry.LiquidationDate = v;
                }),
            ]),
        Verb.Create<ReportEntriesLiquidatedRequest, ReportEntriesLiquidatedResponse>("liquidated",
            "Report entries liquidated on a date (customs.system; up to 1000; several dates with --file)",
            cli => cli.Liquidation.ReportEntriesLiquidatedAsync,
            r => Console.WriteLine($"Recorded {r.Recorded:N0} liquidation(s); {r.AlreadyRecorded:N0} already recorded"),
            i =>
            [
                i.Ids("entry-numbers", "Entry numbers, XXX-NNNNNNN-N", (r, v) => r.Entries.AddRange(v.Select(n => new EntryLiquidation { EntryNumber = n }))),
                i.Date("--date", "The liquidation date of the entries given without one", (r, v) =>
                {
                    foreach (var entry in r.Entries.Where(e => e.LiquidationDate is null)) entry.LiquidationDate = v;
                }),
            ]),
        Verb.Create<ListSuspensionsRequest, ListSuspensionsResponse>("orders", "List suspension and remedy orders (all pages)",
            (cli, r) => Pages.AllAsync(token =>
            {
                (r.Page ??= new()).PageToken = token;
                return cli.Liquidation.ListSuspensionsAsync(r, cli.Call()).ResponseAsync;
            }, page => page.Orders, page => page.Page.NextPageToken),
            r => PrintOrders(r.Orders), i =>
            [
                i.Flag("--active", "Only orders in force", r => r.ActiveOnly = true),
                i.Text("--mid", "Only orders covering this MID", (r, v) => r.Mid = v),
                i.Text("--case-id", "Only this case's orders", (r, v) => r.CaseId = v),
            ]),
        Instructions(),
        Verb.Create<GetCaseImpactRequest, GetCaseImpactResponse>("impact", "Entries and value held because of a case, by month",
            cli => cli.Liquidation.GetCaseImpactAsync, PrintImpact,
            i => [i.Id("case-id", "The case's id", (r, v) => r.CaseId = v)]),
    };

    private static Command Instructions()
    {
        var after = new Option<long>("--after") { Description = "Only instructions after this sequence number" };
        var caseId = new Option<string?>("--case-id") { Description = "Only this case's instructions" };
        var follow = new Option<bool>("--follow") { Description = "Keep printing new instructions as they are issued, until interrupted" };
        return Verb.Custom("instructions", "The customs instructions issued, in sequence (the same as the customs feed)", async cli =>
        {
            var only = cli.Parse.GetValue(caseId);
            bool Wanted(CustomsInstruction i) => only is null || i.CaseId == only; // the stream has no filter
            if (cli.Parse.GetValue(follow))
            {
                using var call = cli.Liquidation.WatchInstructions(new WatchInstructionsRequest { AfterSequence = cli.Parse.GetValue(after) }, cli.Stream());
                if (!cli.AsJson) PrintInstructionHeader();
                await cli.UntilInterruptedAsync(async () =>
                {
                    await foreach (var update in call.ResponseStream.ReadAllAsync(cli.Cancellation))
                        if (Wanted(update.Instruction)) cli.Print(update, () => Console.WriteLine(string.Join("  ", InstructionRow(update.Instruction))));
                });
                return;
            }
            var all = new ListInstructionsResponse();
            var request = new ListInstructionsRequest { AfterSequence = cli.Parse.GetValue(after), PageSize = 1000, CaseId = only ?? "" };
            while (true)
            {
                var page = await cli.Liquidation.ListInstructionsAsync(request, cli.Call());
                all.Instructions.AddRange(page.Instructions);
                all.LastSequence = page.LastSequence;
                if (page.Instructions.Count < request.PageSize) break;
                request.AfterSequence = page.Instructions[^1].Sequence;
            }
            cli.Print(all, () => Table.Print(InstructionHeader, all.Instructions.Select(InstructionRow)));
        }, after, caseId, follow);
    }

    private static readonly string[] InstructionHeader = ["SEQ", "KIND", "EFFECTIVE", "LIQUIDATE BY", "MIDS", "FACILITY", "CASE"];

    private static void PrintInstructionHeader() => Console.WriteLine(string.Join("  ", InstructionHeader));

    private static string[] InstructionRow(CustomsInstruction i) =>
    [
        $"{i.Sequence}", KindText(i), i.EffectiveDate.Text(), i.LiquidateBy.Text(), string.Join(" ", i.Mids), i.FacilityName,
        i.CaseId + (i.Replayed ? " (replayed)" : ""),
    ];

    /// <summary>
    /// "order-in-force (penalty)": these kinds name an order of any kind, so the row says which; a restore's mark says
    /// where the restored ledger ended, to explain the jump of the sequence.
    /// </summary>
    private static string KindText(CustomsInstruction i) => i.Kind switch
    {
        InstructionKind.OrderInForce or InstructionKind.OrderExtend => $"{Enums.Text(i.Kind)} ({Enums.Text(i.OrderKind)})",
        InstructionKind.LedgerRestored => $"{Enums.Text(i.Kind)} (backup ended at {i.RestoredThroughSequence})",
        _ => Enums.Text(i.Kind),
    };

    private static void PrintStatus(GetFacilityStatusResponse s)
    {
        Console.WriteLine($"MID           {s.Mid}");
        Console.WriteLine($"Facility      {(s.FacilityName.Length > 0 ? s.FacilityName : "(no order has named this MID)")}");
        if (s.FacilityMids.Count > 0) Console.WriteLine($"Its MIDs      {string.Join(", ", s.FacilityMids)}");
        Console.WriteLine($"Liquidation   {(s.LiquidationSuspended ? "SUSPENDED" : "not suspended")}");
        Console.WriteLine($"Held entries  {s.HeldEntries:N0}");
        Console.WriteLine();
        Console.WriteLine("Orders in force");
        PrintOrders(s.ActiveOrders);
        Console.WriteLine();
        Console.WriteLine("Earlier orders");
        PrintOrders(s.History);
    }

    private static void PrintOrders(IEnumerable<Order> orders) =>
        Table.Print(["ORDER", "KIND", "FROM", "LIFTED", "FACILITY", "CASE"],
            orders.Select(o => new[] { o.OrderId, Enums.Text(o.Kind), o.EffectiveFrom.Text(), o.LiftedOn.Text(), o.FacilityName, o.CaseId }));

    private static void PrintImpact(GetCaseImpactResponse r)
    {
        Console.WriteLine($"Case              {r.CaseId}");
        Console.WriteLine($"Suspension        {(r.SuspensionInForce ? "in force" : "not in force")}");
        Console.WriteLine($"Entries held      {r.Entries:N0}");
        Console.WriteLine($"Entered value     {r.EnteredValue?.Value ?? "0"}");
        Console.WriteLine($"Estimated duties  {r.EstimatedDuties?.Value ?? "0"}");
        Console.WriteLine();
        Table.Print(["MONTH", "ENTRIES", "ENTERED VALUE", "ESTIMATED DUTIES"],
            r.ByMonth.Select(m => new[] { $"{m.Year:D4}-{m.Month:D2}", $"{m.Entries:N0}", m.EnteredValue?.Value ?? "0", m.EstimatedDuties?.Value ?? "0" }));
        if (r.Remedies.Count == 0) return;
        Console.WriteLine();
        Console.WriteLine("Remedies applied to the held entries (19 U.S.C. 4693(a)(1)(B))");
        Table.Print(["REMEDY", "IMPOSED", "ENTRIES", "DUTIES AS ENTERED", "WITH THE REMEDY", "ADDITIONAL", "RATE UNKNOWN", "DESCRIPTION"],
            r.Remedies.Select(m => new[]
            {
                Enums.Text(m.Kind), m.ImposedOn.Text(), $"{m.Entries:N0}", m.EstimatedDuties?.Value ?? "0", m.DutiesWithRemedy?.Value ?? "0",
                m.AdditionalDuties?.Value ?? "0", $"{m.EntriesWithoutGeneralDuties:N0}", m.Description,
            }));
    }
}
