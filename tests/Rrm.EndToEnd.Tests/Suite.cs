using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.EndToEnd.Tests;

/// <summary>
/// The four services as separate processes, as deployed, over one fresh database (a schema each) and one
/// virtual host, with a real SMTP server and a directory with one e-mail recipient per role (Mexico in
/// Spanish). Shared by the test classes of the "suite" collection; each test works on facilities of its own.
/// </summary>
public sealed class Suite : IAsyncLifetime
{
    public static readonly Metadata Analyst = Tokens.For(Roles.IlcAnalyst);
    public static readonly Metadata Officer = Tokens.For(Roles.UstrOfficer);
    public static readonly Metadata Treasury = Tokens.For(Roles.TreasuryOfficer);
    public static readonly Metadata Admin = Tokens.For(Roles.NotificationAdmin);
    /// <summary>An administrator who is also an ILC analyst sees the petitioner's notices too (docs/security.md).</summary>
    public static readonly Metadata AdminAndAnalyst = Tokens.For(Roles.NotificationAdmin, Roles.IlcAnalyst);

    public TestDatabase Database { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public SmtpSink Smtp { get; private set; } = null!;
    private readonly List<ServiceProcess> _services = [];

    public ServiceProcess Petition => _services[0];
    public ServiceProcess Review => _services[1];
    public ServiceProcess Liquidation => _services[2];
    public ServiceProcess Notification => _services[3];

    public FacilityService.FacilityServiceClient Facilities => new(Petition.Channel);
    public PetitionService.PetitionServiceClient Petitions => new(Petition.Channel);
    public ReviewService.ReviewServiceClient Cases => new(Review.Channel);
    public LiquidationService.LiquidationServiceClient Instructions => new(Liquidation.Channel);
    public NotificationService.NotificationServiceClient Notifications => new(Notification.Channel);

    public static readonly (RecipientRole Role, string Address, string Language)[] Directory =
    [
        (RecipientRole.GovernmentOfMexico, "rrm@economia.example", "es"),
        (RecipientRole.TreasuryCbp, "liquidation@cbp.example", "en"),
        (RecipientRole.SenateFinanceCommittee, "trade@finance.senate.example", "en"),
        (RecipientRole.HouseWaysAndMeansCommittee, "trade@waysandmeans.house.example", "en"),
        (RecipientRole.LaborAdvisoryCommittee, "lac@dol.example", "en"),
        (RecipientRole.PublicAnnouncements, "press@ustr.example", "en"),
        (RecipientRole.IlcCaseOfficer, "ilc@dol.example", "en"),
        (RecipientRole.UstrCaseOfficer, "officer@ustr.example", "en"),
    ];

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        await ServiceRoles.ApplyAsync(Database); // each service runs as its own role, as deployed
        VirtualHost = await TestVirtualHost.CreateAsync();
        Smtp = await SmtpSink.StartAsync();
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
        // Started together, as an orchestrator would: each migrates its own schema and waits for what it needs.
        _services.AddRange(await Task.WhenAll(
            ServiceProcess.StartAsync("Rrm.Petition", ServiceRoles.Environment(env, Database, "Rrm.Petition"), petitionPort),
            ServiceProcess.StartAsync("Rrm.Review", ServiceRoles.Environment(env, Database, "Rrm.Review")),
            ServiceProcess.StartAsync("Rrm.TariffLiquidation", ServiceRoles.Environment(env, Database, "Rrm.TariffLiquidation")),
            ServiceProcess.StartAsync("Rrm.Notification", ServiceRoles.Environment(env, Database, "Rrm.Notification"))));
        foreach (var (role, address, language) in Directory)
            await Notifications.UpsertRecipientAsync(new UpsertRecipientRequest
            {
                Name = $"{role}", Role = role, Channel = Channel.Email, Address = address, Language = language,
            }, Admin);
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_services.Select(s => s.DisposeAsync().AsTask()));
        await Smtp.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>The process that serves <paramref name="method"/>.</summary>
    public ServiceProcess ProcessOf(MethodDescriptor method) => method.Service.File.Package switch
    {
        "rrm.petition.v1" => Petition,
        "rrm.review.v1" => Review,
        "rrm.liquidation.v1" => Liquidation,
        "rrm.notification.v1" => Notification,
        var other => throw new NotSupportedException($"no service process serves {other}"),
    };

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    /// <summary><paramref name="rpc"/> taking and giving raw bytes: one untyped path for unary and streaming methods alike.</summary>
    public static Method<byte[], byte[]> RawMethod(MethodDescriptor rpc) => new((rpc.IsClientStreaming, rpc.IsServerStreaming) switch
    {
        (false, false) => MethodType.Unary,
        (false, true) => MethodType.ServerStreaming,
        (true, false) => MethodType.ClientStreaming,
        _ => MethodType.DuplexStreaming,
    }, rpc.Service.FullName, rpc.Name, Bytes, Bytes);

