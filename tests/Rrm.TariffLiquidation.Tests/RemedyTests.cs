using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Rrm.Contracts.Events;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Testing;
using static Rrm.TariffLiquidation.Tests.LiquidationFixture;

namespace Rrm.TariffLiquidation.Tests;

/// <summary>
/// Remedies after a panel's determination of a denial reach the entries held by the suspension (19 U.S.C. 4693(a)(1)(B));
/// only the 4692(b) conditions resume liquidation without them.
/// </summary>
public sealed class RemedyTests(LiquidationFixture fixture) : IClassFixture<LiquidationFixture>
{
    private static readonly DateOnly Requested = new(2024, 7, 26), Imposed = new(2025, 3, 3), Lifted = new(2025, 9, 1);

    private async Task<CaseRef> SuspendedCaseAsync()
    {
        var c = Case();
        await fixture.PublishAsync(new CaseOpened { Case = c, OpenedDate = new DateOnly(2024, 7, 24) });
        var start = await fixture.LastSequenceAsync();
        await fixture.PublishAsync(LiquidationFixture.Requested(c, Requested));
        await fixture.WaitForInstructionsAsync(start + 1);
        return c;
    }

    private static CustomsEntry Claimed(string mid, string filer, int n, Rrm.Grpc.Common.V1.Date date, string? withoutPreference)
    {
        var entry = Entry(mid, filer, n, date);
        if (withoutPreference is not null) entry.DutiesWithoutPreference = new Rrm.Grpc.Common.V1.Decimal { Value = withoutPreference };
        return entry;
    }

    private Task PanelFindsDenialAsync(CaseRef c) => fixture.PublishAsync(new PanelDetermined
    {
        Case = c, DeterminationDate = new DateOnly(2025, 1, 20), DenialFound = true, RemediesAvailableFrom = new DateOnly(2025, 2, 19),
    });

    private Task ImposeAsync(CaseRef c, Guid remedy, string kind, string description = "", Guid? messageId = null) =>
        fixture.PublishAsync(new RemedyImposed { Case = c, RemedyId = remedy, Kind = kind, Description = description, ImposedDate = Imposed }, messageId);

    /// <summary>As the Review service publishes the denial remedied: each remedy lifted, then the closure that resumes liquidation.</summary>
    private async Task LiftAsync(CaseRef c, Guid remedy, string kind)
    {
        await fixture.PublishAsync(new RemedyLifted { Case = c, RemedyId = remedy, Kind = kind, LiftedDate = Lifted });
        await fixture.PublishAsync(new CaseClosed
        {
            Case = c with { LiquidationSuspended = false }, ClosedDate = Lifted, FinalState = "remedies_lifted", Reason = "the denial of rights is remedied",
            LiquidationResumes = true,
        });
    }

    private async Task<IList<CustomsInstruction>> LedgerAsync(long after) =>
        (await fixture.Client().ListInstructionsAsync(new ListInstructionsRequest { AfterSequence = after }, Customs)).Instructions;

    /// <summary>Both forms of the gate, at the ledger's last sequence, checked against the database (<see cref="GateAgreement"/>).</summary>
    private Task<IList<EntryCheck>> CheckAsync(params string[] numbers) => fixture.CheckAsync(numbers);

