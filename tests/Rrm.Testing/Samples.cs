using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Petition.V1;

namespace Rrm.Testing;

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
