using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rrm.Contracts.Events;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Testing;
using static Rrm.TariffLiquidation.Tests.LiquidationFixture;

namespace Rrm.TariffLiquidation.Tests;

/// <summary>The service with its warnings kept, so a test can see what it told the operators.</summary>
public sealed class ImportFixture : LiquidationFixture
{
    public ConcurrentQueue<string> Warnings { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(new WarningSink(Warnings));

    private sealed class WarningSink(ConcurrentQueue<string> warnings) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning) warnings.Enqueue(formatter(state, exception));
        }
        public void Dispose() { }
    }
}

/// <summary>
/// An imported history's instructions go out as history (replayed); what still stands after it goes out once more as current
/// news (<c>order.in-force</c>), so a customs system that ignores history still applies it.
/// </summary>
public sealed class ImportedHistoryTests(ImportFixture fixture) : IClassFixture<ImportFixture>
{
    private static readonly DateOnly Opened = new(2024, 7, 24), Requested = new(2024, 7, 26), Resolved = new(2024, 9, 17),
        Determined = new(2025, 1, 20), Imposed = new(2025, 3, 3);

    /// <summary>The Review service's import: the history's replayed events, then CaseHistoryImported, on one queue in that order.</summary>
    private async Task<Guid> ImportAsync(CaseRef c, DateOnly lastAct, IEnumerable<object> history, Guid[]? remediesInForce = null, Guid? messageId = null)
    {
        foreach (var @event in history) await fixture.PublishAsync(@event);
        var id = messageId ?? Guid.NewGuid();
        await ImportedAsync(c, lastAct, remediesInForce ?? [], id);
        return id;
    }

    private async Task ImportedAsync(CaseRef c, DateOnly lastAct, Guid[] remediesInForce, Guid messageId)
    {
        await fixture.PublishAsync(new CaseHistoryImported { Case = c, LastActDate = lastAct, RemediesInForce = remediesInForce }, messageId);
        await HandledAsync(messageId);
    }

