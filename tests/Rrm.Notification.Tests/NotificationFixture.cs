using System.Text.Json;
using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rrm.Contracts.Events;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Notification.Application;
using Rrm.Notification.Data;
using Rrm.Petition.Data;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.Notification.Tests;

/// <summary>
/// The Notification service with what it talks to: the Petition service (petitioners' addresses), a real SMTP
/// server (recipients containing "refused" are refused, the reply quoting the address as relays do) and a real HTTP
/// listener for webhooks on 127.0.0.1, which plain-http and private webhook targets are explicitly allowed for (they
/// are not in production); a directory with one recipient per role. Retries are fast: 3 attempts, 100 ms apart and
/// doubling. What the service logs is kept in <see cref="Logs"/>.
/// </summary>
public class NotificationFixture() : ServiceFixture<NotificationDbContext>(NotificationDbContext.SchemaName)
{
    public static readonly Metadata Admin = Tokens.For(Roles.NotificationAdmin);
    public static readonly Metadata Analyst = Tokens.For(Roles.IlcAnalyst);
    public const string TreasurySecret = "treasury-webhook-secret-0123456789";

    public ServiceFactory<PetitionDbContext> Petition { get; private set; } = null!;
    public SmtpSink Smtp { get; private set; } = null!;
    public WebhookReceiver Webhooks { get; private set; } = null!;
    public CapturedLogs Logs { get; } = new();

    protected override async Task BeforeStartAsync()
    {
        Smtp = await StartSmtpAsync();
        Webhooks = await WebhookReceiver.StartAsync();
        await ServiceFactory<PetitionDbContext>.MigrateAsync(Database.ConnectionString, PetitionDbContext.SchemaName);
        Petition = await StartAsync<PetitionDbContext>();
    }

