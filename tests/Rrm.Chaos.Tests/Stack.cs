using Grpc.Core;
using Grpc.Health.V1;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.Chaos.Tests;

/// <summary>
/// The four services as processes (one or more replicas each) over a fresh database and virtual host of the
/// shared servers, with a real SMTP server, three notification recipients and a customs-system queue on the feed.
/// Faults are real: processes are killed with SIGKILL, and the servers themselves are stopped (`rrm fault`).
/// </summary>
public sealed class Stack : IAsyncDisposable
{
    // Minted per call: a full-length run outlives a token's 10 minutes.
    public static Metadata Analyst => Tokens.For(Roles.IlcAnalyst);
    public static Metadata Officer => Tokens.For(Roles.UstrOfficer);
    public static Metadata Admin => Tokens.For(Roles.NotificationAdmin);
    public static readonly string[] Projects = ["Rrm.Petition", "Rrm.Review", "Rrm.TariffLiquidation", "Rrm.Notification"];

    public TestDatabase Database { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public SmtpSink Smtp { get; private set; } = null!;
    public FeedQueue Feed { get; private set; } = null!;

    /// <summary>The running processes of each service (by project), replicas in start order.</summary>
    public Dictionary<string, List<ServiceProcess>> Replicas { get; } = Projects.ToDictionary(p => p, _ => new List<ServiceProcess>());

    private int _turn;

    /// <summary>A replica of the service, taking turns, so that the work of a run is spread over all of them.</summary>
    public ServiceProcess Any(string project)
    {
        var live = Replicas[project];
        return live[(int)((uint)Interlocked.Increment(ref _turn) % live.Count)];
    }

    public FacilityService.FacilityServiceClient Facilities => new(Any("Rrm.Petition").Channel);
    public PetitionService.PetitionServiceClient Petitions => new(Any("Rrm.Petition").Channel);
    public ReviewService.ReviewServiceClient Cases => new(Any("Rrm.Review").Channel);
    public LiquidationService.LiquidationServiceClient Instructions => new(Any("Rrm.TariffLiquidation").Channel);
    public NotificationService.NotificationServiceClient Notifications => new(Any("Rrm.Notification").Channel);

    public static async Task<Stack> StartAsync(int replicas = 1)
    {
        var stack = new Stack
        {
            Database = await TestDatabase.CreateAsync(),
            VirtualHost = await TestVirtualHost.CreateAsync(),
            Smtp = await SmtpSink.StartAsync(),
        };
        await ServiceRoles.ApplyAsync(stack.Database); // each service runs as its own role, as deployed
        var petitionPort = SmtpSink.FreePort();
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__RabbitMq"] = stack.VirtualHost.AmqpUri,
            ["Auth__SigningKey"] = TestEnvironment.SigningKey,
            ["Outbox__PollInterval"] = "00:00:01",
            ["Deadlines__PollInterval"] = "00:00:00.500",
            // Backfilled cases raise their overdue alerts a moment after they are recorded, so deadlines fire during the run.
            ["Deadlines__BackfillGrace"] = "00:00:02",
            ["Review__PetitionUrl"] = $"http://127.0.0.1:{petitionPort}",
            ["Notification__PetitionUrl"] = $"http://127.0.0.1:{petitionPort}",
            ["Notification__Smtp__Port"] = stack.Smtp.Port.ToString(),
            ["Notification__Smtp__Security"] = "None", // the local SMTP server is plain
            ["Notification__PollInterval"] = "00:00:00.500",
            // A notification whose sender was killed mid-send is taken up again after this (the local SMTP server answers at once).
            ["Notification__Lease"] = "00:00:10",
        };
        for (var r = 0; r < replicas; r++)
        {
            var started = await Task.WhenAll(Projects.Select(p =>
                ServiceProcess.StartAsync(p, ServiceRoles.Environment(env, stack.Database, p), p == "Rrm.Petition" && r == 0 ? petitionPort : null)));
            foreach (var s in started) stack.Replicas[s.Name].Add(s);
        }
        stack.Feed = await FeedQueue.BindAsync(stack.VirtualHost.AmqpUri);
        foreach (var role in new[] { RecipientRole.GovernmentOfMexico, RecipientRole.TreasuryCbp, RecipientRole.UstrCaseOfficer })
            await stack.Notifications.UpsertRecipientAsync(new UpsertRecipientRequest
            {
                Name = $"{role}", Role = role, Channel = Channel.Email, Address = $"{role}@chaos.example".ToLowerInvariant(),
                Language = role == RecipientRole.GovernmentOfMexico ? "es" : "en",
            }, Admin);
        return stack;
    }

    /// <summary>Kills the replica with SIGKILL and starts it again on the same address.</summary>
    public async Task CrashAndRestartAsync(string project, int replica = 0)
    {
        var list = Replicas[project];
        await list[replica].KillAsync();
        list[replica] = await list[replica].RestartAsync();
    }

    /// <summary>Stops or starts a server of the shared infrastructure (scripts/infra.sh, infra_fault).</summary>
    public static async Task FaultAsync(string what)
    {
        var (code, output, error) = await Command.RunAsync("bash", [Path.Combine(Repository.Root, "rrm"), "fault", what], timeout: TimeSpan.FromSeconds(120));
        if (code != 0) throw new InvalidOperationException($"rrm fault {what} exited with {code}: {output}{error}");
    }

    /// <summary>The readiness of one replica: SERVING, NOT_SERVING, or null when it does not answer at all.</summary>
    public static async Task<HealthCheckResponse.Types.ServingStatus?> ReadinessAsync(ServiceProcess service, string check = "readiness")
    {
        try
        {
            return (await new Health.HealthClient(service.Channel).CheckAsync(new HealthCheckRequest { Service = check },
                deadline: DateTime.UtcNow.AddSeconds(3))).Status;
        }
        catch (RpcException) { return null; }
    }

    public IEnumerable<ServiceProcess> All => Replicas.Values.SelectMany(r => r);

    public async ValueTask DisposeAsync()
    {
        await Feed.DisposeAsync();
        await Task.WhenAll(All.Select(s => s.DisposeAsync().AsTask()));
        await Smtp.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
