using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Rrm.Testing;
using static Rrm.TariffLiquidation.Tests.LiquidationFixture;

namespace Rrm.TariffLiquidation.Tests;

/// <summary>
/// The Tariff-Liquidation service over a virtual host holding the customs system's objects exactly as the deployment
/// ships them: the customs objects of deploy/rabbitmq/definitions.json (compose loads that file; infra.sh, the dev and
/// prod overlays hold the same, tests/Rrm.Deployment.Tests keeps them equal), imported before the service starts, as
/// they are in a deployment. Users are global, so the customs user gets a name of its own here.
/// </summary>
public sealed class CustomsFeedFixture : LiquidationFixture
{
    public string CustomsUser { get; } = "t-customs-" + Guid.NewGuid().ToString("N")[..12];
    public JsonObject Shipped { get; } = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "deploy", "rabbitmq", "definitions.json")))!.AsObject();
    public string CustomsPassword => Shipped["users"]!.AsArray().Single(u => (string?)u!["name"] == "customs-feed")!["password"]!.GetValue<string>();
    public string CustomsUri => $"amqp://{CustomsUser}:{Uri.EscapeDataString(CustomsPassword)}@{new Uri(TestEnvironment.AmqpBase).Authority}/{VirtualHost.Name}";

    public HttpClient Management { get; } = CreateManagementClient();

    protected override async Task BeforeStartAsync()
    {
        // The customs objects: its user and permissions, and the topology (the file declares no other), in this vhost.
        var definitions = new JsonObject
        {
            ["users"] = new JsonArray(Shipped["users"]!.AsArray().Where(u => (string?)u!["name"] == "customs-feed").Select(u => With(u!, "name", CustomsUser)).ToArray()),
            ["permissions"] = new JsonArray(Shipped["permissions"]!.AsArray().Where(p => (string?)p!["user"] == "customs-feed")
                .Select(p => With(With(p!, "user", CustomsUser), "vhost", VirtualHost.Name)).ToArray()),
        };
        foreach (var key in new[] { "exchanges", "queues", "bindings", "policies" })
            definitions[key] = new JsonArray(Shipped[key]!.AsArray().Select(o => With(o!, "vhost", VirtualHost.Name)).ToArray());
        (await Management.PostAsync("api/definitions", new StringContent(definitions.ToJsonString(), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    private static JsonNode With(JsonNode node, string key, string value)
    {
        var copy = node.DeepClone().AsObject();
        copy[key] = value;
        return copy;
    }

    public Task<IConnection> ConnectAsCustomsAsync() => new ConnectionFactory { Uri = new Uri(CustomsUri), AutomaticRecoveryEnabled = false }.CreateConnectionAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Management.DeleteAsync($"api/users/{Uri.EscapeDataString(CustomsUser)}");
        Management.Dispose();
    }

    private static HttpClient CreateManagementClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(TestEnvironment.ManagementUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestEnvironment.ManagementUser}:{TestEnvironment.ManagementPassword}")));
        return client;
    }
}

/// <summary>
/// Security finding 5: the customs system's broker user may only consume the queue the deployment made for it. It
/// declares, binds, deletes and publishes nothing, so it cannot fill the broker until its alarms block every service.
/// </summary>
public sealed class CustomsFeedAccessTests(CustomsFeedFixture fixture) : IClassFixture<CustomsFeedFixture>
{
    private const string Exchange = "rrm.customs.instructions";
    private const string Queue = "customs.feed";

    [Fact]
    public async Task The_customs_user_consumes_an_instruction_from_the_queue_the_deployment_made()
    {
        var c = Case();
        var start = await fixture.LastSequenceAsync();
        await fixture.PublishAsync(Requested(c, new DateOnly(2024, 7, 26)));
        await fixture.WaitForInstructionsAsync(start + 1);

        await using var connection = await fixture.ConnectAsCustomsAsync();
        await using var channel = await connection.CreateChannelAsync();
        var received = Channel.CreateUnbounded<(string RoutingKey, JsonElement Instruction)>();
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, message) =>
        {
            // The body's memory is the client's again once the handler returns: parse it here.
            var instruction = JsonDocument.Parse(message.Body.ToArray()).RootElement.Clone();
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
            await received.Writer.WriteAsync((message.RoutingKey, instruction));
        };
        await channel.BasicConsumeAsync(Queue, autoAck: false, consumer);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        (string RoutingKey, JsonElement Instruction) delivered;
        do delivered = await received.Reader.ReadAsync(timeout.Token);
        while (delivered.Instruction.GetProperty("caseId").GetString() != c.CaseId.ToString());
        Assert.Equal("liquidation.suspend", delivered.RoutingKey);
        Assert.Equal("INSTRUCTION_KIND_LIQUIDATION_SUSPEND", delivered.Instruction.GetProperty("kind").GetString());
    }

    public static TheoryData<string> Refused => new()
    {
        "declare an exchange of its own",
        "declare a queue of its own",
        "declare a server-named queue",
        "declare its own queue",
        "bind its queue",
        "bind an exchange",
        "delete its queue",
        "consume another queue",
        "publish to the instruction exchange",
        "publish to its queue through the default exchange",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task The_customs_user_may_not(string what)
    {
        await DeclareAnotherQueueAsync();
        await using var connection = await fixture.ConnectAsCustomsAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        Func<Task> act = what switch
        {
            "declare an exchange of its own" => () => channel.ExchangeDeclareAsync("customs.flood", ExchangeType.Fanout, durable: false),
            "declare a queue of its own" => () => channel.QueueDeclareAsync("customs.flood", durable: false, exclusive: false, autoDelete: true),
            "declare a server-named queue" => () => channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true),
            "declare its own queue" => () => channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false),
            "bind its queue" => () => channel.QueueBindAsync(Queue, Exchange, "liquidation.#"),
            "bind an exchange" => () => channel.ExchangeBindAsync(Exchange, "amq.topic", "#"),
            "delete its queue" => () => channel.QueueDeleteAsync(Queue),
            "consume another queue" => () => channel.BasicConsumeAsync(OtherQueue, autoAck: true, new AsyncEventingBasicConsumer(channel)),
            "publish to the instruction exchange" => () => channel.BasicPublishAsync(Exchange, "liquidation.suspend", Encoding.UTF8.GetBytes(new string('x', 65536))).AsTask(),
            "publish to its queue through the default exchange" => () => channel.BasicPublishAsync("", Queue, Encoding.UTF8.GetBytes(new string('x', 65536))).AsTask(),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        Assert.Equal(403, await RefusalCodeAsync(channel, act)); // ACCESS_REFUSED
        Assert.DoesNotContain("customs.flood", await NamesAsync("exchanges"));
        Assert.DoesNotContain(await NamesAsync("queues"), n => n == "customs.flood" || n.StartsWith("amq.gen-"));
        Assert.Contains(Queue, await NamesAsync("queues"));
        Assert.Equal(0u, await DepthAsync()); // nothing it published got in
    }

    [Fact]
    public async Task A_passive_declare_of_another_queue_is_refused_from_RabbitMQ_4_2_6_and_on_older_brokers_tells_only_its_counts()
    {
        await DeclareAnotherQueueAsync();
        await using var connection = await fixture.ConnectAsCustomsAsync();
        await using var channel = await connection.CreateChannelAsync();
        var version = await BrokerVersionAsync();

        // RabbitMQ checks no permission on a passive declare before 4.2.6 (rabbitmq-server#16085, #16272): no
        // permission can hide a queue's message and consumer counts from a user of its vhost there (docs/security.md).
        if (version >= new Version(4, 2, 6))
            Assert.Equal(403, await RefusalCodeAsync(channel, () => channel.QueueDeclarePassiveAsync(OtherQueue)));
        else
            Assert.Equal(OtherQueue, (await channel.QueueDeclarePassiveAsync(OtherQueue)).QueueName);
    }

    [Fact]
    public async Task The_customs_user_has_connection_and_channel_limits_and_its_queue_a_length_bound_that_drops_the_oldest()
    {
        var user = await fixture.Management.GetFromJsonAsync<JsonElement>($"api/users/{fixture.CustomsUser}");
        var limits = user.GetProperty("limits");
        var connections = limits.GetProperty("max-connections").GetInt32();
        Assert.InRange(connections, 1, 10);
        Assert.InRange(limits.GetProperty("max-channels").GetInt32(), 1, 32);

        var open = new List<IConnection>();
        try
        {
            for (var i = 0; i < connections; i++) open.Add(await fixture.ConnectAsCustomsAsync());
            // One more is refused (the broker counts connections a moment after they open, hence the retries). This
            // client hands back a connection the broker closed during the handshake, with the reason.
            var refused = await Eventually.GetAsync(async () =>
            {
                var extra = await fixture.ConnectAsCustomsAsync();
                await Eventually.StaysAsync(() => Task.FromResult(extra.IsOpen), isOpen => isOpen, TimeSpan.FromMilliseconds(300));
                var reason = extra.CloseReason;
                await extra.DisposeAsync();
                return reason;
            }, reason => reason is not null, TimeSpan.FromSeconds(10), "a connection over the limit refused");
            Assert.Equal(530, refused!.ReplyCode); // NOT_ALLOWED
            Assert.Contains("connection limit", refused.ReplyText);
        }
        finally
        {
            foreach (var connection in open) await connection.DisposeAsync();
        }

        // The management API shows the policy once the queue's first statistics are in (a few seconds after the import).
        var policy = await Eventually.GetAsync(
            async () => (await fixture.Management.GetFromJsonAsync<JsonElement>($"api/queues/{fixture.VirtualHost.Name}/{Queue}"))
                .TryGetProperty("effective_policy_definition", out var definition) ? definition : default,
            d => d.ValueKind == JsonValueKind.Object && d.TryGetProperty("overflow", out _), what: "the policy on customs.feed");
        Assert.Equal("drop-head", policy.GetProperty("overflow").GetString());
        Assert.InRange(policy.GetProperty("max-length").GetInt64(), 1, 1_000_000);
        Assert.InRange(policy.GetProperty("max-length-bytes").GetInt64(), 1, 1L << 30);
    }

    private const string OtherQueue = "customs.other-system";

    /// <summary>A queue the customs user must not reach, named as it could once name its own.</summary>
    private async Task DeclareAnotherQueueAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(fixture.VirtualHost.AmqpUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(OtherQueue, durable: true, exclusive: false, autoDelete: false);
    }

    /// <summary>The reply code the broker closed the channel with after <paramref name="act"/>; 0 when it did not.</summary>
    private static async Task<int> RefusalCodeAsync(IChannel channel, Func<Task> act)
    {
        try
        {
            await act();
            // A refused publish closes the channel asynchronously, after the call returned.
            await Eventually.GetAsync(() => Task.FromResult(channel.IsClosed), closed => closed, TimeSpan.FromSeconds(5), "the channel closed");
        }
        catch (Exception e) when (e is OperationInterruptedException or AlreadyClosedException or PublishException or TimeoutException) { }
        return channel.CloseReason?.ReplyCode ?? 0;
    }

    private async Task<List<string>> NamesAsync(string kind) =>
        (await fixture.Management.GetFromJsonAsync<List<JsonElement>>($"api/{kind}/{fixture.VirtualHost.Name}"))!
        .Select(o => o.GetProperty("name").GetString()!).ToList();

    /// <summary>Messages in customs.feed, asked passively as the suite's user (the management API's count lags).</summary>
    private async Task<uint> DepthAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(fixture.VirtualHost.AmqpUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(Queue)).MessageCount;
    }

    private async Task<Version> BrokerVersionAsync()
    {
        var overview = await fixture.Management.GetFromJsonAsync<JsonElement>("api/overview");
        return Version.Parse(overview.GetProperty("rabbitmq_version").GetString()!.Split('-', '+')[0]);
    }
}
