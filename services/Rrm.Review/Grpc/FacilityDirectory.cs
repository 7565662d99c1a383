using Grpc.Core;
using Microsoft.Extensions.Options;
using Rrm.Grpc.Petition.V1;
using Rrm.Review.Domain;
using Rrm.ServiceDefaults.Errors;

namespace Rrm.Review.Grpc;

/// <summary>
/// Reads covered facilities from the Petition service, which owns the registry (DESIGN.md §2). Calls carry
/// the caller's own token, so the registry applies the caller's rights.
/// </summary>
internal sealed class FacilityDirectory(FacilityService.FacilityServiceClient client, IOptions<ReviewOptions> options)
{
    /// <summary>The registered facility; unknown is INVALID_ARGUMENT on <paramref name="field"/>.</summary>
    public async Task<CaseFacility> GetAsync(Guid facilityId, string field, Metadata caller, CancellationToken ct)
    {
        try
        {
            var response = await client.GetFacilityAsync(new GetFacilityRequest { FacilityId = facilityId.ToString() }, caller, Deadline, ct);
            return response.Facility.ToCaseFacility();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw new RequestValidationException([new(field, $"no facility {facilityId} is registered (FacilityService.RegisterFacility)")]);
        }
    }

    /// <summary>
    /// A registered facility with exactly this legal name (ignoring case) in this state, if any. A name the registry
    /// refuses to search for is INVALID_ARGUMENT on legal_name (it came from the caller).
    /// </summary>
    public async Task<CaseFacility?> FindAsync(string legalName, string state, Metadata caller, CancellationToken ct)
    {
        try
        {
            var response = await client.SearchFacilitiesAsync(new SearchFacilitiesRequest { NameContains = legalName, State = state }, caller, Deadline, ct);
            var match = response.Facilities.FirstOrDefault(f => string.Equals(f.LegalName.Trim(), legalName.Trim(), StringComparison.OrdinalIgnoreCase));
            return match?.ToCaseFacility();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            throw new RequestValidationException([new("legal_name", $"the facility registry cannot search for it: {e.Status.Detail}")]);
        }
    }

    /// <summary>
    /// The MID the registry's rules give for a name and address (19 CFR Part 102). A name or city no MID can be derived
    /// from (the registry's INVALID_ARGUMENT, e.g. no letters at all) is INVALID_ARGUMENT on legal_name.
    /// </summary>
    public async Task<string> DeriveMidAsync(string name, string street, string city, Metadata caller, CancellationToken ct)
    {
        try
        {
            return (await client.DeriveMidAsync(new DeriveMidRequest { ManufacturerName = name, StreetAddress = street, City = city }, caller, Deadline, ct)).Mid;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            throw new RequestValidationException([new("legal_name", $"no MID can be derived from the name and city: {e.Status.Detail}")]);
        }
    }

    private DateTime Deadline => DateTime.UtcNow + options.Value.PetitionCallTimeout;
}
