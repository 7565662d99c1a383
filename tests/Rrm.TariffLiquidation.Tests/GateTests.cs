using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Rrm.Contracts.Events;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults;
using Rrm.TariffLiquidation.Data;
using Rrm.Testing;
using static Rrm.TariffLiquidation.Tests.LiquidationFixture;

namespace Rrm.TariffLiquidation.Tests;

/// <summary>
/// The entry gate answered from each replica's memory (docs/adr/0011): entries as the customs system knows them, a second
/// replica that follows the ledger, a replica cut off from it that refuses rather than answer stale, and the request's rules.
/// </summary>
public sealed class GateTests(LiquidationFixture fixture) : IClassFixture<LiquidationFixture>
{
    private static GateEntry Known(string mid, string? number = null, Rrm.Grpc.Common.V1.Date? entered = null) =>
        new() { EntryNumber = number ?? Number(NewFiler(), 1), Mid = mid, EntryDate = entered ?? D(2024, 8, 15) };

    private static async Task<CheckEntriesResponse> AskAsync(LiquidationService.LiquidationServiceClient client, params GateEntry[] entries) =>
        await client.CheckEntriesAsync(new CheckEntriesRequest { Entries = { entries } }, Customs);

    /// <summary>The gate's status for the entry, or the call's status code when it fails.</summary>
    private static async Task<string> OutcomeAsync(LiquidationService.LiquidationServiceClient client, GateEntry entry)
    {
        try { return (await AskAsync(client, entry)).Entries[0].Status.ToString(); }
        catch (RpcException e) { return e.StatusCode.ToString(); }
    }

