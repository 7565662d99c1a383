using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rrm.Contracts.Events;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Deadlines;
using Rrm.ServiceDefaults.Messaging;
using Rrm.Testing;

namespace Rrm.ServiceDefaults.Tests;

/// <summary>A service-shaped DbContext: the reliability tables plus a table deadline handlers write to.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : RrmDbContext(options, SchemaName)
{
    public const string SchemaName = "machinery";

    public DbSet<FiredMark> FiredMarks => Set<FiredMark>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<FiredMark>(e => e.ToTable("fired_marks"));
    }

    public static async Task CreateSchemaAsync(string connectionString)
    {
        await using var db = new TestDbContext(DatabaseSetup.OptionsFor<TestDbContext>(connectionString, SchemaName));
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync(DatabaseSetup.OutboxNotifyTriggerSql(SchemaName));
    }

    public static TestDbContext Open(string connectionString) =>
        new(DatabaseSetup.OptionsFor<TestDbContext>(connectionString, SchemaName));
}

public sealed class FiredMark
{
    public long Id { get; set; }
    public string DeadlineKey { get; set; } = "";
}

/// <summary>Writes a mark in the scheduler's transaction: the visible effect of a deadline firing.</summary>
public sealed class MarkingDeadlineHandler : IDeadlineHandler
{
    public string Kind => "test-mark";

    public Task HandleAsync(ScheduledDeadline deadline, RrmDbContext db, CancellationToken cancellationToken)
    {
        ((TestDbContext)db).FiredMarks.Add(new FiredMark { DeadlineKey = deadline.Key });
        return Task.CompletedTask;
    }
}

/// <summary>A handler that always throws: the deadline is retried, its effects rolled back.</summary>
public sealed class FailingDeadlineHandler : IDeadlineHandler
{
    public const string FailingKind = "test-fail";

    public string Kind => FailingKind;

    public Task HandleAsync(ScheduledDeadline deadline, RrmDbContext db, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the handler failed");
}

/// <summary>Records every delivery it gets, duplicates included.</summary>
public sealed class RecordingConsumer : IConsumer<PetitionReceived>
{
    public static readonly ConcurrentQueue<(Guid MessageId, PetitionReceived Message)> Deliveries = new();

    public Task Consume(ConsumeContext<PetitionReceived> context)
    {
        Deliveries.Enqueue((context.MessageId!.Value, context.Message));
        return Task.CompletedTask;
    }

    public static int CountFor(string marker) => Deliveries.Count(d => d.Message.FacilityName == marker);
}

/// <summary>A generic host running the shared machinery (relay, scheduler, bus) over the real servers.</summary>
public static class MessagingHost
{
    public const string OrderedQueue = "machinery-test-ordered";

    public static IHost Build(string postgres, string rabbitMq, bool consume = false, TimeProvider? clock = null,
        IDictionary<string, string?>? settings = null, bool inOrder = false)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = postgres,
            ["ConnectionStrings:RabbitMq"] = rabbitMq,
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Outbox:PublishTimeout"] = "00:00:02",
            ["Deadlines:PollInterval"] = "00:00:00.050",
            ["Telemetry:GaugeInterval"] = "00:00:00.200",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDatabase<TestDbContext>(TestDbContext.SchemaName);
        builder.AddServiceMessaging("machinery-test", bus =>
        {
            if (consume && inOrder) bus.AddConsumersInOrder(OrderedQueue, [typeof(RecordingConsumer)]);
            else if (consume) bus.AddConsumer<RecordingConsumer>();
        });
        builder.Services.AddDeadlineHandler<MarkingDeadlineHandler>();
        builder.Services.AddDeadlineHandler<FailingDeadlineHandler>();
        if (clock is not null) builder.Services.AddSingleton(clock);
        return builder.Build();
    }

    public static PetitionReceived Event(string marker) => new()
    {
        PetitionId = Guid.NewGuid(),
        FacilityName = marker,
        Language = "en",
        ReceivedDate = new DateOnly(2024, 6, 24),
        ReviewDueDate = new DateOnly(2024, 7, 24),
    };
}

/// <summary>One database and one virtual host per test class.</summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        VirtualHost = await TestVirtualHost.CreateAsync();
        await TestDbContext.CreateSchemaAsync(Database.ConnectionString);
        // Start a consumer once so its durable queue and bindings exist before any relay publishes,
        // as they do for a deployed consumer service.
        await using (await StartAsync(consume: true)) { }
    }

    /// <summary>
    /// Starts a host over this class's database and virtual host and waits until its bus is connected,
    /// so a test never races the bus's start.
    /// </summary>
    public Task<StartedHost> StartAsync(bool consume = false, TimeProvider? clock = null) =>
        StartedHost.StartAsync(MessagingHost.Build(Database.ConnectionString, VirtualHost.AmqpUri, consume, clock), waitForBus: true);

    public async Task DisposeAsync()
    {
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>
/// A started host that is always stopped when disposed, even when the test fails: a host left running
/// would keep consuming from the shared queue and take messages meant for the next test.
/// </summary>
public sealed class StartedHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _disposed;

    private StartedHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<StartedHost> StartAsync(IHost host, bool waitForBus)
    {
        var started = new StartedHost(host);
        await host.StartAsync();
        if (waitForBus)
            await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return started;
    }

    /// <summary>Stops it; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _host.StopAsync(timeout.Token); }
        finally { _host.Dispose(); }
    }
}
