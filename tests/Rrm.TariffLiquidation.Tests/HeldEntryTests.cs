using Grpc.Core;
using Rrm.Contracts.Events;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Testing;
using static Rrm.TariffLiquidation.Tests.LiquidationFixture;

namespace Rrm.TariffLiquidation.Tests;

/// <summary>
/// Which entries a suspension holds: only unliquidated ones (19 U.S.C. 4692(a)); a suspension directed as its own act; and
/// MIDs added to a facility while an order is in force.
/// </summary>
public sealed class HeldEntryTests(LiquidationFixture fixture) : IClassFixture<LiquidationFixture>
{
    private async Task<CaseRef> KnownAsync(CaseRef? c = null)
    {
        c ??= Case();
        await fixture.PublishAsync(new CaseOpened { Case = c, OpenedDate = new DateOnly(2024, 7, 24) });
        await Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM liquidation.known_mids WHERE mid = '{c.Facility.Mids[0]}'"),
            n => n == 1, what: "the facility's MIDs");
        return c;
    }

    private async Task SuspendAsync(CaseRef c)
    {
        var start = await fixture.LastSequenceAsync();
        await fixture.PublishAsync(Requested(c, new DateOnly(2024, 7, 26)));
        await fixture.WaitForInstructionsAsync(start + 1);
    }

    /// <summary>Both forms of the gate, at the ledger's last sequence, checked against the database (<see cref="GateAgreement"/>).</summary>
    private Task<IList<EntryCheck>> CheckAsync(params string[] numbers) => fixture.CheckAsync(numbers);

    private Task<ReportEntriesLiquidatedResponse> ReportAsync(params (string Number, Rrm.Grpc.Common.V1.Date? Date)[] entries) =>
        fixture.Client().ReportEntriesLiquidatedAsync(new ReportEntriesLiquidatedRequest
        {
            Entries = { entries.Select(e => new EntryLiquidation { EntryNumber = e.Number, LiquidationDate = e.Date }) },
        }, Customs).ResponseAsync;

    private async Task<IList<CustomsInstruction>> LedgerAsync(long after) =>
        (await fixture.Client().ListInstructionsAsync(new ListInstructionsRequest { AfterSequence = after }, Customs)).Instructions;

    [Fact]
    public async Task An_entry_liquidated_before_the_suspension_is_never_held_whether_registered_so_or_reported_later()
    {
        var c = await KnownAsync();
        var mid = c.Facility.Mids[0];
        var filer = NewFiler();
        var registeredLiquidated = Entry(mid, filer, 0, D(2024, 5, 2));
        registeredLiquidated.LiquidationDate = D(2024, 6, 20);
        await fixture.RegisterAsync([registeredLiquidated, Entry(mid, filer, 1, D(2024, 5, 3)), Entry(mid, filer, 2, D(2024, 5, 6)), Entry(mid, filer, 3, D(2024, 6, 1))]);
        await SuspendAsync(c);

        var reported = await ReportAsync((Number(filer, 1), D(2024, 7, 1)), (Number(filer, 2), D(2024, 8, 2)));
        var again = await ReportAsync((Number(filer, 1), D(2024, 7, 1)));
        var checks = await CheckAsync(Number(filer, 0), Number(filer, 1), Number(filer, 2), Number(filer, 3));

        Assert.Equal((2L, 0L), (reported.Recorded, reported.AlreadyRecorded));
        Assert.Equal((0L, 1L), (again.Recorded, again.AlreadyRecorded));
        Assert.Equal([EntryStatus.LiquidatedBeforeSuspension, EntryStatus.LiquidatedBeforeSuspension, EntryStatus.Held, EntryStatus.Held],
            checks.Select(e => e.Status));
        Assert.Equal([D(2024, 6, 20), D(2024, 7, 1)], checks.Take(2).Select(e => e.LiquidatedOn));
        Assert.All(checks.Take(2), e =>
        {
            Assert.Contains("only unliquidated entries are held (19 U.S.C. 4692(a))", e.Reason);
            Assert.Equal(c.CaseId.ToString(), e.CaseId);
        });
        Assert.Contains("reported liquidated on 2024-08-02, after the suspension took effect", checks[2].Reason); // liquidated while held: still held
        Assert.Contains("suspended from 2024-07-26", checks[3].Reason);
        var impact = await fixture.Client().GetCaseImpactAsync(new GetCaseImpactRequest { CaseId = c.CaseId.ToString() }, Treasury);
        Assert.Equal(2, impact.Entries);
        var status = await fixture.Client().GetFacilityStatusAsync(new GetFacilityStatusRequest { Mid = mid }, Customs);
        Assert.Equal(2, status.HeldEntries);
    }

    public static TheoryData<string, (int Index, string Number, Rrm.Grpc.Common.V1.Date? Date)> BadReports => new()
    {
        { "entries[1].entry_number", (1, "ZZZ-9999999-9", D(2024, 9, 1)) },          // not registered
        { "entries[1].entry_number", (1, "nonsense", D(2024, 9, 1)) },
        { "entries[1].entry_number", (1, "SELF", D(2024, 9, 1)) },                   // the first entry again
        { "entries[1].liquidation_date", (1, "", null) },
        { "entries[1].liquidation_date", (1, "", D(2999, 1, 1)) },
        { "entries[1].liquidation_date", (1, "", D(2024, 4, 1)) },                   // before its entry date
        { "entries[1].liquidation_date", (1, "", D(2024, 6, 2)) },                   // another date than the one recorded
        { "entries[1].liquidation_date", (1, "", new Rrm.Grpc.Common.V1.Date { Year = 2024, Month = 2, Day = 30 }) },
    };

    [Theory]
    [MemberData(nameof(BadReports))]
    public async Task A_bad_liquidation_report_is_InvalidArgument_naming_the_field_and_records_nothing(string field, (int Index, string Number, Rrm.Grpc.Common.V1.Date? Date) bad)
    {
        var c = await KnownAsync();
        var filer = NewFiler();
        var recorded = Entry(c.Facility.Mids[0], filer, 1, D(2024, 5, 2));
        recorded.LiquidationDate = D(2024, 6, 1);
        await fixture.RegisterAsync([Entry(c.Facility.Mids[0], filer, 0, D(2024, 5, 2)), recorded]);
        var number = bad.Number switch { "" => Number(filer, 1), "SELF" => Number(filer, 0), _ => bad.Number };

        var error = await Assert.ThrowsAsync<RpcException>(() => ReportAsync((Number(filer, 0), D(2024, 9, 1)), (number, bad.Date)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"{field}:", error.Status.Detail);
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM liquidation.entries WHERE filer_code = '{filer}' AND liquidated_on IS NOT NULL"));
    }

    [Fact]
    public async Task An_empty_report_and_bad_liquidation_dates_at_registration_are_InvalidArgument()
    {
        var c = await KnownAsync();
        var filer = NewFiler();
        var before = Entry(c.Facility.Mids[0], filer, 0, D(2024, 5, 2));
        before.LiquidationDate = D(2024, 5, 1);
        var general = Entry(c.Facility.Mids[0], filer, 1, D(2024, 5, 2));
        general.DutiesWithoutPreference = new Rrm.Grpc.Common.V1.Decimal { Value = "12.345" };

        var empty = await Assert.ThrowsAsync<RpcException>(() => ReportAsync());
        var registration = await Assert.ThrowsAsync<RpcException>(() => fixture.RegisterAsync([before, general]));

        Assert.Equal((StatusCode.InvalidArgument, StatusCode.InvalidArgument), (empty.StatusCode, registration.StatusCode));
        Assert.Contains("entries:", empty.Status.Detail);
        Assert.Contains("entries[0].liquidation_date:", registration.Status.Detail);
        Assert.Contains("entries[1].duties_without_preference:", registration.Status.Detail);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM liquidation.entries WHERE filer_code = '{filer}'"));
    }

    [Fact]
    public async Task Only_the_customs_system_reports_liquidations()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Client().ReportEntriesLiquidatedAsync(new ReportEntriesLiquidatedRequest(), Treasury).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task A_suspension_directed_as_its_own_act_holds_entries_from_its_date_once()
    {
        var c = await KnownAsync();
        var start = await fixture.LastSequenceAsync();
        await fixture.PublishAsync(Requested(c, new DateOnly(2024, 7, 26), suspend: false));
        var directed = new LiquidationSuspensionDirected { Case = c, EffectiveDate = new DateOnly(2024, 8, 1), AnnouncedDate = new DateOnly(2024, 8, 2) };
        var message = Guid.NewGuid();

        await fixture.PublishAsync(directed, message);
        await fixture.WaitForInstructionsAsync(start + 1);
        await fixture.PublishAsync(directed, message);
        await fixture.PublishAsync(directed);
        await fixture.PublishAsync(Requested(Case(), new DateOnly(2024, 7, 26)) with { Case = c }); // a request with suspension after it: in force already
        var filer = NewFiler();
        await fixture.RegisterAsync([Entry(c.Facility.Mids[0], filer, 0, D(2024, 7, 30))]);

        Assert.Equal(start + 1, await Eventually.StaysAsync(fixture.LastSequenceAsync, n => n == start + 1, TimeSpan.FromSeconds(1)));
        var suspend = Assert.Single(await LedgerAsync(start));
        Assert.Equal((InstructionKind.LiquidationSuspend, D(2024, 8, 1), "USTR letter to the Secretary of the Treasury of 2024-08-01"),
            (suspend.Kind, suspend.EffectiveDate, suspend.Directive));
        var check = (await CheckAsync(Number(filer, 0)))[0];
        Assert.Equal((EntryStatus.Held, D(2024, 8, 1)), (check.Status, check.HeldSince));
    }

    [Fact]
    public async Task A_MID_added_while_a_suspension_is_in_force_holds_its_entries_from_that_day_and_the_feed_says_so()
    {
        var (connection, channel, queue) = await Feed.BindAsync(fixture);
        await using var _ = connection;
        var c = await KnownAsync();
        await SuspendAsync(c);
        var start = await fixture.LastSequenceAsync();
        var added = NewMid();
        var addition = new FacilityMidAdded { FacilityId = c.Facility.FacilityId, Mid = added, Mids = [.. c.Facility.Mids, added], EffectiveDate = new DateOnly(2024, 9, 1) };

        await fixture.PublishAsync(addition);
        await fixture.WaitForInstructionsAsync(start + 1);
        await fixture.PublishAsync(addition); // the same addition under another message id
        var filer = NewFiler();
        await fixture.RegisterAsync([Entry(added, filer, 0, D(2024, 8, 20)), Entry(added, filer, 1, D(2024, 9, 5))]);

        Assert.Equal(start + 1, await Eventually.StaysAsync(fixture.LastSequenceAsync, n => n == start + 1, TimeSpan.FromSeconds(1)));
        var extend = Assert.Single(await LedgerAsync(start));
        var suspend = (await LedgerAsync(start - 1))[0];
        Assert.Equal((InstructionKind.OrderExtend, OrderKind.LiquidationSuspension, suspend.OrderId), (extend.Kind, extend.OrderKind, extend.OrderId));
        Assert.Equal((added, D(2024, 9, 1)), (Assert.Single(extend.Mids), extend.EffectiveDate));
        var feed = await Feed.ReadAsync(channel, queue, 2);
        Assert.Contains(feed, m => m.RoutingKey == "order.extend" && m.BasicProperties.MessageId == extend.InstructionId);
        var checks = await CheckAsync(Number(filer, 0), Number(filer, 1));
        Assert.Equal([EntryStatus.MayLiquidate, EntryStatus.Held], checks.Select(e => e.Status));
        Assert.Equal(D(2024, 9, 5), checks[1].HeldSince);
        var status = await fixture.Client().GetFacilityStatusAsync(new GetFacilityStatusRequest { Mid = added }, Customs);
        Assert.True(status.LiquidationSuspended);
        Assert.Equal(1, status.HeldEntries);
        Assert.Contains(added, status.FacilityMids);
        var order = Assert.Single(status.ActiveOrders);
        Assert.Equal((added, D(2024, 9, 1)), (Assert.Single(order.AddedMids).Mid, order.AddedMids[0].EffectiveFrom));
        var impact = await fixture.Client().GetCaseImpactAsync(new GetCaseImpactRequest { CaseId = c.CaseId.ToString() }, Treasury);
        Assert.Equal(1, impact.Entries);
    }

    [Fact]
    public async Task A_MID_added_to_a_facility_known_only_from_an_imported_history_extends_its_orders_by_their_MIDs()
    {
        var c = Case() with { Replayed = true };
        c = c with { Facility = c.Facility with { FacilityId = Guid.Empty } };
        await KnownAsync(c);
        await SuspendAsync(c);
        var start = await fixture.LastSequenceAsync();
        var added = NewMid();

        await fixture.PublishAsync(new FacilityMidAdded { FacilityId = Guid.NewGuid(), Mid = added, Mids = [c.Facility.Mids[1], added], EffectiveDate = new DateOnly(2024, 9, 1) });
        await fixture.WaitForInstructionsAsync(start + 1);

        var extend = Assert.Single(await LedgerAsync(start));
        Assert.Equal((InstructionKind.OrderExtend, added, false), (extend.Kind, extend.Mids.Single(), extend.Replayed)); // news, not a replay
    }

    [Fact]
    public async Task A_MID_added_before_the_suspension_is_extended_to_when_the_suspension_opens()
    {
        var c = await KnownAsync();
        var added = NewMid();
        await fixture.PublishAsync(new FacilityMidAdded { FacilityId = c.Facility.FacilityId, Mid = added, Mids = [.. c.Facility.Mids, added], EffectiveDate = new DateOnly(2024, 6, 1) });
        await Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM liquidation.known_mids WHERE mid = '{added}'"), n => n == 1, what: "the added MID");
        var start = await fixture.LastSequenceAsync();

        await fixture.PublishAsync(Requested(c, new DateOnly(2024, 7, 26)));
        await fixture.WaitForInstructionsAsync(start + 2);
        var filer = NewFiler();
        await fixture.RegisterAsync([Entry(added, filer, 0, D(2024, 5, 20)), Entry(added, filer, 1, D(2024, 6, 10))]);

        var ledger = await LedgerAsync(start);
        Assert.Equal([InstructionKind.LiquidationSuspend, InstructionKind.OrderExtend], ledger.Select(i => i.Kind));
        Assert.Equal((added, D(2024, 6, 1)), (ledger[1].Mids.Single(), ledger[1].EffectiveDate));
        Assert.Equal([EntryStatus.MayLiquidate, EntryStatus.Held], (await CheckAsync(Number(filer, 0), Number(filer, 1))).Select(e => e.Status));
    }
}
