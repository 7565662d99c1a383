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
/// The four services as separate processes (<see cref="ServiceStack"/>), one of each, with a directory of one e-mail
/// recipient per role (Mexico in Spanish). Shared by the test classes of the "suite" collection; each test works on
/// facilities of its own.
/// </summary>
public sealed class Suite : ServiceStack, IAsyncLifetime
{
    public static Metadata Treasury => Tokens.For(Roles.TreasuryOfficer);
    /// <summary>An administrator who is also an ILC analyst sees the petitioner's notices too (docs/security.md).</summary>
    public static Metadata AdminAndAnalyst => Tokens.For(Roles.NotificationAdmin, Roles.IlcAnalyst);

    public ServiceProcess Petition => Replicas[ServiceProject.Petition.Name].Single();
    public ServiceProcess Review => Replicas[ServiceProject.Review.Name].Single();
    public ServiceProcess Liquidation => Replicas[ServiceProject.Liquidation.Name].Single();
    public ServiceProcess Notification => Replicas[ServiceProject.Notification.Name].Single();

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
        await StartServicesAsync();
        await AddRecipientsAsync(Directory);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>The process that serves <paramref name="method"/>.</summary>
    public ServiceProcess ProcessOf(MethodDescriptor method) => Replicas[ServiceProject.Serving(method.Service.File.Package).Name].Single();

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
