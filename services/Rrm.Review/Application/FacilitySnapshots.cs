using Rrm.Contracts.Events;
using Rrm.Review.Domain;

namespace Rrm.Review.Application;

/// <summary>
/// The facility as events carry it (<see cref="FacilitySnapshot"/>) and as a case keeps it, both ways in one place.
/// A facility known only from an imported history has no registry id: the snapshot says Guid.Empty.
/// </summary>
internal static class FacilitySnapshots
{
    public static FacilitySnapshot ToSnapshot(this CaseFacility f) => new()
    {
        FacilityId = f.FacilityId ?? Guid.Empty,
        LegalName = f.LegalName,
        CommonName = f.CommonName,
        StreetAddress = f.StreetAddress,
        City = f.City,
        StateCode = f.StateCode,
        StateName = f.StateName,
        Sector = f.Sector,
        Subsector = f.Subsector,
        Owner = f.Owner,
        ApproximateWorkers = f.ApproximateWorkers,
        Mids = f.Mids.ToList(),
    };

    public static CaseFacility ToCaseFacility(this FacilitySnapshot f) => new()
    {
        FacilityId = f.FacilityId,
        LegalName = f.LegalName,
        CommonName = f.CommonName,
        StreetAddress = f.StreetAddress,
        City = f.City,
        StateCode = f.StateCode,
        StateName = f.StateName,
        Sector = f.Sector,
        Subsector = f.Subsector,
        Owner = f.Owner,
        ApproximateWorkers = f.ApproximateWorkers,
        Mids = [.. f.Mids],
    };
}
