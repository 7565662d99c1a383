using Grpc.Core;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Testing;

/// <summary>
/// The services as separate processes, as deployed, over one fresh database (a schema each, each service as its own
/// role) and one virtual host of the shared servers, with a real SMTP server: the environment the end-to-end suite and
/// the chaos stack both start, each adding what it needs on top. Replicas of a service share the database and broker.
/// </summary>
public class ServiceStack : IAsyncDisposable
{
    // Minted per call: a long run outlives a token's 10 minutes.
    public static Metadata Analyst => Tokens.For(Roles.IlcAnalyst);
    public static Metadata Officer => Tokens.For(Roles.UstrOfficer);
    public static Metadata Admin => Tokens.For(Roles.NotificationAdmin);

    public TestDatabase Database { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public SmtpSink Smtp { get; private set; } = null!;

    /// <summary>The running processes of each service (by project), replicas in start order.</summary>
    public Dictionary<string, List<ServiceProcess>> Replicas { get; } = ServiceProject.All.ToDictionary(p => p.Name, _ => new List<ServiceProcess>());

    public IEnumerable<ServiceProcess> All => Replicas.Values.SelectMany(r => r);

    private int _turn;

    /// <summary>A replica of the service, taking turns, so that the work of a run is spread over all of them.</summary>
    public ServiceProcess Any(string project)
    {
        var live = Replicas[project];
        return live[(int)((uint)Interlocked.Increment(ref _turn) % live.Count)];
    }

    public FacilityService.FacilityServiceClient Facilities => new(Any(ServiceProject.Petition.Name).Channel);
    public PetitionService.PetitionServiceClient Petitions => new(Any(ServiceProject.Petition.Name).Channel);
    public ReviewService.ReviewServiceClient Cases => new(Any(ServiceProject.Review.Name).Channel);
    public LiquidationService.LiquidationServiceClient Instructions => new(Any(ServiceProject.Liquidation.Name).Channel);
    public NotificationService.NotificationServiceClient Notifications => new(Any(ServiceProject.Notification.Name).Channel);

    /// <summary>
    /// Makes the database, virtual host and SMTP server and starts <paramref name="replicas"/> processes of each of
    /// <paramref name="projects"/> (all four when null), configured as below with <paramref name="settings"/> on top.
    /// </summary>
    public async Task StartServicesAsync(IReadOnlyDictionary<string, string>? settings = null, int replicas = 1, IEnumerable<ServiceProject>? projects = null)
    {
        Database = await TestDatabase.CreateAsync();
        await ServiceRoles.ApplyAsync(Database); // each service runs as its own role, as deployed
        VirtualHost = await TestVirtualHost.CreateAsync();
        Smtp = await SmtpSink.StartAsync();
        // Chosen before anything starts: the services that call the Petition service are told where it will be.
        var petitionPort = SmtpSink.FreePort();
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__RabbitMq"] = VirtualHost.AmqpUri,
            ["Auth__SigningKey"] = TestEnvironment.SigningKey,
            ["Outbox__PollInterval"] = "00:00:00.200",
            ["Deadlines__PollInterval"] = "00:00:00.200",
            ["Review__PetitionUrl"] = $"http://127.0.0.1:{petitionPort}",
            ["Notification__PetitionUrl"] = $"http://127.0.0.1:{petitionPort}",
            ["Notification__Smtp__Port"] = Smtp.Port.ToString(),
            ["Notification__Smtp__Security"] = "None", // the local SMTP server is plain
            ["Notification__PollInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) env[key] = value;
        var started = projects?.ToList() ?? [.. ServiceProject.All];
        for (var r = 0; r < replicas; r++)
        {
            // Started together, as an orchestrator would: each migrates its own schema and waits for what it needs. Each is
            // kept as soon as it runs, so that disposing stops it even when another fails to start.
            await Task.WhenAll(started.Select(async p => Replicas[p.Name].Add(await ServiceProcess.StartAsync(p.Name,
                ServiceRoles.Environment(env, Database, p.Name), p == ServiceProject.Petition && r == 0 ? petitionPort : null))));
        }
    }

    /// <summary>Adds a notification recipient for each role, e-mailed at the address in the language.</summary>
    public async Task AddRecipientsAsync(IEnumerable<(RecipientRole Role, string Address, string Language)> recipients)
    {
        foreach (var (role, address, language) in recipients)
            await Notifications.UpsertRecipientAsync(new UpsertRecipientRequest
            {
                Name = $"{role}", Role = role, Channel = Channel.Email, Address = address, Language = language,
            }, Admin);
    }

    /// <summary>Stops the processes, then removes the SMTP server, virtual host and database (those that were made).</summary>
    public virtual async ValueTask DisposeAsync()
    {
        await Task.WhenAll(All.Select(s => s.DisposeAsync().AsTask()));
        if (Smtp is not null) await Smtp.DisposeAsync();
        if (VirtualHost is not null) await VirtualHost.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}
