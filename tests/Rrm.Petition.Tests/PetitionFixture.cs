using Grpc.Core;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Petition.Data;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

public class PetitionFixture() : ServiceFixture<PetitionDbContext>(PetitionDbContext.SchemaName)
{
    public static readonly Metadata Analyst = Tokens.For(Roles.IlcAnalyst);

    public PetitionService.PetitionServiceClient Petitions() => new(Service.CreateChannel());
    public FacilityService.FacilityServiceClient Facilities() => new(Service.CreateChannel());

    /// <summary>Registers a facility with a unique street number (so tests never collide) and returns it.</summary>
    public async Task<Facility> RegisterAsync(string legalName = "Impro Industries Mexico, S. de R.L. de C.V.", string state = "San Luis Potosí")
    {
        var request = Samples.Impro();
        request.LegalName = legalName;
        request.State = state;
        request.StreetAddress = $"Carretera 57 km {Random.Shared.Next(100_000, 999_999)}";
        return (await Facilities().RegisterFacilityAsync(request, Analyst)).Facility;
    }

    public async Task<Rrm.Grpc.Petition.V1.Petition> SubmitAsync(Action<SubmitPetitionRequest>? change = null)
    {
        var facility = await RegisterAsync();
        var request = Samples.ImproPetition(facility.FacilityId);
        change?.Invoke(request);
        return (await Petitions().SubmitPetitionAsync(request, Analyst)).Petition;
    }
}
