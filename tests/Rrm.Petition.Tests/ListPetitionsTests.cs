using Grpc.Core;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

/// <summary>A service whose database holds five known petitions, made once for the class.</summary>
public sealed class ListPetitionsFixture : PetitionFixture
{
    /// <summary>In order of submission: SLP June 24, SLP March 1, Tamaulipas April 18 (determined sufficient), Tamaulipas June 24, SLP January 15.</summary>
    public List<Rrm.Grpc.Petition.V1.Petition> Seeded { get; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var slp = await RegisterAsync();
        var tamaulipas = await RegisterAsync("Panasonic Automotive Systems de Mexico, S.A. de C.V.", "Tamaulipas");
        foreach (var (facility, month, day) in new[] { (slp, 6, 24), (slp, 3, 1), (tamaulipas, 4, 18), (tamaulipas, 6, 24), (slp, 1, 15) })
        {
            var request = Samples.ImproPetition(facility.FacilityId);
            request.ReceivedDate = new Date { Year = 2024, Month = month, Day = day };
            Seeded.Add((await Petitions().SubmitPetitionAsync(request, Analyst)).Petition);
        }
        await Petitions().RecordDeterminationAsync(new RecordDeterminationRequest
        {
            PetitionId = Seeded[2].PetitionId, Outcome = DeterminationOutcome.Sufficient, Rationale = "Credible evidence.",
            DeterminationDate = new Date { Year = 2024, Month = 5, Day = 18 },
        }, Analyst);
    }
}

/// <summary>ListPetitions over a known set of petitions.</summary>
public sealed class ListPetitionsTests(ListPetitionsFixture fixture) : IClassFixture<ListPetitionsFixture>
{
    private static readonly Metadata Analyst = PetitionFixture.Analyst;

    private async Task<List<string>> ListAsync(ListPetitionsRequest request)
    {
        var ids = new List<string>();
        do
        {
            var response = await fixture.Petitions().ListPetitionsAsync(request, Analyst);
            ids.AddRange(response.Petitions.Select(p => p.PetitionId));
            request.Page = new PageRequest { PageSize = request.Page?.PageSize ?? 0, PageToken = response.Page.NextPageToken };
        } while (request.Page.PageToken.Length > 0);
        return ids;
    }

    private List<string> Ids(params int[] indexes) => indexes.Select(i => fixture.Seeded[i].PetitionId).ToList();

    [Fact]
    public async Task Petitions_come_newest_receipt_first_in_stable_pages()
    {
        var all = await ListAsync(new ListPetitionsRequest());
        var paged = await ListAsync(new ListPetitionsRequest { Page = new PageRequest { PageSize = 2 } });

        Assert.Equal(5, all.Count);
        Assert.Equal(all, paged);
        // June 24 twice (the later id first), then April 18, March 1, January 15.
        Assert.Equal(Ids(3, 0, 2, 1, 4), all);
    }

    [Fact]
    public async Task Filters_by_status_facility_state_and_received_range_combine()
    {
        var slpId = fixture.Seeded[0].Facility.FacilityId;

        var sufficient = await ListAsync(new ListPetitionsRequest { Status = PetitionStatus.Sufficient });
        var underReview = await ListAsync(new ListPetitionsRequest { Status = PetitionStatus.UnderReview });
        var oneFacility = await ListAsync(new ListPetitionsRequest { FacilityId = slpId });
        var tamaulipas = await ListAsync(new ListPetitionsRequest { State = "tamaulipas" });
        var spring = await ListAsync(new ListPetitionsRequest
        {
            ReceivedFrom = new Date { Year = 2024, Month = 3, Day = 1 }, ReceivedTo = new Date { Year = 2024, Month = 4, Day = 18 },
        });
        var springInSlp = await ListAsync(new ListPetitionsRequest
        {
            State = "SLP", ReceivedFrom = new Date { Year = 2024, Month = 3, Day = 1 }, ReceivedTo = new Date { Year = 2024, Month = 4, Day = 18 },
        });

        Assert.Equal(Ids(3, 0, 1, 4), underReview);
        Assert.Equal(Ids(0, 1, 4), oneFacility);
        Assert.Equal(Ids(3, 2), tamaulipas);
        Assert.Equal(Ids(2), sufficient);
        Assert.Equal(Ids(2, 1), spring);
        Assert.Equal(Ids(1), springInSlp);
    }

    public static TheoryData<string, Action<ListPetitionsRequest>> BadRequests => new()
    {
        { "state", r => r.State = "Texas" },
        { "facility_id", r => r.FacilityId = "plant-7" },
        { "received_to", r => { r.ReceivedFrom = new Date { Year = 2024, Month = 5, Day = 1 }; r.ReceivedTo = new Date { Year = 2024, Month = 4, Day = 1 }; } },
        { "received_from", r => r.ReceivedFrom = new Date { Year = 2024, Month = 2, Day = 31 } },
        { "page.page_size", r => r.Page = new PageRequest { PageSize = 501 } },
        { "page.page_token", r => r.Page = new PageRequest { PageToken = "forged" } },
        { "status", r => r.Status = (PetitionStatus)42 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_filters_are_InvalidArgument_naming_the_field(string field, Action<ListPetitionsRequest> spoil)
    {
        var request = new ListPetitionsRequest();
        spoil(request);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Petitions().ListPetitionsAsync(request, Analyst).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field + ":", error.Status.Detail);
    }
}