    [Fact]
    public async Task A_preference_suspension_reaches_the_held_entries_on_the_feed_the_gate_and_the_impact_and_its_lifting_ends_it()
    {
        var (connection, channel, queue) = await Feed.BindAsync(fixture);
        await using var _ = connection;
        var c = await SuspendedCaseAsync();
        var (a, b) = (c.Facility.Mids[0], c.Facility.Mids[1]);
        var filer = NewFiler();
        var liquidatedEarlier = Claimed(a, filer, 2, D(2024, 5, 2), "90.00");
        liquidatedEarlier.LiquidationDate = D(2024, 6, 20);
        await fixture.RegisterAsync([
            Claimed(a, filer, 0, D(2024, 6, 1), "125.00"),   // unliquidated when the suspension took effect: held
            Claimed(b, filer, 1, D(2024, 8, 15), null),      // entered while it lasted, general-rate duties not reported
            liquidatedEarlier,                               // liquidated before it: never held
            Claimed(a, filer, 3, D(2025, 3, 10), "125.00"),  // entered after the remedy: governed by it at entry
        ]);
        var start = await fixture.LastSequenceAsync();
        var remedy = Guid.NewGuid();

        await PanelFindsDenialAsync(c);
        await ImposeAsync(c, remedy, "preference_suspension", "USMCA preferential tariff treatment suspended");
        await fixture.WaitForInstructionsAsync(start + 2);

        var ledger = await LedgerAsync(start);
        Assert.Equal([InstructionKind.PreferenceSuspend, InstructionKind.LiquidationApplyRemedy], ledger.Select(i => i.Kind));
        var suspend = (await LedgerAsync(start - 1))[0];
        var apply = ledger[1];
        Assert.Equal(suspend.OrderId, apply.OrderId); // it ends the suspension: no plain resume follows
        Assert.Equal((OrderKind.LiquidationSuspension, OrderKind.PreferenceSuspension, remedy.ToString()), (apply.OrderKind, apply.RemedyKind, apply.RemedyId));
        Assert.Equal(c.Facility.Mids, apply.Mids);
        Assert.Equal((D(2024, 7, 26), D(2025, 3, 3), D(2025, 3, 3), D(2025, 9, 3)), (apply.SuspendedFrom, apply.EnteredThrough, apply.EffectiveDate, apply.LiquidateBy));
        Assert.Contains("4693(a)(1)(B)", apply.Directive);
        var feed = await Feed.ReadAsync(channel, queue, 3);
        Assert.Equal(["liquidation.suspend", "preference.suspend", "liquidation.apply-remedy"],
            feed.OrderBy(m => long.Parse(Feed.Header(m, "sequence"))).Select(m => m.RoutingKey));
        Assert.Equal(apply, JsonParser.Default.Parse<CustomsInstruction>(Encoding.UTF8.GetString(feed.Single(m => m.RoutingKey == "liquidation.apply-remedy").Body.Span)));

        var checks = await CheckAsync(Number(filer, 0), Number(filer, 1), Number(filer, 2), Number(filer, 3));
        Assert.Equal([EntryStatus.LiquidateApplyingRemedy, EntryStatus.LiquidateApplyingRemedy, EntryStatus.LiquidatedBeforeSuspension, EntryStatus.MayLiquidate],
            checks.Select(e => e.Status));
        Assert.All(checks.Take(2), e =>
        {
            Assert.Equal(remedy.ToString(), Assert.Single(e.ApplyRemedies).RemedyId);
            Assert.Equal(D(2025, 9, 3), e.LiquidateBy);
            Assert.Contains("4693(a)(1)(B)", e.Reason);
        });
        Assert.Equal(D(2024, 6, 20), checks[2].LiquidatedOn);
        Assert.Contains("before the suspension of liquidation took effect on 2024-07-26", checks[2].Reason);
        Assert.Empty(checks[2].ApplyRemedies);
        Assert.Equal(OrderKind.PreferenceSuspension, Assert.Single(checks[3].ApplyRemedies).Kind); // a new entry: the remedy in force at entry
        Assert.Equal(OrderKind.PreferenceSuspension, Assert.Single(checks[3].Remedies).Kind);

        var impact = await fixture.Client().GetCaseImpactAsync(new GetCaseImpactRequest { CaseId = c.CaseId.ToString() }, Treasury);
        Assert.False(impact.SuspensionInForce);
        Assert.Equal((2L, "2001.00", "50.00"), (impact.Entries, impact.EnteredValue.Value, impact.EstimatedDuties.Value));
        var reached = Assert.Single(impact.Remedies);
        Assert.Equal((remedy.ToString(), OrderKind.PreferenceSuspension, D(2025, 3, 3)), (reached.RemedyId, reached.Kind, reached.ImposedOn));
        Assert.Equal((2L, "50.00", "150.00", "100.00", 1L),
            (reached.Entries, reached.EstimatedDuties.Value, reached.DutiesWithRemedy.Value, reached.AdditionalDuties.Value, reached.EntriesWithoutGeneralDuties));

        // The same decision again, redelivered and under another message id: nothing new.
        await ImposeAsync(c, remedy, "preference_suspension", "USMCA preferential tariff treatment suspended");
        Assert.Equal(start + 2, await Eventually.StaysAsync(fixture.LastSequenceAsync, n => n == start + 2, TimeSpan.FromSeconds(1)));

        await LiftAsync(c, remedy, "preference_suspension");
        await fixture.WaitForInstructionsAsync(start + 3);
        Assert.Equal(start + 3, await Eventually.StaysAsync(fixture.LastSequenceAsync, n => n == start + 3, TimeSpan.FromSeconds(1)));
        var lift = (await LedgerAsync(start + 2)).Single();
        Assert.Equal((InstructionKind.RemedyLift, remedy.ToString(), D(2025, 9, 1)), (lift.Kind, lift.RemedyId, lift.EffectiveDate));
        var after = await CheckAsync(Number(filer, 0), Number(filer, 3));
        Assert.Equal(EntryStatus.LiquidateApplyingRemedy, after[0].Status); // the direction for the held entries stands
        Assert.Empty(after[1].Remedies); // no longer in force for new goods
        Assert.Single(after[1].ApplyRemedies); // but it was in force on this entry's date
    }

