using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Rrm.Grpc.Petition.V1;
using Rrm.Petition.Application;
using Rrm.Petition.Data;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Security;
using Domain = Rrm.Petition.Domain;
using Rrm.ServiceDefaults.Reference;

namespace Rrm.Petition.Grpc;

/// <summary>Thin: validate, call one command (<see cref="FacilityCommands"/>), map (STYLE.md §3).</summary>
internal sealed class FacilityGrpcService(FacilityCommands commands, PetitionDbContext db, TimeProvider clock)
    : FacilityService.FacilityServiceBase
{
    public override async Task<RegisterFacilityResponse> RegisterFacility(RegisterFacilityRequest request, ServerCallContext context)
    {
        var v = new Validation()
            .RequiredLine("legal_name", request.LegalName, Domain.Facility.MaxNameLength)
            .OptionalLine("common_name", request.CommonName, Domain.Facility.MaxNameLength)
            .RequiredLine("street_address", request.StreetAddress, Domain.Facility.MaxAddressLength)
            .RequiredLine("city", request.City, Domain.Facility.MaxCityLength)
            .OptionalLine("subsector_description", request.SubsectorDescription, Domain.Facility.MaxNameLength)
            .OptionalLine("owner", request.Owner, Domain.Facility.MaxNameLength);
        MexicanState? state = null;
        if (!string.IsNullOrWhiteSpace(request.State) && !MexicanStates.TryParse(request.State, out state))
            v.Add("state", $"'{request.State}' is not a Mexican state: use {MexicanStates.Describe()}");
        else if (string.IsNullOrWhiteSpace(request.State)) v.Add("state", "is required");
        var sector = request.Sector.ToDomain();
        if (sector is null) v.Add("sector", "must be SECTOR_MANUFACTURING, SECTOR_SERVICES or SECTOR_MINING");
        var subsector = request.Subsector.ToDomain();
        if (subsector is null) v.Add("subsector", "is not a known subsector");
        if (request.ApproximateWorkers is < 0 or > Domain.Facility.MaxWorkers)
            v.Add("approximate_workers", $"must be from 0 (unknown) to {Domain.Facility.MaxWorkers}");
        if (request.Mids.Count > Domain.Facility.MaxMids) v.Add("mids", $"at most {Domain.Facility.MaxMids}");
        var mids = request.Mids.Select(m => m.Trim().ToUpperInvariant()).ToList();
        for (var i = 0; i < mids.Count; i++)
            if (!Domain.Mid.IsWellFormed(mids[i])) v.Add($"mids[{i}]", $"'{request.Mids[i]}' is not an MID (a two-letter country code and up to 13 letters and digits)");
        if (v.IsValid)
        {
            try { Domain.Mid.Derive(request.LegalName, request.StreetAddress, request.City); }
            catch (ArgumentException e) { v.Add(e.ParamName == "city" ? "city" : "legal_name", "no MID can be derived from it: " + e.Message); }
        }
        v.ThrowIfInvalid();

        var facility = await commands.RegisterAsync(request, () => Domain.Facility.Register(request.LegalName.Trim(), request.CommonName.Trim(),
            request.StreetAddress.Trim(), request.City.Trim(), state!, sector!.Value, subsector!.Value, request.SubsectorDescription.Trim(),
            request.Owner.Trim(), request.ApproximateWorkers, mids, clock.GetUtcNow()), context.CancellationToken);
        return new RegisterFacilityResponse { Facility = facility.ToProto() };
    }

    public override async Task<AddFacilityMidResponse> AddFacilityMid(AddFacilityMidRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = request.FacilityId.ToId("facility_id", v);
        var mid = request.Mid.Trim().ToUpperInvariant();
        if (mid.Length == 0) v.Add("mid", "is required");
        else if (mid.Length > Domain.Mid.MaxLength) v.Add("mid", $"at most {Domain.Mid.MaxLength} characters");
        else if (!Domain.Mid.IsWellFormed(mid)) v.Add("mid", $"'{request.Mid}' is not an MID (a two-letter country code and up to 13 letters and digits)");
        var date = request.EffectiveDate.ToActDate("effective_date", LegalCalendar.Today(clock), v);
        v.ThrowIfInvalid();

        var (facility, added) = await commands.AddMidAsync(id, request, mid, date, context.CancellationToken);
        return new AddFacilityMidResponse { Facility = facility.ToProto(), Added = added };
    }

    public override async Task<GetFacilityResponse> GetFacility(GetFacilityRequest request, ServerCallContext context)
    {
        var id = ProtoMapping.ParseId(request.FacilityId, "facility_id");
        var facility = await commands.LoadAsync(id, tracked: false, context.CancellationToken);
        return new GetFacilityResponse { Facility = facility.ToProto() };
    }

    public override async Task<SearchFacilitiesResponse> SearchFacilities(SearchFacilitiesRequest request, ServerCallContext context)
    {
        var v = new Validation().OptionalLine("name_contains", request.NameContains, Domain.Facility.MaxNameLength).OptionalLine("mid", request.Mid, Domain.Mid.MaxLength);
        MexicanState? state = null;
        if (!string.IsNullOrWhiteSpace(request.State) && !MexicanStates.TryParse(request.State, out state))
            v.Add("state", $"'{request.State}' is not a Mexican state: use {MexicanStates.Describe()}");
        var sector = request.Sector == Rrm.Grpc.Petition.V1.Sector.Unspecified ? null : request.Sector.ToDomain();
        if (request.Sector != Rrm.Grpc.Petition.V1.Sector.Unspecified && sector is null) v.Add("sector", "is not a known sector");
        var size = request.Page.PageSize(v);
        var after = request.Page.DecodeToken(2, v);
        Guid afterId = default;
        if (after is not null && !Guid.TryParse(after[1], out afterId)) v.Add("page.page_token", "is not a token returned by this list");
        v.ThrowIfInvalid();

        var query = db.Facilities.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.NameContains))
        {
            var fragment = TextFolding.Fold(request.NameContains);
            query = query.Where(f => f.SearchName.Contains(fragment));
        }
        if (state is not null) query = query.Where(f => f.StateCode == state.Code);
        if (sector is not null) query = query.Where(f => f.Sector == sector);
        if (!string.IsNullOrWhiteSpace(request.Mid))
        {
            var mid = request.Mid.Trim().ToUpperInvariant();
            query = query.Where(f => f.Mids.Contains(mid));
        }
        if (after is not null)
        {
            var afterName = after[0];
            query = query.Where(f => string.Compare(f.SearchName, afterName) > 0 || (f.SearchName == afterName && f.Id.CompareTo(afterId) > 0));
        }
        var page = await query.OrderBy(f => f.SearchName).ThenBy(f => f.Id).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new SearchFacilitiesResponse { Page = new() };
        response.Facilities.AddRange(page.Take(size).Select(f => f.ToProto()));
        if (page.Count > size) response.Page.NextPageToken = Paging.EncodeToken(page[size - 1].SearchName, page[size - 1].Id.ToString());
        return response;
    }

    public override Task<DeriveMidResponse> DeriveMid(DeriveMidRequest request, ServerCallContext context)
    {
        new Validation()
            .RequiredLine("manufacturer_name", request.ManufacturerName, Domain.Facility.MaxNameLength)
            .OptionalLine("street_address", request.StreetAddress, Domain.Facility.MaxAddressLength)
            .RequiredLine("city", request.City, Domain.Facility.MaxCityLength)
            .OptionalLine("country_code", request.CountryCode, 2)
            .OptionalLine("canadian_province", request.CanadianProvince, 50)
            .ThrowIfInvalid();
        try
        {
            var country = string.IsNullOrWhiteSpace(request.CountryCode) ? "MX" : request.CountryCode.Trim();
            var province = string.IsNullOrWhiteSpace(request.CanadianProvince) ? null : request.CanadianProvince;
            return Task.FromResult(new DeriveMidResponse { Mid = Domain.Mid.Derive(request.ManufacturerName, request.StreetAddress, request.City, country, province) });
        }
        catch (ArgumentException e)
        {
            throw new RequestValidationException([new FieldViolation(e.ParamName ?? "manufacturer_name", e.Message)]);
        }
    }
}