    /// <summary>The fixture's SMTP server: plain, refusing recipients whose address contains "refused".</summary>
    protected virtual Task<SmtpSink> StartSmtpAsync() => SmtpSink.StartAsync(refuse: "refused");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notification:PetitionUrl"] = "http://petition.test",
        ["Notification:Smtp:Port"] = Smtp.Port.ToString(),
        ["Notification:Smtp:Security"] = "None", // the test's SMTP server is plain
        ["Notification:MaxAttempts"] = "3",
        ["Notification:RetryBaseDelay"] = "00:00:00.100",
        ["Notification:PollInterval"] = "00:00:00.100",
        ["Notification:WebhookTimeout"] = "00:00:01",
        ["Notification:Lease"] = "00:00:05",
        ["Notification:AllowHttpWebhooks"] = "true",
        ["Notification:AllowPrivateWebhookTargets"] = "true",
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddGrpcClient<PetitionService.PetitionServiceClient>().ConfigurePrimaryHttpMessageHandler(() => Petition.Server.CreateHandler());
        services.AddSingleton<ILoggerProvider>(Logs);
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var recipient in Directory()) await Notifications().UpsertRecipientAsync(recipient, Admin);
    }

    /// <summary>One recipient per role: e-mail, but Treasury by webhook; the Government of Mexico in Spanish.</summary>
    protected virtual IEnumerable<UpsertRecipientRequest> Directory() =>
    [
        Email("Secretaría de Economía", RecipientRole.GovernmentOfMexico, "rrm@economia.gob.example", "es"),
        new() { Name = "Treasury / CBP", Role = RecipientRole.TreasuryCbp, Channel = Channel.Webhook, Address = Webhooks.Url("/treasury"), Language = "en", WebhookSecret = TreasurySecret },
        Email("USTR press office", RecipientRole.PublicAnnouncements, "press@ustr.example"),
        Email("Senate Committee on Finance", RecipientRole.SenateFinanceCommittee, "finance@senate.example"),
        Email("House Committee on Ways and Means", RecipientRole.HouseWaysAndMeansCommittee, "waysandmeans@house.example"),
        Email("Labor Advisory Committee", RecipientRole.LaborAdvisoryCommittee, "lac@dol.example"),
        Email("ILC case officer", RecipientRole.IlcCaseOfficer, "ilc@dol.example"),
        Email("USTR case officer", RecipientRole.UstrCaseOfficer, "officer@ustr.example"),
    ];

    public static UpsertRecipientRequest Email(string name, RecipientRole role, string address, string language = "en") =>
        new() { Name = name, Role = role, Channel = Channel.Email, Address = address, Language = language };

    public NotificationService.NotificationServiceClient Notifications() => new(Service.CreateChannel());

    /// <summary>
    /// A petition submitted to the Petition service (its PetitionReceived reaches this service); the petitioner writes
    /// in Spanish, or is anonymous when <paramref name="email"/> is null.
    /// </summary>
    public async Task<Rrm.Grpc.Petition.V1.Petition> SubmitPetitionAsync(string? email = "contacto@lsom.example")
    {
        var facilities = new FacilityService.FacilityServiceClient(Petition.CreateChannel());
        var impro = Samples.Impro();
        impro.StreetAddress = $"Carretera 57 km {Random.Shared.Next(100_000, 999_999)}";
        var facility = (await facilities.RegisterFacilityAsync(impro, Analyst)).Facility;
        var request = Samples.ImproPetition(facility.FacilityId);
        request.Petitioner = email is null ? new Petitioner { Anonymous = true } : request.Petitioner;
        if (email is not null) request.Petitioner.ContactEmail = email;
        return (await new PetitionService.PetitionServiceClient(Petition.CreateChannel()).SubmitPetitionAsync(request, Analyst)).Petition;
    }

    public Task PublishAsync(object @event, Guid? messageId = null) =>
        Service.Services.GetRequiredService<IBus>().Publish(@event, @event.GetType(), c => c.MessageId = messageId ?? NewId.NextGuid());

    /// <summary>The notifications made so far (oldest first), optionally of one case or petition, as <paramref name="reader"/> sees them (default: the ILC, who sees all).</summary>
    public async Task<List<Rrm.Grpc.Notification.V1.Notification>> ListAsync(string caseId = "", string petitionId = "", Metadata? reader = null)
    {
        var all = new List<Rrm.Grpc.Notification.V1.Notification>();
        var request = new ListNotificationsRequest { CaseId = caseId, PetitionId = petitionId, PageSize = 500 };
        do
        {
            var page = await Notifications().ListNotificationsAsync(request, reader ?? Analyst);
            all.AddRange(page.Notifications);
            request.PageToken = page.NextPageToken;
        } while (request.PageToken.Length > 0);
        return all;
    }

    /// <summary>Waits until no notification of the case or petition is pending or being sent.</summary>
    public Task<List<Rrm.Grpc.Notification.V1.Notification>> SettledAsync(int atLeast, string caseId = "", string petitionId = "") =>
        Eventually.GetAsync(() => ListAsync(caseId, petitionId),
            list => list.Count >= atLeast && list.All(n => n.Status is NotificationStatus.Sent or NotificationStatus.Dead),
            TimeSpan.FromSeconds(30), what: $"{atLeast} notifications to be sent or dead");

    public List<JsonElement> MailTo(string address) =>
        Smtp.Messages().Where(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetString() == address)).ToList();

    /// <summary>The Impro case (<see cref="SampleEvents"/>) under new ids, about <paramref name="petitionId"/>.</summary>
    public static CaseRef Case(Guid? petitionId, bool suspended = true, bool replayed = false) => SampleEvents.Case with
    {
        CaseId = Guid.NewGuid(), PetitionId = petitionId, LiquidationSuspended = suspended, Replayed = replayed,
        Facility = SampleEvents.Facility with { FacilityId = Guid.NewGuid() },
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Petition.DisposeAsync();
        await Smtp.DisposeAsync();
        await Webhooks.DisposeAsync();
    }
}