    [Fact]
    public async Task A_penalty_instruction_for_the_held_entries_is_read_by_the_Node_feed_consumer()
    {
        var queue = "customs-node-" + Guid.NewGuid().ToString("N")[..8];
        var bind = await NodeTool.RunAsync("feed-consumer.js", TimeSpan.FromSeconds(30), "bind", fixture.VirtualHost.AmqpUri, queue);
        Assert.True(bind.ExitCode == 0, bind.Error);
        var c = await SuspendedCaseAsync();
        var start = await fixture.LastSequenceAsync();

        await PanelFindsDenialAsync(c);
        await ImposeAsync(c, Guid.NewGuid(), "penalty", "25% ad valorem on entered value");
        await fixture.WaitForInstructionsAsync(start + 2);

        var read = await NodeTool.RunAsync("feed-consumer.js", TimeSpan.FromSeconds(60), "read", fixture.VirtualHost.AmqpUri, queue, "3", "30000", c.CaseId.ToString());
        Assert.True(read.ExitCode == 0, $"exit {read.ExitCode}: {read.Error} {read.Output}");
        var feed = read.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .OrderBy(m => long.Parse(m.GetProperty("headers").GetProperty("sequence").GetString()!)).ToList();
        Assert.Equal(["liquidation.suspend", "penalty.apply", "liquidation.apply-remedy"], feed.Select(m => m.GetProperty("routingKey").GetString()));
        var apply = feed[2].GetProperty("instruction");
        Assert.Equal("INSTRUCTION_KIND_LIQUIDATION_APPLY_REMEDY", apply.GetProperty("kind").GetString());
        Assert.Equal("ORDER_KIND_PENALTY", apply.GetProperty("remedyKind").GetString());
        Assert.Equal("25% ad valorem on entered value", apply.GetProperty("remedyDescription").GetString());
        Assert.Equal(2024, apply.GetProperty("suspendedFrom").GetProperty("year").GetInt32());
        Assert.Equal(3, apply.GetProperty("enteredThrough").GetProperty("month").GetInt32());
        Assert.Equal(feed[0].GetProperty("instruction").GetProperty("orderId").GetString(), apply.GetProperty("orderId").GetString());
        Assert.Equal(c.Facility.Mids, apply.GetProperty("mids").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task A_denial_of_entry_keeps_the_held_entries_held_and_the_denial_remedied_resumes_liquidation_without_a_remedy()
    {
        var c = await SuspendedCaseAsync();
        var filer = NewFiler();
        await fixture.RegisterAsync([Entry(c.Facility.Mids[0], filer, 0, D(2024, 8, 1))]);
        var start = await fixture.LastSequenceAsync();
        var remedy = Guid.NewGuid();

        await PanelFindsDenialAsync(c);
        await ImposeAsync(c, remedy, "entry_denial");
        await fixture.WaitForInstructionsAsync(start + 1);
        Assert.Equal(start + 1, await Eventually.StaysAsync(fixture.LastSequenceAsync, n => n == start + 1, TimeSpan.FromSeconds(1)));
        var denied = (await CheckAsync(Number(filer, 0)))[0];
        await LiftAsync(c, remedy, "entry_denial");
        await fixture.WaitForInstructionsAsync(start + 3);

        Assert.Equal(InstructionKind.EntryDeny, (await LedgerAsync(start))[0].Kind);
        Assert.Equal(EntryStatus.Held, denied.Status); // no duties or penalties to apply: the suspension goes on (19 U.S.C. 4692(b))
        Assert.Equal(OrderKind.EntryDenial, Assert.Single(denied.Remedies).Kind);
        Assert.Empty(denied.ApplyRemedies);
        var ended = await LedgerAsync(start + 1);
        Assert.Equal([InstructionKind.RemedyLift, InstructionKind.LiquidationResume], ended.Select(i => i.Kind));
        Assert.Equal(D(2026, 3, 1), ended[1].LiquidateBy);
        var resumed = (await CheckAsync(Number(filer, 0)))[0];
        Assert.Equal((EntryStatus.MayLiquidate, D(2026, 3, 1)), (resumed.Status, resumed.LiquidateBy));
        Assert.Empty(resumed.ApplyRemedies);
    }
}
