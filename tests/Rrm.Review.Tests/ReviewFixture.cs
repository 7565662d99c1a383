using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.Petition.Data;
using Rrm.Review.Data;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.Review.Tests;

/// <summary>
/// The Review service with the Petition service beside it (same database and virtual host): Review reads
/// facilities from it and consumes its PetitionDetermined events.
/// </summary>
public class ReviewFixture() : ServiceFixture<ReviewDbContext>(ReviewDbContext.SchemaName)
{
    public static readonly Metadata Officer = Tokens.For(Roles.UstrOfficer);
    public static readonly Metadata Analyst = Tokens.For(Roles.IlcAnalyst);

    public ServiceFactory<PetitionDbContext> Petition { get; private set; } = null!;

    protected override async Task BeforeStartAsync()
    {
        await ServiceFactory<PetitionDbContext>.MigrateAsync(Database.ConnectionString, PetitionDbContext.SchemaName);
        Petition = await StartAsync<PetitionDbContext>(services: ConfigurePetition);
    }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Review:PetitionUrl"] = "http://petition.test",
        ["Telemetry:GaugeInterval"] = "00:00:00.200",
    };

    protected override void ConfigureServices(IServiceCollection services) => ConfigureReview(services);

    /// <summary>What every Review host of this fixture gets: calls to the Petition service go to the in-process one.</summary>
    public virtual void ConfigureReview(IServiceCollection services) =>
        services.AddGrpcClient<FacilityService.FacilityServiceClient>().ConfigurePrimaryHttpMessageHandler(() => Petition.Server.CreateHandler());

    protected virtual void ConfigurePetition(IServiceCollection services) { }

    /// <summary>Another replica of the Review service over the same database and broker.</summary>
    public Task<ServiceFactory<ReviewDbContext>> StartReplicaAsync() => StartAsync<ReviewDbContext>(Settings, ConfigureReview);

    public ReviewService.ReviewServiceClient Reviews() => new(Service.CreateChannel());
    public FacilityService.FacilityServiceClient Facilities() => new(Petition.CreateChannel());
    public PetitionService.PetitionServiceClient Petitions() => new(Petition.CreateChannel());

    /// <summary>Registers a facility with a unique address in the Petition service.</summary>
    public async Task<Rrm.Grpc.Petition.V1.Facility> RegisterFacilityAsync(string legalName = "Impro Industries Mexico, S. de R.L. de C.V.",
        string state = "San Luis Potosí", string city = "Villa de Reyes")
    {
        var request = new RegisterFacilityRequest
        {
            LegalName = legalName,
            CommonName = "Impro Mexico facility",
            StreetAddress = $"Carretera 57 km {Random.Shared.Next(100_000, 999_999)}",
            City = city,
            State = state,
            Sector = Rrm.Grpc.Petition.V1.Sector.Manufacturing,
            Subsector = Rrm.Grpc.Petition.V1.Subsector.AutoParts,
            Owner = "Impro Industries",
            ApproximateWorkers = 1500,
        };
        return (await Facilities().RegisterFacilityAsync(request, Analyst)).Facility;
    }

    /// <summary>A self-initiated case on a newly registered facility, opened on <paramref name="date"/>.</summary>
    public async Task<Case> OpenCaseAsync(Date date)
    {
        var facility = await RegisterFacilityAsync();
        return (await Reviews().OpenCaseAsync(new OpenCaseRequest { FacilityId = facility.FacilityId, Act = new Act { EffectiveDate = date } }, Officer)).Case;
    }

    public Task<long> TimelineCountAsync(string caseId, string kind) =>
        Database.ScalarAsync<long>($"SELECT count(*) FROM review.timeline_entries WHERE case_id = '{caseId}' AND kind = '{kind}'");

    public Task<long> EventCountAsync(string type, string caseId) =>
        Database.ScalarAsync<long>($"SELECT count(*) FROM review.outbox_messages WHERE type = '{type}' AND payload->'case'->>'caseId' = '{caseId}'");

    public override async Task DisposeAsync()
    {
        await Petition.DisposeAsync();
        await base.DisposeAsync();
    }

    public static Date D(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    public static Act On(int year, int month, int day, string note = "") => new() { EffectiveDate = D(year, month, day), Note = note };
}
