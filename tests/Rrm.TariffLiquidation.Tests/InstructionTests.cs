using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using Rrm.Contracts.Events;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Messaging;
using Rrm.TariffLiquidation.Data;
using Rrm.Testing;
using static Rrm.TariffLiquidation.Tests.LiquidationFixture;

namespace Rrm.TariffLiquidation.Tests;

/// <summary>Orders from the Review service's events and the customs instruction ledger and feed.</summary>
public sealed class InstructionTests(LiquidationFixture fixture) : IClassFixture<LiquidationFixture>
{
    private Task<(IConnection Connection, IChannel Channel, string Queue)> BindFeedAsync() => Feed.BindAsync(fixture);

    private static Task<List<BasicGetResult>> ReadAsync(IChannel channel, string queue, int count) => Feed.ReadAsync(channel, queue, count);

    private static string Header(BasicGetResult message, string name) => Feed.Header(message, name);


    [Fact]
    public async Task A_suspension_and_its_resumption_issue_two_instructions_on_the_feed_and_in_the_ledger()
    {
        var (connection, channel, queue) = await BindFeedAsync();
        await using var _ = connection;
        var c = Case();
        var start = await fixture.LastSequenceAsync();

        await fixture.PublishAsync(Requested(c, new DateOnly(2024, 7, 26)));
        await fixture.WaitForInstructionsAsync(start + 1);
        await fixture.PublishAsync(Resolved(c, new DateOnly(2024, 9, 17)));
        await fixture.WaitForInstructionsAsync(start + 2);

        var ledger = (await fixture.Client().ListInstructionsAsync(new ListInstructionsRequest { AfterSequence = start }, Customs)).Instructions;
        Assert.Equal([start + 1, start + 2], ledger.Select(i => i.Sequence));
        var (suspend, resume) = (ledger[0], ledger[1]);
        Assert.Equal((InstructionKind.LiquidationSuspend, D(2024, 7, 26)), (suspend.Kind, suspend.EffectiveDate));
        Assert.Equal(c.Facility.Mids, suspend.Mids);
        Assert.Equal(c.CaseId.ToString(), suspend.CaseId);
        Assert.Equal("USTR letter to the Secretary of the Treasury of 2024-07-26", suspend.Directive);
        Assert.Equal((InstructionKind.LiquidationResume, D(2024, 9, 17), D(2025, 3, 17)), (resume.Kind, resume.EffectiveDate, resume.LiquidateBy));
        Assert.Equal(suspend.OrderId, resume.OrderId);

        var messages = await ReadAsync(channel, queue, 2);
        Assert.Equal(["liquidation.suspend", "liquidation.resume"], messages.OrderBy(m => long.Parse(Header(m, "sequence"))).Select(m => m.RoutingKey));
        foreach (var message in messages)
        {
            var body = Encoding.UTF8.GetString(message.Body.Span);
            var parsed = JsonParser.Default.Parse<CustomsInstruction>(body);
            Assert.Equal(parsed.InstructionId, message.BasicProperties.MessageId);
            Assert.Equal("application/json", message.BasicProperties.ContentType);
            Assert.Equal(parsed.InstructionId, Header(message, "message-id"));
            Assert.Equal("rrm.liquidation.v1.CustomsInstruction", Header(message, "schema"));
            Assert.Equal(parsed.Sequence.ToString(), Header(message, "sequence"));
            Assert.Equal(ledger.Single(i => i.InstructionId == parsed.InstructionId), parsed);
            Assert.DoesNotContain("\"message\"", body); // the instruction itself, no MassTransit envelope
        }
    }

    [Fact]
    public async Task A_resolution_consumed_before_the_request_still_resumes_what_the_request_suspends()
    {
        var c = Case();
        var start = await fixture.LastSequenceAsync();

        await fixture.PublishAsync(Resolved(c, new DateOnly(2024, 9, 17)));
        await Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM liquidation.pending_lifts WHERE case_id = '{c.CaseId}'"),
            n => n == 1, what: "the waiting lift");
        await fixture.PublishAsync(Requested(c, new DateOnly(2024, 7, 26)));
        await fixture.WaitForInstructionsAsync(start + 2);

