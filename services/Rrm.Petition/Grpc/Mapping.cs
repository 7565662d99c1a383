using Rrm.Petition.Domain;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Security;
using Proto = Rrm.Grpc.Petition.V1;

namespace Rrm.Petition.Grpc;

/// <summary>Hand-written mapping between the protos and the domain.</summary>
internal static class Mapping
{
    public static Sector? ToDomain(this Proto.Sector s) => s switch
    {
        Proto.Sector.Manufacturing => Sector.Manufacturing,
        Proto.Sector.Services => Sector.Services,
        Proto.Sector.Mining => Sector.Mining,
        _ => null,
    };

    public static Proto.Sector ToProto(this Sector s) => s switch
    {
        Sector.Manufacturing => Proto.Sector.Manufacturing,
        Sector.Services => Proto.Sector.Services,
        _ => Proto.Sector.Mining,
    };

    // The proto and domain subsectors are declared in the same order (0 = none/unspecified).
    public static Subsector? ToDomain(this Proto.Subsector s) =>
        Enum.IsDefined(s) ? (Subsector)(int)s : null;

    public static Proto.Subsector ToProto(this Subsector s) => (Proto.Subsector)(int)s;

    public static PetitionLanguage? ToDomain(this Proto.PetitionLanguage l) => l switch
    {
        Proto.PetitionLanguage.En => PetitionLanguage.English,
        Proto.PetitionLanguage.Es => PetitionLanguage.Spanish,
        _ => null,
    };

    public static AllegationCategory? ToDomain(this Proto.AllegationCategory c) =>
        c == Proto.AllegationCategory.Unspecified || !Enum.IsDefined(c) ? null : (AllegationCategory)((int)c - 1);

    public static Proto.AllegationCategory ToProto(this AllegationCategory c) => (Proto.AllegationCategory)((int)c + 1);

    public static Proto.PetitionStatus ToProto(this PetitionStatus s) => (Proto.PetitionStatus)((int)s + 1);

    public static PetitionStatus? ToDomain(this Proto.PetitionStatus s) =>
        s == Proto.PetitionStatus.Unspecified || !Enum.IsDefined(s) ? null : (PetitionStatus)((int)s - 1);

    public static Proto.Facility ToProto(this Facility f)
    {
        var proto = new Proto.Facility
        {
            FacilityId = f.Id.ToString(),
            LegalName = f.LegalName,
            CommonName = f.CommonName,
            StreetAddress = f.StreetAddress,
            City = f.City,
            StateCode = f.StateCode,
            StateName = f.State.Name,
            Sector = f.Sector.ToProto(),
            Subsector = f.Subsector.ToProto(),
            SubsectorDescription = f.SubsectorDescription,
            Owner = f.Owner,
            ApproximateWorkers = f.ApproximateWorkers,
        };
        proto.Mids.AddRange(f.Mids);
        return proto;
    }

    /// <summary>The petition as <paramref name="user"/> may see it: the petitioner only for ILC analysts.</summary>
    public static Proto.Petition ToProto(this Domain.Petition p, System.Security.Claims.ClaimsPrincipal user)
    {
        var proto = new Proto.Petition
        {
            PetitionId = p.Id.ToString(),
            Facility = new Proto.PetitionFacility
            {
                FacilityId = p.FacilityId.ToString(),
                LegalName = p.FacilityLegalName,
                CommonName = p.FacilityCommonName,
                City = p.FacilityCity,
                StateCode = p.FacilityStateCode,
            },
            Narrative = p.Narrative,
            Language = p.Language == PetitionLanguage.Spanish ? Proto.PetitionLanguage.Es : Proto.PetitionLanguage.En,
            ReceivedDate = p.ReceivedDate.ToProto(),
            ReviewDueDate = p.ReviewDueDate.ToProto(),
            Status = p.Status.ToProto(),
            WithdrawalDate = p.WithdrawalDate?.ToProto(),
            WithdrawalReason = p.WithdrawalReason ?? "",
        };
        proto.AllegationCategories.AddRange(p.AllegationCategories.Select(c => c.ToProto()));
        proto.MexicanLawsCited.AddRange(p.MexicanLawsCited);
        proto.Evidence.AddRange(p.Evidence.Select(e => new Proto.Evidence { Title = e.Title, MediaType = e.MediaType, Sha256 = e.Sha256, Location = e.Location }));
        if (p.DeterminationDate is { } date)
        {
            proto.Determination = new Proto.Determination
            {
                Outcome = p.Status == PetitionStatus.Sufficient ? Proto.DeterminationOutcome.Sufficient : Proto.DeterminationOutcome.Insufficient,
                DeterminationDate = date.ToProto(),
                Rationale = p.DeterminationRationale ?? "",
                Timely = p.DeterminationTimely == true,
            };
        }
        if (user.IsInRole(Roles.PetitionContactReader) && !user.IsInRole(Roles.IlcAnalyst))
            proto.Petitioner = new Proto.Petitioner { Anonymous = p.Petitioner.Anonymous, ContactEmail = p.Petitioner.ContactEmail };
        else if (user.IsInRole(Roles.IlcAnalyst))
        {
            proto.Petitioner = new Proto.Petitioner
            {
                Anonymous = p.Petitioner.Anonymous,
                Organization = p.Petitioner.Organization,
                ContactName = p.Petitioner.ContactName,
                ContactEmail = p.Petitioner.ContactEmail,
                ContactPhone = p.Petitioner.ContactPhone,
            };
        }
        return proto;
    }
}