    /// <summary>The consumer recorded the message in its inbox: whatever it issues is in the ledger now.</summary>
    private Task HandledAsync(Guid messageId) => Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>(
        $"SELECT count(*) FROM liquidation.inbox_messages WHERE message_id = '{messageId}' AND consumer = 'CaseHistoryImportedConsumer'"),
        n => n == 1, what: "CaseHistoryImported handled");

    private async Task<List<CustomsInstruction>> CaseLedgerAsync(CaseRef c) =>
        [.. (await fixture.Client().ListInstructionsAsync(new ListInstructionsRequest { PageSize = 1000 }, Customs)).Instructions
            .Where(i => i.CaseId == c.CaseId.ToString())];

    private static CaseRef Imported(bool suspended) => Case(suspended: suspended, replayed: true) with { Reference = "impro-2024", PetitionId = null };

    private static CaseOpened OpenedEvent(CaseRef c) => new() { Case = c with { LiquidationSuspended = false }, OpenedDate = Opened };

    private static RemedyImposed Remedy(CaseRef c, Guid id, string kind, string description) =>
        new() { Case = c, RemedyId = id, Kind = kind, Description = description, ImposedDate = Imposed };

    private static PanelDetermined Denial(CaseRef c) =>
        new() { Case = c, DeterminationDate = Determined, DenialFound = true, RemediesAvailableFrom = new DateOnly(2025, 2, 19) };

    [Fact]
    public async Task A_closed_history_goes_out_only_as_history_and_nothing_is_published_in_force()
    {
        var (connection, channel, queue) = await Feed.BindAsync(fixture);
        await using var _ = connection;
        var c = Imported(suspended: false);

        await ImportAsync(c, Resolved, [OpenedEvent(c), LiquidationFixture.Requested(c with { LiquidationSuspended = true }, Requested), LiquidationFixture.Resolved(c, Resolved)]);

        var ledger = await CaseLedgerAsync(c);
        Assert.Equal([InstructionKind.LiquidationSuspend, InstructionKind.LiquidationResume], ledger.Select(i => i.Kind));
        Assert.All(ledger, i => Assert.True(i.Replayed));
        var feed = (await Feed.ReadAsync(channel, queue, 2)).OrderBy(m => long.Parse(Feed.Header(m, "sequence"))).ToList();
        Assert.Equal(["liquidation.suspend", "liquidation.resume"], feed.Select(m => m.RoutingKey));
        Assert.All(feed, m => Assert.True(JsonParser.Default.Parse<CustomsInstruction>(Encoding.UTF8.GetString(m.Body.Span)).Replayed));
        // Nothing more reaches the feed for it.
        Assert.Empty(await Eventually.StaysAsync(async () => await channel.BasicGetAsync(queue, autoAck: true) is { } m ? new[] { m.RoutingKey } : [],
            keys => keys.Length == 0, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_suspension_still_standing_after_the_history_is_published_once_as_in_force_with_every_MID_from_its_own_date()
    {
        var c = Imported(suspended: true);
        // A MID the registered facility gained before the import: the replayed order extends to it from that day.
        var added = NewMid();
        await fixture.PublishAsync(new FacilityMidAdded
        {
            FacilityId = c.Facility.FacilityId, Mid = added, Mids = [.. c.Facility.Mids, added], EffectiveDate = new DateOnly(2024, 8, 10),
        });
        await Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM liquidation.facility_mid_additions WHERE mid = '{added}'"), n => n == 1, what: "the MID added");

        await ImportAsync(c, Requested, [OpenedEvent(c), LiquidationFixture.Requested(c, Requested)]);

        var ledger = await CaseLedgerAsync(c);
        Assert.Equal([InstructionKind.LiquidationSuspend, InstructionKind.OrderExtend, InstructionKind.OrderInForce], ledger.Select(i => i.Kind));
        Assert.Equal([true, true, false], ledger.Select(i => i.Replayed));
        var (suspend, inForce) = (ledger[0], ledger[2]);
        Assert.Equal((suspend.OrderId, OrderKind.LiquidationSuspension, D(2024, 7, 26)), (inForce.OrderId, inForce.OrderKind, inForce.EffectiveDate));
        Assert.Equal([.. c.Facility.Mids, added], inForce.Mids);
        var addedMid = Assert.Single(inForce.AddedMids);
        Assert.Equal((added, D(2024, 8, 10)), (addedMid.Mid, addedMid.EffectiveFrom));
        Assert.Equal("In force after the imported history of case impro-2024: USTR letter to the Secretary of the Treasury of 2024-07-26", inForce.Directive);
        Assert.Empty(inForce.RemedyId);
        Assert.DoesNotContain(fixture.Warnings, w => w.Contains(c.CaseId.ToString()));
        // The entry gate agrees: the facility's liquidation is suspended now.
        Assert.True((await fixture.Client().GetFacilityStatusAsync(new GetFacilityStatusRequest { Mid = c.Facility.Mids[0] }, Customs)).LiquidationSuspended);
    }

    [Fact]
    public async Task Remedies_in_force_after_the_history_are_published_as_in_force_and_a_suspension_a_remedy_ended_is_not()
    {
        // A penalty reached the held entries (the suspension ended with it); a denial of entry stands beside it.
        var c = Imported(suspended: true);
        var (penalty, denial) = (Guid.NewGuid(), Guid.NewGuid());
        await ImportAsync(c, Imposed,
            [OpenedEvent(c), LiquidationFixture.Requested(c, Requested), Denial(c), Remedy(c, penalty, "penalty", "25% ad valorem on entered value"),
             Remedy(c, denial, "entry_denial", "")],
            remediesInForce: [penalty, denial]);

        var ledger = await CaseLedgerAsync(c);
        Assert.Equal([InstructionKind.LiquidationSuspend, InstructionKind.PenaltyApply, InstructionKind.LiquidationApplyRemedy, InstructionKind.EntryDeny,
            InstructionKind.OrderInForce, InstructionKind.OrderInForce], ledger.Select(i => i.Kind));
        Assert.All(ledger.Take(4), i => Assert.True(i.Replayed));
        var inForce = ledger.Skip(4).ToList();
        Assert.All(inForce, i => Assert.False(i.Replayed));
        Assert.Equal([(penalty.ToString(), OrderKind.Penalty, ledger[1].OrderId), (denial.ToString(), OrderKind.EntryDenial, ledger[3].OrderId)],
            inForce.Select(i => (i.RemedyId, i.OrderKind, i.OrderId)).OrderBy(r => r.OrderKind));
        Assert.All(inForce, i =>
        {
            Assert.Equal(D(2025, 3, 3), i.EffectiveDate);
            Assert.Equal(i.OrderKind, i.RemedyKind);
            Assert.Equal(c.Facility.Mids, i.Mids);
            Assert.Equal("In force after the imported history of case impro-2024: USTR direction to the Secretary of the Treasury of 2025-03-03 (19 U.S.C. 4693(a))",
                i.Directive);
        });
        Assert.Equal("25% ad valorem on entered value", inForce.Single(i => i.OrderKind == OrderKind.Penalty).RemedyDescription);
        // The Review service still calls liquidation suspended; here the penalty ended the suspension: nothing missing, no warning.
        Assert.DoesNotContain(fixture.Warnings, w => w.Contains(c.CaseId.ToString()));
    }

    [Fact]
    public async Task A_redelivered_or_repeated_CaseHistoryImported_publishes_nothing_twice()
    {
        var c = Imported(suspended: true);
        var message = await ImportAsync(c, Requested, [OpenedEvent(c), LiquidationFixture.Requested(c, Requested)]);
        var ledger = await CaseLedgerAsync(c);
        Assert.Equal([InstructionKind.LiquidationSuspend, InstructionKind.OrderInForce], ledger.Select(i => i.Kind));
        var last = await fixture.LastSequenceAsync();

        // Redelivered (same message id), then published again under another id (an import repeated).
        await fixture.PublishAsync(new CaseHistoryImported { Case = c, LastActDate = Requested, RemediesInForce = [] }, message);
        await ImportedAsync(c, Requested, [], Guid.NewGuid());

        Assert.Equal(last, await Eventually.StaysAsync(fixture.LastSequenceAsync, n => n == last, TimeSpan.FromSeconds(1)));
        Assert.Equal(ledger, await CaseLedgerAsync(c));
    }

    [Fact]
    public async Task A_suspension_the_event_names_but_no_order_here_carries_is_logged_and_nothing_is_invented()
    {
        // The history's request never reached this service (e.g. the events raced): only the case's opening did.
        var c = Imported(suspended: true);
        var stray = Guid.NewGuid();
        await ImportAsync(c, Requested, [OpenedEvent(c)], remediesInForce: [stray]);

        Assert.Empty(await CaseLedgerAsync(c));
        var warnings = fixture.Warnings.Where(w => w.Contains(c.CaseId.ToString())).ToList();
        Assert.Contains(warnings, w => w.Contains("no suspension order is in force here") && w.Contains("impro-2024"));
        Assert.Contains(warnings, w => w.Contains(stray.ToString()) && w.Contains("nothing issued"));
    }

    [Fact]
    public async Task The_Node_feed_consumer_reads_the_imported_instructions_as_history_and_the_standing_order_as_current()
    {
        var queue = "customs-node-" + Guid.NewGuid().ToString("N")[..8];
        var bind = await NodeTool.RunAsync("feed-consumer.js", TimeSpan.FromSeconds(30), "bind", fixture.VirtualHost.AmqpUri, queue);
        Assert.True(bind.ExitCode == 0, bind.Error);
        var c = Imported(suspended: true);
        var remedy = Guid.NewGuid();

        await ImportAsync(c, Imposed, [OpenedEvent(c), LiquidationFixture.Requested(c, Requested), Denial(c), Remedy(c, remedy, "entry_denial", "")],
            remediesInForce: [remedy]);

        var read = await NodeTool.RunAsync("feed-consumer.js", TimeSpan.FromSeconds(60), "read", fixture.VirtualHost.AmqpUri, queue, "4", "30000", c.CaseId.ToString());
        Assert.True(read.ExitCode == 0, $"exit {read.ExitCode}: {read.Error} {read.Output}");
        var feed = read.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .OrderBy(m => long.Parse(m.GetProperty("headers").GetProperty("sequence").GetString()!)).ToList();
        Assert.Equal(["liquidation.suspend", "entry.deny", "order.in-force", "order.in-force"], feed.Select(m => m.GetProperty("routingKey").GetString()));
        var instructions = feed.Select(m => m.GetProperty("instruction")).ToList();
        // proto3 JSON leaves out a false bool: "replayed" is there only on history.
        Assert.All(instructions.Take(2), i => Assert.True(i.GetProperty("replayed").GetBoolean()));
        Assert.All(instructions.Skip(2), i => Assert.False(i.TryGetProperty("replayed", out var r) && r.GetBoolean()));
        Assert.All(instructions.Skip(2), i => Assert.Equal("INSTRUCTION_KIND_ORDER_IN_FORCE", i.GetProperty("kind").GetString()));
        // One per order standing: the suspension (the denial of entry does not end it) and the denial itself.
        Assert.Equal(instructions.Take(2).Select(i => i.GetProperty("orderId").GetString()).Order(),
            instructions.Skip(2).Select(i => i.GetProperty("orderId").GetString()).Order());
        var suspension = instructions.Skip(2).Single(i => i.GetProperty("orderKind").GetString() == "ORDER_KIND_LIQUIDATION_SUSPENSION");
        var from = suspension.GetProperty("effectiveDate");
        Assert.Equal((2024, 7, 26), (from.GetProperty("year").GetInt32(), from.GetProperty("month").GetInt32(), from.GetProperty("day").GetInt32()));
        Assert.StartsWith("In force after the imported history of case impro-2024: ", suspension.GetProperty("directive").GetString());
        var denial = instructions.Skip(2).Single(i => i.GetProperty("orderKind").GetString() == "ORDER_KIND_ENTRY_DENIAL");
        Assert.Equal(remedy.ToString(), denial.GetProperty("remedyId").GetString());
        Assert.Equal(c.Facility.Mids, denial.GetProperty("mids").EnumerateArray().Select(m => m.GetString()));
    }
}