        var ledger = (await fixture.Client().ListInstructionsAsync(new ListInstructionsRequest { AfterSequence = start }, Customs)).Instructions;
        Assert.Equal([InstructionKind.LiquidationSuspend, InstructionKind.LiquidationResume], ledger.Select(i => i.Kind));
        Assert.Equal(D(2025, 3, 17), ledger[1].LiquidateBy);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM liquidation.pending_lifts WHERE case_id = '{c.CaseId}'"));
        Assert.False((await fixture.Client().GetFacilityStatusAsync(new GetFacilityStatusRequest { Mid = c.Facility.Mids[0] }, Customs)).LiquidationSuspended);
    }

    /// <summary>The replay of docs/operations.md ("Replay the customs feed"), as written there.</summary>
    [Fact]
    public async Task The_documented_replay_publishes_the_chosen_instructions_again_with_their_ids_and_sequences()
    {
        var c = Case();
        var start = await fixture.LastSequenceAsync();
        await fixture.PublishAsync(Requested(c, new DateOnly(2024, 7, 26)));
        await fixture.PublishAsync(Resolved(c, new DateOnly(2024, 9, 17)));
        await fixture.WaitForInstructionsAsync(start + 2);
        await Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM liquidation.outbox_messages WHERE exchange IS NOT NULL AND processed_at IS NULL"), n => n == 0, what: "the feed published");
        // A queue bound late, after both were published.
        var (connection, channel, queue) = await BindFeedAsync();
        await using var _ = connection;

        var operations = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "operations.md"));
        var replay = System.Text.RegularExpressions.Regex.Match(operations, @"UPDATE liquidation\.outbox_messages[^;]*;").Value;
        await fixture.Database.ScalarAsync<int?>(replay.Replace("> 41", $"> {start}"));

        var messages = await ReadAsync(channel, queue, 2);
        var ledger = (await fixture.Client().ListInstructionsAsync(new ListInstructionsRequest { AfterSequence = start }, Customs)).Instructions;
        Assert.Equal(ledger.Select(i => i.InstructionId), messages.OrderBy(m => long.Parse(Header(m, "sequence"))).Select(m => m.BasicProperties.MessageId));
        Assert.Equal([start + 1, start + 2], messages.Select(m => long.Parse(Header(m, "sequence"))).Order());
    }

    [Fact]
    public async Task A_redelivered_event_issues_no_second_instruction()
    {
        var c = Case();
        var message = Guid.NewGuid();
        var start = await fixture.LastSequenceAsync();

        await fixture.PublishAsync(Requested(c, new DateOnly(2024, 7, 26)), message);
        await fixture.WaitForInstructionsAsync(start + 1);
        await fixture.PublishAsync(Requested(c, new DateOnly(2024, 7, 26)), message);
        await fixture.PublishAsync(Requested(c, new DateOnly(2024, 7, 26))); // the same decision under another message id

        Assert.Equal(start + 1, await Eventually.StaysAsync(fixture.LastSequenceAsync, n => n == start + 1, TimeSpan.FromSeconds(1)));
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM liquidation.orders WHERE case_id = '{c.CaseId}'"));
    }

    [Fact]
    public async Task Concurrent_events_get_gap_free_sequence_numbers_and_each_reaches_the_feed_once()
    {
        var (connection, channel, queue) = await BindFeedAsync();
        await using var _ = connection;
        var start = await fixture.LastSequenceAsync();

        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => fixture.PublishAsync(Requested(Case(), new DateOnly(2024, 7, 26)))));

        await fixture.WaitForInstructionsAsync(start + 30);
        var messages = await ReadAsync(channel, queue, 30);
        var sequences = messages.Select(m => long.Parse(Header(m, "sequence"))).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 30).Select(i => start + i), sequences);
        Assert.Equal(30, messages.Select(m => m.BasicProperties.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task Remedies_and_their_lifting_are_orders_with_instructions()
    {
        var c = Case(suspended: false);
        var remedy = Guid.NewGuid();
        var start = await fixture.LastSequenceAsync();

        await fixture.PublishAsync(new RemedyImposed { Case = c, RemedyId = remedy, Kind = "penalty", Description = "10% ad valorem", ImposedDate = new DateOnly(2025, 3, 3) });
        await fixture.WaitForInstructionsAsync(start + 1);
        var status = await fixture.Client().GetFacilityStatusAsync(new GetFacilityStatusRequest { Mid = c.Facility.Mids[1] }, Treasury);
        await fixture.PublishAsync(new RemedyLifted { Case = c, RemedyId = remedy, Kind = "penalty", LiftedDate = new DateOnly(2025, 9, 1) });
        await fixture.WaitForInstructionsAsync(start + 2);

        var ledger = (await fixture.Client().ListInstructionsAsync(new ListInstructionsRequest { AfterSequence = start }, Customs)).Instructions;
        Assert.Equal([InstructionKind.PenaltyApply, InstructionKind.RemedyLift], ledger.Select(i => i.Kind));
        Assert.All(ledger, i => Assert.Equal(remedy.ToString(), i.RemedyId));
        Assert.Equal("10% ad valorem", ledger[0].RemedyDescription);
        Assert.Equal(OrderKind.Penalty, Assert.Single(status.ActiveOrders).Kind);
        Assert.False(status.LiquidationSuspended);
        Assert.Equal(c.Facility.Mids, status.FacilityMids);
        var after = await fixture.Client().GetFacilityStatusAsync(new GetFacilityStatusRequest { Mid = c.Facility.Mids[0] }, Treasury);
        Assert.Empty(after.ActiveOrders);
        Assert.Equal(D(2025, 9, 1), Assert.Single(after.History).LiftedOn);
    }

    [Fact]
    public async Task The_ledger_can_be_watched_from_a_sequence_then_live()
    {
        var start = await fixture.LastSequenceAsync();
        await fixture.PublishAsync(Requested(Case(), new DateOnly(2024, 7, 26)));
        await fixture.WaitForInstructionsAsync(start + 1);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = fixture.Client().WatchInstructions(new WatchInstructionsRequest { AfterSequence = start }, Customs, cancellationToken: cancel.Token);

        Assert.True(await watch.ResponseStream.MoveNext(cancel.Token));
        Assert.Equal(start + 1, watch.ResponseStream.Current.Instruction.Sequence);
        await fixture.PublishAsync(Requested(Case(), new DateOnly(2024, 7, 27)));

        Assert.True(await watch.ResponseStream.MoveNext(cancel.Token));
        Assert.Equal(start + 2, watch.ResponseStream.Current.Instruction.Sequence);
    }

    [Fact]
    public async Task The_ledger_can_be_read_for_one_case_and_a_case_id_that_is_not_one_is_refused_by_name()
    {
        var (one, other) = (Case(), Case());
        var start = await fixture.LastSequenceAsync();
        await fixture.PublishAsync(Requested(one, new DateOnly(2024, 7, 26)));
        await fixture.PublishAsync(Requested(other, new DateOnly(2024, 7, 26)));
        await fixture.PublishAsync(Resolved(one, new DateOnly(2024, 9, 17)));
        await fixture.WaitForInstructionsAsync(start + 3);

        var ofOne = (await fixture.Client().ListInstructionsAsync(new ListInstructionsRequest { CaseId = one.CaseId.ToString() }, Customs)).Instructions;
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Client().ListInstructionsAsync(
            new ListInstructionsRequest { CaseId = "impro" }, Customs).ResponseAsync);

        Assert.Equal([InstructionKind.LiquidationSuspend, InstructionKind.LiquidationResume], ofOne.Select(i => i.Kind));
        Assert.All(ofOne, i => Assert.Equal(one.CaseId.ToString(), i.CaseId));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("case_id", error.Status.Detail);
    }

    [Fact]
    public async Task The_feed_and_the_ledger_are_for_customs_and_officers_only()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Client().ListInstructionsAsync(
            new ListInstructionsRequest(), Tokens.For(Rrm.ServiceDefaults.Security.Roles.IlcAnalyst)).ResponseAsync);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => fixture.Client().ListInstructionsAsync(new ListInstructionsRequest()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }
}

