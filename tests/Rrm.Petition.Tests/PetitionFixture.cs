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

/// <summary>The Impro Mexico case of 2024 (DOMAIN.md; the USTR and DOL announcements).</summary>
public static class Samples
{
    public static RegisterFacilityRequest Impro() => new()
    {
        LegalName = "Impro Industries Mexico, S. de R.L. de C.V.",
        CommonName = "Impro Mexico facility",
        StreetAddress = "Carretera 57 km 1250",
        City = "Villa de Reyes",
        State = "San Luis Potosí",
        Sector = Sector.Manufacturing,
        Subsector = Subsector.Other,
        SubsectorDescription = "component parts (energy, medical, automotive, agricultural)",
        Owner = "Impro Industries",
        ApproximateWorkers = 1500,
    };

    public static SubmitPetitionRequest ImproPetition(string facilityId)
    {
        var request = new SubmitPetitionRequest
        {
            FacilityId = facilityId,
            Petitioner = new Petitioner { Organization = "La Liga Sindical Obrera Mexicana (LSOM)", ContactEmail = "contacto@lsom.example" },
            Narrative = "A worker was dismissed for organising an independent union; management interfered with the workers' choice.",
            Language = PetitionLanguage.Es,
            ReceivedDate = new Date { Year = 2024, Month = 6, Day = 24 },
        };
        request.AllegationCategories.Add(AllegationCategory.Retaliation);
        request.AllegationCategories.Add(AllegationCategory.FreedomOfAssociation);
        request.MexicanLawsCited.Add("Ley Federal del Trabajo, art. 357");
        request.Evidence.Add(new Evidence
        {
            Title = "Dismissal letter", MediaType = "application/pdf",
            Sha256 = new string('a', 64), Location = "https://evidence.example/impro/dismissal.pdf",
        });
        return request;
    }
}