    /// <summary>Opens a case and suspends liquidation for it from 2024-07-26; returns the suspension's instruction's sequence.</summary>
    /// <summary>A TCP proxy in front of the test database, which a test can cut or stall.</summary>
    private TcpProxy DatabaseProxy()
    {
        var direct = new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString);
        return new TcpProxy(direct.Host!, direct.Port);
    }

    /// <summary>A second replica that reaches the database only through <paramref name="proxy"/>, checking the ledger every 200 ms.</summary>
    private Task<ServiceFactory<LiquidationDbContext>> ReplicaBehindAsync(TcpProxy proxy)
    {
        var viaProxy = new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 };
        return fixture.StartAsync<LiquidationDbContext>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = viaProxy.ConnectionString,
            ["Liquidation:GateCheckInterval"] = "00:00:00.200",
            ["Liquidation:GateMaxStaleness"] = "00:00:00.600",
        });
    }

    private async Task<long> SuspendAsync(CaseRef c)
    {
        var start = await fixture.LastSequenceAsync();
        await fixture.PublishAsync(new CaseOpened { Case = c, OpenedDate = new DateOnly(2024, 7, 24) });
        await fixture.PublishAsync(Requested(c, new DateOnly(2024, 7, 26)));
        return await fixture.WaitForInstructionsAsync(start + 1);
    }

    [Fact]
    public async Task An_entry_the_customs_system_knows_is_answered_without_registration_and_names_the_ledger_sequence()
    {
        var c = Case();
        var sequence = await SuspendAsync(c);
        var before = Known(c.Facility.Mids[0], entered: D(2024, 7, 2));
        before.LiquidationDate = D(2024, 7, 10);
        var held = Known(c.Facility.Mids[1].ToLowerInvariant(), Number(NewFiler(), 7).Replace("-", ""));

        var answer = await fixture.Client().CheckEntriesAsync(new CheckEntriesRequest { Entries = { before, held, Known(NewMid()) }, MinLedgerSequence = sequence }, Customs);

        Assert.True(answer.LedgerSequence >= sequence);
        Assert.Equal([EntryStatus.LiquidatedBeforeSuspension, EntryStatus.Held, EntryStatus.MayLiquidate], answer.Entries.Select(e => e.Status));
        Assert.Equal(c.CaseId.ToString(), answer.Entries[1].CaseId);
        Assert.Equal((c.Facility.Mids[1], D(2024, 8, 15)), (answer.Entries[1].Mid, answer.Entries[1].HeldSince));
        Assert.Equal(held.EntryNumber.Insert(3, "-").Insert(11, "-"), answer.Entries[1].EntryNumber);
        Assert.Equal(D(2024, 7, 10), answer.Entries[0].LiquidatedOn);
    }

    [Fact]
    public async Task A_second_replica_reflects_an_instruction_issued_after_it_started()
    {
        await using var replica = await fixture.StartAsync<LiquidationDbContext>();
        var client = new LiquidationService.LiquidationServiceClient(replica.CreateChannel());
        var c = Case();
        var entry = Known(c.Facility.Mids[0]);
        Assert.Equal(EntryStatus.MayLiquidate, (await AskAsync(client, entry)).Entries[0].Status);

        var sequence = await SuspendAsync(c); // applied by the first replica, which consumes the queue

        var answer = await Eventually.GetAsync(() => AskAsync(client, entry), r => r.Entries[0].Status == EntryStatus.Held, what: "the second replica to hold the entry");
        Assert.True(answer.LedgerSequence >= sequence, $"answered at sequence {answer.LedgerSequence}, the suspension is {sequence}");
        Assert.Equal(c.CaseId.ToString(), answer.Entries[0].CaseId);
    }

    [Fact]
    public async Task A_replica_cut_off_from_the_ledger_answers_Unavailable_and_is_not_ready_and_after_it_reflects_what_it_missed()
    {
        await using var proxy = DatabaseProxy();
        await using var replica = await ReplicaBehindAsync(proxy);
        var client = new LiquidationService.LiquidationServiceClient(replica.CreateChannel());
        var gateHealth = async () => (await replica.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(r => r.Tags.Contains(ServiceDefaultsExtensions.ReadyTag))).Entries["entry-gate"];
        var c = Case();
        var entry = Known(c.Facility.Mids[0]);
        Assert.Equal(nameof(EntryStatus.MayLiquidate), await OutcomeAsync(client, entry));
        Assert.Equal(HealthStatus.Healthy, (await gateHealth()).Status);

        proxy.Cut();
        // A connection that fails takes the replica out at once; a silent one within GateMaxStaleness.
        Assert.Equal(nameof(StatusCode.Unavailable), await Eventually.GetAsync(() => OutcomeAsync(client, entry), s => s != nameof(EntryStatus.MayLiquidate),
            timeout: TimeSpan.FromSeconds(2), what: "the cut-off replica to refuse"));
        var sequence = await SuspendAsync(c); // issued by the first replica while this one cannot hear of it
        var refusal = await Assert.ThrowsAsync<RpcException>(() => AskAsync(client, entry));
        var health = await gateHealth();

        Assert.Equal(StatusCode.Unavailable, refusal.StatusCode);
        Assert.Contains("cannot show that its orders are current", refusal.Status.Detail);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("the entry gate cannot show its orders are current", health.Description);
        Assert.Equal(nameof(StatusCode.Unavailable), // never the stale MAY_LIQUIDATE
            await Eventually.StaysAsync(() => OutcomeAsync(client, entry), s => s == nameof(StatusCode.Unavailable), TimeSpan.FromSeconds(1)));

        proxy.Start();
        var answer = await Eventually.GetAsync(async () =>
        {
            try { return await AskAsync(client, entry); }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable) { return null; }
        }, r => r is not null, what: "the replica to answer again");
        Assert.Equal(EntryStatus.Held, answer!.Entries[0].Status);
        Assert.True(answer.LedgerSequence >= sequence);
        Assert.Equal(HealthStatus.Healthy, (await Eventually.GetAsync(gateHealth, h => h.Status == HealthStatus.Healthy, what: "readiness")).Status);
    }

    [Fact]
    public async Task A_replica_whose_database_goes_silent_answers_Unavailable_within_its_staleness_bound_and_answers_again_after()
    {
        await using var proxy = DatabaseProxy();
        await using var replica = await ReplicaBehindAsync(proxy);
        var client = new LiquidationService.LiquidationServiceClient(replica.CreateChannel());
        var entry = Known(NewMid());
        Assert.Equal(nameof(EntryStatus.MayLiquidate), await OutcomeAsync(client, entry));

        proxy.Stall(); // nothing is closed: only the checks that stop succeeding show it
        var refused = await Eventually.GetAsync(() => OutcomeAsync(client, entry), s => s != nameof(EntryStatus.MayLiquidate),
            timeout: TimeSpan.FromSeconds(3), what: "the replica to refuse");
        proxy.Resume();

        Assert.Equal(nameof(StatusCode.Unavailable), refused);
        Assert.Equal(nameof(EntryStatus.MayLiquidate), await Eventually.GetAsync(() => OutcomeAsync(client, entry),
            s => s == nameof(EntryStatus.MayLiquidate), what: "the replica to answer again"));
    }

    [Fact]
    public async Task A_replica_asked_for_a_later_sequence_than_the_ledger_has_answers_Unavailable()
    {
        var last = await fixture.LastSequenceAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Client().CheckEntriesAsync(
            new CheckEntriesRequest { Entries = { Known(NewMid()) }, MinLedgerSequence = last + 1000 }, Customs).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains($"did not reach {last + 1000}", error.Status.Detail);
    }

    [Fact]
    public async Task Bad_entries_are_InvalidArgument_naming_each_field()
    {
        var mid = NewMid();
        var liquidatedFirst = Known(mid, entered: D(2024, 8, 15));
        liquidatedFirst.LiquidationDate = D(2024, 8, 1);
        var future = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3);
        var entries = new[]
        {
            Known(mid), Known(mid, "MZ5-0100858-3"), Known("MX-ABC"), new GateEntry { EntryNumber = Number(NewFiler(), 2), Mid = mid },
            liquidatedFirst, Known(mid, entered: D(2019, 12, 31)), Known(mid, entered: D(future.Year, future.Month, future.Day)), Known(""),
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Client().CheckEntriesAsync(new CheckEntriesRequest { Entries = { entries } }, Customs).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.DoesNotContain("entries[0]", error.Status.Detail);
        Assert.Contains("entries[1].entry_number: 'MZ5-0100858-3' has check digit 3, expected 2", error.Status.Detail);
        Assert.Contains("entries[2].mid: 'MX-ABC' must be a MID", error.Status.Detail);
        Assert.Contains("entries[3].entry_date: is required", error.Status.Detail);
        Assert.Contains("entries[4].liquidation_date: must not be before the entry date (2024-08-15)", error.Status.Detail);
        Assert.Contains("entries[5].entry_date: must not be before USMCA's entry into force", error.Status.Detail);
        Assert.Contains("entries[6].entry_date: must not be in the future", error.Status.Detail);
        Assert.Contains("entries[7].mid:", error.Status.Detail);
    }

    [Fact]
    public async Task A_check_gives_exactly_one_of_entry_numbers_and_entries_and_at_most_1000()
    {
        var client = fixture.Client();
        async Task<RpcException> RefusedAsync(CheckEntriesRequest request) =>
            await Assert.ThrowsAsync<RpcException>(() => client.CheckEntriesAsync(request, Customs).ResponseAsync);

        var both = await RefusedAsync(new CheckEntriesRequest { EntryNumbers = { Number(NewFiler(), 1) }, Entries = { Known(NewMid()) } });
        var neither = await RefusedAsync(new CheckEntriesRequest());
        var tooMany = await RefusedAsync(new CheckEntriesRequest { Entries = { Enumerable.Range(0, 1001).Select(_ => Known(NewMid())) } });

        Assert.All([both, neither, tooMany], e => Assert.Equal(StatusCode.InvalidArgument, e.StatusCode));
        Assert.Contains("entries: give entry_numbers or entries, not both", both.Status.Detail);
        Assert.Contains("entry_numbers: from 1 to 1000 entry numbers, or from 1 to 1000 entries", neither.Status.Detail);
        Assert.Contains("entries: at most 1000 a call (got 1001)", tooMany.Status.Detail);
    }
}