/// <summary>The customs system's side of the feed: a durable queue bound to every instruction (docs/customs-feed.md).</summary>
internal static class Feed
{
    public static async Task<(IConnection Connection, IChannel Channel, string Queue)> BindAsync(LiquidationFixture fixture)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(fixture.VirtualHost.AmqpUri) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync("rrm.customs.instructions", ExchangeType.Topic, durable: true);
        var queue = "customs-" + Guid.NewGuid().ToString("N")[..8];
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(queue, "rrm.customs.instructions", "#");
        return (connection, channel, queue);
    }

    public static async Task<List<BasicGetResult>> ReadAsync(IChannel channel, string queue, int count)
    {
        var messages = new List<BasicGetResult>();
        await Eventually.GetAsync(async () =>
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } message) messages.Add(message);
            return messages.Count;
        }, n => n >= count, what: $"{count} feed messages");
        return messages;
    }

    public static string Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers![name] is byte[] bytes ? Encoding.UTF8.GetString(bytes) : message.BasicProperties.Headers[name]!.ToString()!;
}

/// <summary>A crash between commit and publish (this class has its own service: the test stops it).</summary>
public sealed class FeedRecoveryTests(LiquidationFixture fixture) : IClassFixture<LiquidationFixture>
{
    [Fact]
    public async Task Instructions_committed_before_a_crash_reach_the_feed_after_restart_without_gaps()
    {
        var (connection, channel, queue) = await Feed.BindAsync(fixture);
        await using var _ = connection;
        var start = await fixture.LastSequenceAsync();
        // A replica whose feed cannot reach the broker: it commits instructions, publishes none, and dies.
        await using (var crashing = await fixture.StartAsync<LiquidationDbContext>(services: s => s.AddSingleton(new FeedPublisher(
            Options.Create(new ConnectionStringOptions { RabbitMq = "amqp://rrm:rrm@127.0.0.1:1/" }), NullLogger<FeedPublisher>.Instance))))
        {
            await fixture.Service.DisposeAsync(); // only the crashing replica consumes
            await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => fixture.PublishAsync(Requested(Case(), new DateOnly(2024, 7, 26)), via: crashing.Services)));
            await fixture.WaitForInstructionsAsync(start + 5);
        }
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM liquidation.outbox_messages WHERE exchange IS NOT NULL AND processed_at IS NOT NULL AND (headers->>'sequence')::bigint > {start}"));
        await fixture.Database.ScalarAsync<int>("UPDATE liquidation.outbox_messages SET next_attempt_at = now() WHERE processed_at IS NULL RETURNING 1");

        await using var restarted = await fixture.StartAsync<LiquidationDbContext>();

        var messages = await Feed.ReadAsync(channel, queue, 5);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => start + i), messages.Select(m => long.Parse(Feed.Header(m, "sequence"))).Order());
    }

}