    public static Date D(int y, int m, int d) => new() { Year = y, Month = m, Day = d };

    public static Act On(int y, int m, int d, string note = "") => new() { EffectiveDate = D(y, m, d), Note = note };

    /// <summary>Registers the facility and submits a petition about it received on <paramref name="received"/>, with a contact of its own.</summary>
    public async Task<(Facility Facility, Rrm.Grpc.Petition.V1.Petition Petition, string ContactEmail)> PetitionAsync(
        RegisterFacilityRequest facility, Date received)
    {
        var registered = (await Facilities.RegisterFacilityAsync(facility, Analyst)).Facility;
        var request = Samples.ImproPetition(registered.FacilityId);
        request.ReceivedDate = received;
        request.Petitioner.ContactEmail = $"petitioner-{Guid.NewGuid():N}@example.org";
        return (registered, (await Petitions.SubmitPetitionAsync(request, Analyst)).Petition, request.Petitioner.ContactEmail);
    }

    /// <summary>Records a sufficient determination and waits for the Review service to open the case on it.</summary>
    public async Task<Case> SufficientAsync(Rrm.Grpc.Petition.V1.Petition petition, Date on)
    {
        await Petitions.RecordDeterminationAsync(new RecordDeterminationRequest
        {
            PetitionId = petition.PetitionId, Outcome = DeterminationOutcome.Sufficient, DeterminationDate = on,
            Rationale = "Sufficient, credible evidence of a denial of rights.",
        }, Analyst);
        return (await Eventually.GetAsync(
            async () => (await Cases.ListCasesAsync(new ListCasesRequest { FacilityId = petition.Facility.FacilityId }, Officer)).Cases
                .SingleOrDefault(c => c.PetitionId == petition.PetitionId),
            c => c is not null, what: "the case opened on the petition"))!;
    }

    /// <summary>The customs instructions of a case, once there are at least <paramref name="count"/>.</summary>
    public async Task<List<CustomsInstruction>> InstructionsAsync(string caseId, int count) =>
        await Eventually.GetAsync(async () => (await Instructions.ListInstructionsAsync(new ListInstructionsRequest { PageSize = 1000 }, Treasury))
            .Instructions.Where(i => i.CaseId == caseId).ToList(), list => list.Count >= count, what: $"{count} instructions for the case");

    /// <summary>The notifications of a case or petition once each is sent or dead, in the order they were made.</summary>
    public Task<List<Rrm.Grpc.Notification.V1.Notification>> NotifiedAsync(int atLeast, string caseId = "", string petitionId = "") =>
        Eventually.GetAsync(async () => (await Notifications.ListNotificationsAsync(
                new ListNotificationsRequest { CaseId = caseId, PetitionId = petitionId, PageSize = 500 }, AdminAndAnalyst)).Notifications.ToList(),
            list => list.Count >= atLeast && list.All(n => n.Status is NotificationStatus.Sent or NotificationStatus.Dead),
            TimeSpan.FromSeconds(30), what: $"{atLeast} notifications sent");

    public List<JsonElement> MailTo(string address) =>
        Smtp.Messages().Where(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetString() == address)).ToList();

    /// <summary>Runs the rrm client against the suite with a token of <paramref name="role"/> (several joined by commas; none when null).</summary>
    public async Task<(int ExitCode, string Output, string Error)> CliAsync(string? role, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Repository.Built(Path.Combine("tools", "Rrm.Cli"), "rrm-cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["RRM_TOKEN"] = role is null ? "" : Tokens.Mint(role.Split(","));
        start.Environment["RRM_PETITION_URL"] = Petition.Url;
        start.Environment["RRM_REVIEW_URL"] = Review.Url;
        start.Environment["RRM_LIQUIDATION_URL"] = Liquidation.Url;
        start.Environment["RRM_NOTIFICATION_URL"] = Notification.Url;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await error);
    }
}

[CollectionDefinition("suite")]
public sealed class SuiteCollection : ICollectionFixture<Suite>;
