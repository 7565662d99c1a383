using Grpc.Core;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Testing;
using static Rrm.TariffLiquidation.Tests.LiquidationFixture;

namespace Rrm.TariffLiquidation.Tests;

/// <summary>Customs entries: bulk registration, the entry gate and a case's impact.</summary>
public sealed class EntryTests(LiquidationFixture fixture) : IClassFixture<LiquidationFixture>
{
    /// <summary>A facility with a case, known to the service from the Review service's CaseOpened.</summary>
    private async Task<Rrm.Contracts.Events.CaseRef> KnownFacilityAsync(bool suspendOn20240726 = false)
    {
        var c = Case();
        await fixture.PublishAsync(new Rrm.Contracts.Events.CaseOpened { Case = c, OpenedDate = new DateOnly(2024, 7, 24) });
        await Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM liquidation.known_mids WHERE mid = '{c.Facility.Mids[0]}'"),
            n => n == 1, what: "the facility's MIDs");
        if (suspendOn20240726)
        {
            var start = await fixture.LastSequenceAsync();
            await fixture.PublishAsync(Requested(c, new DateOnly(2024, 7, 26)));
            await Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM liquidation.orders WHERE case_id = '{c.CaseId}'"),
                n => n == 1, what: "the suspension");
        }
        return c;
    }


    [Fact]
    public async Task Entries_register_once_by_entry_number()
    {
        var c = await KnownFacilityAsync();
        var filer = NewFiler();
        var entries = Enumerable.Range(0, 2500).Select(i => Entry(c.Facility.Mids[i % 2], filer, i)).ToList();

        var first = await fixture.RegisterAsync(entries);
        var again = await fixture.RegisterAsync(entries.Take(10).Append(Entry(c.Facility.Mids[0], filer, 5000)));

        Assert.Equal((2500, 2500, 0), (first.Received, first.Stored, first.AlreadyRegistered));
        Assert.Equal((11, 1, 10), (again.Received, again.Stored, again.AlreadyRegistered));
    }

    public static TheoryData<string, Action<CustomsEntry>> BadEntries => new()
    {
        { "entry_number", e => e.EntryNumber = "AB-1234567-1" },
        { "entry_number", e => e.EntryNumber = "000-1234567-1" },
        { "entry_number", e => e.EntryNumber = "A$C-1234567-1" },
        { "entry_number", e => e.EntryNumber = "ABC-12345X7-1" },
        { "entry_number", e => e.EntryNumber = $"{e.EntryNumber[..^1]}{(e.EntryNumber[^1] - '0' + 1) % 10}" }, // check digit
        { "filer_code", e => e.FilerCode = "XYZ" },
        { "mid", e => e.Mid = "MXUNKNOWN123VIL" },
        { "entry_date", e => e.EntryDate = D(2020, 6, 30) },
        { "entry_date", e => e.EntryDate = D(2999, 1, 1) },
        { "entry_date", e => e.EntryDate = null },
        { "entered_value", e => e.EnteredValue = new Rrm.Grpc.Common.V1.Decimal { Value = "-1.00" } },
        { "entered_value", e => e.EnteredValue = new Rrm.Grpc.Common.V1.Decimal { Value = "1e5" } },
        { "estimated_duties", e => e.EstimatedDuties = new Rrm.Grpc.Common.V1.Decimal { Value = "1.234" } },
        { "estimated_duties", e => e.EstimatedDuties = null },
        { "importer", e => e.Importer = "" },
        { "country_of_origin", e => e.CountryOfOrigin = "Mexico" },
        { "tariff_number", e => e.TariffNumber = "8708.99" },
    };

    [Fact]
    public async Task A_number_repeated_in_a_stream_is_stored_once_as_its_first_copy()
    {
        var c = await KnownFacilityAsync();
        var filer = NewFiler();
        var first = Entry(c.Facility.Mids[0], filer, 7);
        var second = Entry(c.Facility.Mids[0], filer, 7);
        second.Importer = "SECOND-COPY";

        var result = await fixture.RegisterAsync([first, Entry(c.Facility.Mids[0], filer, 8), second], batch: 2);

        Assert.Equal((3, 2, 1), (result.Received, result.Stored, result.AlreadyRegistered));
        Assert.Equal("IMP-0001", await fixture.Database.ScalarAsync<string>($"SELECT importer FROM liquidation.entries WHERE entry_number = '{Number(filer, 7)}'"));
    }

    [Fact]
    public async Task Concurrent_streams_with_the_same_numbers_store_each_once_and_a_refused_one_can_be_sent_again()
    {
        var c = await KnownFacilityAsync();
        var filer = NewFiler();
        var streams = Enumerable.Range(0, 4).Select(s => Enumerable.Range(s * 500, 3000).Select(i => Entry(c.Facility.Mids[0], filer, i)).ToList()).ToList();

        var outcomes = await Task.WhenAll(streams.Select(async entries =>
        {
            try
            {
                await fixture.RegisterAsync(entries, batch: 500);
                return (StatusCode?)null;
            }
            catch (RpcException e) { return e.StatusCode; }
        }));
        foreach (var (entries, status) in streams.Zip(outcomes).Where(x => x.Second is not null))
        {
            Assert.Equal(StatusCode.Aborted, status);
            await fixture.RegisterAsync(entries, batch: 500); // sent again, it completes
        }

        Assert.Equal(4500, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM liquidation.entries WHERE filer_code = '{filer}'"));
    }

    [Theory]
    [MemberData(nameof(BadEntries))]
    public async Task A_stream_with_one_bad_entry_is_InvalidArgument_naming_it_and_stores_nothing(string field, Action<CustomsEntry> spoil)
    {
        var c = await KnownFacilityAsync();
        var filer = NewFiler();
        var entries = Enumerable.Range(0, 1500).Select(i => Entry(c.Facility.Mids[0], filer, i)).ToList();
        spoil(entries[1234]);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.RegisterAsync(entries));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"entries[1234].{field}:", error.Status.Detail);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM liquidation.entries WHERE mid = '{c.Facility.Mids[0]}'"));
    }

    [Fact]
    public async Task The_gate_holds_entries_under_a_suspended_MID_and_gives_a_liquidate_by_date_after_the_resumption()
    {
        var c = await KnownFacilityAsync(suspendOn20240726: true);
        var filer = NewFiler();
        await fixture.RegisterAsync([Entry(c.Facility.Mids[0], filer, 0, D(2024, 6, 1)), Entry(c.Facility.Mids[1], filer, 1, D(2024, 8, 15))]);
        var numbers = new[] { Number(filer, 0), Number(filer, 1).Replace("-", "").ToLowerInvariant(), "ZZ9-0000001-1" };

        var held = await fixture.CheckAsync(numbers);
        await fixture.PublishAsync(Resolved(c, new DateOnly(2024, 9, 17)));
        await Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM liquidation.orders WHERE case_id = '{c.CaseId}' AND lifted_on IS NOT NULL"),
            n => n == 1, what: "the resumption");
        var released = await fixture.CheckAsync(numbers);

        Assert.Equal([EntryStatus.Held, EntryStatus.Held, EntryStatus.NotRegistered], held.Select(e => e.Status));
        Assert.Equal(c.CaseId.ToString(), held[0].CaseId);
        Assert.Equal(D(2024, 7, 26), held[0].HeldSince); // entered before the suspension: held from its date
        Assert.Equal(D(2024, 8, 15), held[1].HeldSince); // entered while it lasted: held from its entry
        Assert.Equal(Number(filer, 1), held[1].EntryNumber);
        Assert.Equal([EntryStatus.MayLiquidate, EntryStatus.MayLiquidate], released.Take(2).Select(e => e.Status));
        Assert.All(released.Take(2), e => Assert.Equal(D(2025, 3, 17), e.LiquidateBy));
    }

    [Fact]
    public async Task A_malformed_entry_number_to_check_is_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client().CheckEntriesAsync(new CheckEntriesRequest { EntryNumbers = { "ABC-1234567-6", "nonsense" } }, Customs).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("entry_numbers[1]:", error.Status.Detail);
        Assert.DoesNotContain("entry_numbers[0]", error.Status.Detail);
    }

    [Fact]
    public async Task An_entry_number_with_a_wrong_check_digit_to_check_is_InvalidArgument_naming_it()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client().CheckEntriesAsync(new CheckEntriesRequest { EntryNumbers = { "MZ5-0100857-4", "MZ5-0100858-3" } }, Customs).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("entry_numbers[1]: 'MZ5-0100858-3' has check digit 3, expected 2", error.Status.Detail);
        Assert.DoesNotContain("entry_numbers[0]", error.Status.Detail);
    }

    [Fact]
    public async Task A_case_impact_sums_its_held_entries_by_month()
    {
        var c = await KnownFacilityAsync(suspendOn20240726: true);
        var filer = NewFiler();
        await fixture.RegisterAsync([
            Entry(c.Facility.Mids[0], filer, 0, D(2024, 7, 2)), Entry(c.Facility.Mids[1], filer, 1, D(2024, 7, 30)), Entry(c.Facility.Mids[0], filer, 2, D(2024, 8, 5)),
        ]);

        var impact = await fixture.Client().GetCaseImpactAsync(new GetCaseImpactRequest { CaseId = c.CaseId.ToString() }, Treasury);

        Assert.True(impact.SuspensionInForce);
        Assert.Equal(3, impact.Entries);
        Assert.Equal("3001.50", impact.EnteredValue.Value);
        Assert.Equal("75.00", impact.EstimatedDuties.Value);
        Assert.Equal([(2024, 7, 2L), (2024, 8, 1L)], impact.ByMonth.Select(m => (m.Year, m.Month, m.Entries)));
        var suspensions = await fixture.Client().ListSuspensionsAsync(new ListSuspensionsRequest { CaseId = c.CaseId.ToString(), ActiveOnly = true }, Treasury);
        Assert.Equal(OrderKind.LiquidationSuspension, Assert.Single(suspensions.Orders).Kind);
        var status = await fixture.Client().GetFacilityStatusAsync(new GetFacilityStatusRequest { Mid = c.Facility.Mids[1] }, Customs);
        Assert.True(status.LiquidationSuspended);
        Assert.Equal(1, status.HeldEntries);
    }

    [Fact]
    public async Task Only_the_customs_system_registers_entries()
    {
        using var call = fixture.Client().RegisterEntries(Treasury);
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new RegisterEntriesRequest());
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        });

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Two_hundred_thousand_entries_load_in_one_stream_and_the_gate_answers_for_them()
    {
        var c = await KnownFacilityAsync(suspendOn20240726: true);
        var filer = NewFiler();
        const int count = 200_000;

        var result = await fixture.RegisterAsync(Enumerable.Range(0, count).Select(i => Entry(c.Facility.Mids[i % 2], filer, i)), batch: 5000);

        Assert.Equal(count, result.Stored);
        var sample = Enumerable.Range(0, 1000).Select(i => Number(filer, i * 199));
        var checks = await fixture.CheckAsync([.. sample]);
        Assert.All(checks, e => Assert.Equal(EntryStatus.Held, e.Status));
    }
}
