using Grpc.Core;
using Rrm.Grpc.Petition.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

public sealed class FacilityTests(PetitionFixture fixture) : IClassFixture<PetitionFixture>
{
    private static readonly Metadata Analyst = PetitionFixture.Analyst;

    [Fact]
    public async Task The_Impro_Mexico_facility_registers_with_a_derived_MID()
    {
        var request = Samples.Impro();
        request.StreetAddress = "Carretera Federal 57 km 1250";

        var facility = (await fixture.Facilities().RegisterFacilityAsync(request, Analyst)).Facility;

        Assert.Equal(["MXIMPIND1250VIL"], facility.Mids);
        Assert.Equal("SLP", facility.StateCode);
        Assert.Equal("San Luis Potosí", facility.StateName);
        Assert.Equal(1500, facility.ApproximateWorkers);
        var fetched = (await fixture.Facilities().GetFacilityAsync(new GetFacilityRequest { FacilityId = facility.FacilityId }, Tokens.For(Roles.TreasuryOfficer))).Facility;
        Assert.Equal(facility, fetched);
    }

    [Fact]
    public async Task Known_MIDs_are_kept_beside_the_derived_one()
    {
        var request = Samples.Impro();
        request.LegalName = "Impro Industries Mexico S de RL de CV";
        request.StreetAddress = "Km 1251 Carretera 57";
        request.Mids.Add("mximpind1251vil");
        request.Mids.Add("MXIMPRO1251VIL");

        var facility = (await fixture.Facilities().RegisterFacilityAsync(request, Analyst)).Facility;

        Assert.Equal(["MXIMPIND1251VIL", "MXIMPRO1251VIL"], facility.Mids);
    }

    [Fact]
    public async Task The_same_legal_name_and_address_is_AlreadyExists_pointing_at_the_existing_facility()
    {
        var first = await fixture.RegisterAsync(legalName: "Goodyear SLP, S. de R.L. de C.V.");
        var again = Samples.Impro();
        again.LegalName = "GOODYEAR SLP S de RL de CV";   // case and punctuation differ
        again.StreetAddress = first.StreetAddress.ToUpperInvariant();
        var before = await fixture.CountAsync("facilities");

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Facilities().RegisterFacilityAsync(again, Analyst).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Contains(first.FacilityId, error.Status.Detail);
        Assert.Equal(before, await fixture.CountAsync("facilities"));
    }

    public static TheoryData<string, Action<RegisterFacilityRequest>> BadRequests => new()
    {
        { "legal_name", r => r.LegalName = "" },
        { "legal_name", r => r.LegalName = new string('x', 301) },
        { "legal_name", r => r.LegalName = "!!!" },
        // A line break in a name would break every mail subject that carries it (statutory notices included).
        { "legal_name", r => r.LegalName = "Planta Ejemplo\r\nBcc: x@example.com" },
        { "common_name", r => r.CommonName = "Planta\tEjemplo" },
        { "city", r => r.City = "Saltillo\n" + "Coahuila" },
        { "owner", r => r.Owner = "Grupo\u2028Ejemplo" },
        { "street_address", r => r.StreetAddress = "" },
        { "city", r => r.City = "" },
        { "state", r => r.State = "Texas" },
        { "state", r => r.State = "" },
        { "sector", r => r.Sector = Sector.Unspecified },
        { "subsector", r => r.Subsector = (Subsector)99 },
        { "approximate_workers", r => r.ApproximateWorkers = -1 },
        { "mids[0]", r => r.Mids.Add("not an mid") },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_InvalidArgument_naming_the_field_and_stores_nothing(string field, Action<RegisterFacilityRequest> spoil)
    {
        var request = Samples.Impro();
        request.StreetAddress = $"Calle {Random.Shared.Next(1, 99_999)}";
        spoil(request);
        var before = await fixture.CountAsync("facilities");

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Facilities().RegisterFacilityAsync(request, Analyst).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field + ":", error.Status.Detail);
        Assert.Equal(before, await fixture.CountAsync("facilities"));
    }

    [Fact]
    public async Task Only_ILC_analysts_and_USTR_officers_register_facilities()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Facilities().RegisterFacilityAsync(Samples.Impro(), Tokens.For(Roles.Auditor)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Search_finds_by_accent_insensitive_name_fragment_state_sector_and_MID_in_stable_pages()
    {
        var marker = "Zapopan Électrica " + Guid.NewGuid().ToString("N")[..8];
        var registered = new List<Facility>();
        for (var i = 0; i < 5; i++) registered.Add(await fixture.RegisterAsync(legalName: $"{marker} Planta {i}", state: i % 2 == 0 ? "Jalisco" : "Nuevo León"));
        var client = fixture.Facilities();

        var byName = new List<Facility>();
        var request = new SearchFacilitiesRequest { NameContains = marker.Replace("É", "e").ToLowerInvariant(), Page = new() { PageSize = 2 } };
        do
        {
            var page = await client.SearchFacilitiesAsync(request, Analyst);
            Assert.True(page.Facilities.Count <= 2);
            byName.AddRange(page.Facilities);
            request.Page.PageToken = page.Page.NextPageToken;
        } while (request.Page.PageToken.Length > 0);
        var inJalisco = (await client.SearchFacilitiesAsync(new SearchFacilitiesRequest { NameContains = marker, State = "jal" }, Analyst)).Facilities;
        var byMid = (await client.SearchFacilitiesAsync(new SearchFacilitiesRequest { Mid = registered[3].Mids[0] }, Analyst)).Facilities;
        var mining = (await client.SearchFacilitiesAsync(new SearchFacilitiesRequest { NameContains = marker, Sector = Sector.Mining }, Analyst)).Facilities;

        Assert.Equal(registered.Select(f => f.FacilityId).Order(), byName.Select(f => f.FacilityId).Order());
        Assert.Equal(3, inJalisco.Count);
        Assert.Contains(byMid, f => f.FacilityId == registered[3].FacilityId);
        Assert.Empty(mining);
    }

    [Fact]
    public async Task Search_rejects_an_unknown_state_and_a_forged_page_token()
    {
        var client = fixture.Facilities();
        var state = await Assert.ThrowsAsync<RpcException>(() => client.SearchFacilitiesAsync(new SearchFacilitiesRequest { State = "Atlantis" }, Analyst).ResponseAsync);
        var token = await Assert.ThrowsAsync<RpcException>(() =>
            client.SearchFacilitiesAsync(new SearchFacilitiesRequest { Page = new() { PageToken = "garbage!" } }, Analyst).ResponseAsync);

        Assert.Contains("state:", state.Status.Detail);
        Assert.Contains("page.page_token:", token.Status.Detail);
    }

    [Fact]
    public async Task DeriveMid_applies_the_rules_and_names_the_field_it_cannot_use()
    {
        var client = fixture.Facilities();
        var mid = await client.DeriveMidAsync(new DeriveMidRequest
        {
            ManufacturerName = "Ejemplo Industrias Norte S.A. de C.V.", StreetAddress = "Av. Industrial 1234", City = "Villa de Reyes",
        }, Tokens.For(Roles.CustomsSystem));
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.DeriveMidAsync(new DeriveMidRequest { ManufacturerName = "Acme", City = "Toronto", CountryCode = "CA" }, Analyst).ResponseAsync);

        Assert.Equal("MXEJEIND1234VIL", mid.Mid);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("canadian_province:", error.Status.Detail);
    }
}
