using Rrm.Contracts.Events;
using Rrm.Petition.Domain;
using Rrm.ServiceDefaults.Text;

namespace Rrm.Petition.Application;

/// <summary>
/// Domain state to integration events (the records in Rrm.Contracts), queued in the outbox by the commands.
/// Petitioner identity never leaves through here.
/// </summary>
internal static class IntegrationEvents
{
    public static string Code(this PetitionLanguage language) => language == PetitionLanguage.Spanish ? "es" : "en";

    public static PetitionReceived Received(Domain.Petition p) => new()
    {
        PetitionId = p.Id,
        FacilityId = p.FacilityId,
        FacilityName = p.FacilityLegalName,
        FacilityStateCode = p.FacilityStateCode,
        Language = p.Language.Code(),
        ReceivedDate = p.ReceivedDate,
        ReviewDueDate = p.ReviewDueDate,
        PetitionerContactable = p.Petitioner.HasContact,
    };

    public static PetitionDetermined Determined(Domain.Petition p, Facility f) => new()
    {
        PetitionId = p.Id,
        Outcome = p.Status == PetitionStatus.Sufficient ? "sufficient" : "insufficient",
        DeterminationDate = p.DeterminationDate!.Value,
        ReceivedDate = p.ReceivedDate,
        ReviewDueDate = p.ReviewDueDate,
        Timely = p.DeterminationTimely!.Value,
        Rationale = p.DeterminationRationale!,
        Language = p.Language.Code(),
        PetitionerContactable = p.Petitioner.HasContact,
        Facility = Snapshot(f),
    };

    public static PetitionWithdrawn Withdrawn(Domain.Petition p) => new()
    {
        PetitionId = p.Id,
        FacilityId = p.FacilityId,
        WithdrawalDate = p.WithdrawalDate!.Value,
    };

    public static FacilityMidAdded MidAdded(Facility f, string mid, DateOnly effectiveDate) => new()
    {
        FacilityId = f.Id,
        Mid = mid,
        Mids = f.Mids.ToList(),
        EffectiveDate = effectiveDate,
    };

    public static FacilitySnapshot Snapshot(Facility f) => new()
    {
        FacilityId = f.Id,
        LegalName = f.LegalName,
        CommonName = f.CommonName,
        StreetAddress = f.StreetAddress,
        City = f.City,
        StateCode = f.StateCode,
        StateName = f.State.Name,
        Sector = f.Sector.Words(),
        Subsector = f.SubsectorDescription.Length > 0 ? f.SubsectorDescription : f.Subsector == Subsector.None ? "" : f.Subsector.Words(),
        Owner = f.Owner,
        ApproximateWorkers = f.ApproximateWorkers,
        Mids = f.Mids.ToList(),
    };
}
