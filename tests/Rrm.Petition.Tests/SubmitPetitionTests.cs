using Grpc.Core;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

public sealed class SubmitPetitionTests(PetitionFixture fixture) : IClassFixture<PetitionFixture>
{
    private static readonly Metadata Analyst = Tokens.For(Roles.IlcAnalyst);

    internal static SubmitPetitionRequest ImproPetition() => new()
    {
        FacilityName = "Impro Industries Mexico, S. de R.L. de C.V.",
        Petitioner = new Petitioner { Organization = "La Liga Sindical Obrera Mexicana (LSOM)", ContactEmail = "contacto@lsom.example" },
        Narrative = "Workers were dismissed for organising an independent union.",
        Language = PetitionLanguage.Es,
        ReceivedDate = new Date { Year = 2024, Month = 6, Day = 24 },
    };

    [Fact]
    public async Task A_petition_is_stored_with_its_ILC_review_due_30_days_after_receipt()
    {
        var client = fixture.Client();
        var submitted = (await client.SubmitPetitionAsync(ImproPetition(), Analyst)).Petition;

        Assert.Equal(new Date { Year = 2024, Month = 7, Day = 24 }, submitted.ReviewDueDate);
        Assert.Equal(PetitionStatus.UnderReview, submitted.Status);
        var fetched = (await client.GetPetitionAsync(new GetPetitionRequest { PetitionId = submitted.PetitionId }, Analyst)).Petition;
        Assert.Equal(submitted, fetched);
        Assert.Equal("La Liga Sindical Obrera Mexicana (LSOM)", fetched.Petitioner.Organization);
    }

    [Fact]
    public async Task Submitting_publishes_PetitionReceived_through_the_outbox()
    {
        var submitted = (await fixture.Client().SubmitPetitionAsync(ImproPetition(), Analyst)).Petition;

        var published = await Eventually.GetAsync(
            () => fixture.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM petition.outbox_messages WHERE type = 'PetitionReceived' AND processed_at IS NOT NULL AND payload->>'petitionId' = '{submitted.PetitionId}'"),
            n => n == 1, what: "the outbox row to be published");
        Assert.Equal(1, published);
    }

    [Fact]
    public async Task The_petitioner_is_hidden_from_everyone_but_ILC_analysts()
    {
        var client = fixture.Client();
        var id = (await client.SubmitPetitionAsync(ImproPetition(), Analyst)).Petition.PetitionId;

        var seenByUstr = (await client.GetPetitionAsync(new GetPetitionRequest { PetitionId = id }, Tokens.For(Roles.UstrOfficer))).Petition;

        Assert.Null(seenByUstr.Petitioner);
        Assert.Equal("Impro Industries Mexico, S. de R.L. de C.V.", seenByUstr.FacilityName);
    }

    [Fact]
    public async Task A_retry_with_the_same_request_id_returns_the_first_petition_and_stores_nothing_new()
    {
        var client = fixture.Client();
        var request = ImproPetition();
        request.RequestId = Guid.NewGuid().ToString();
        var first = (await client.SubmitPetitionAsync(request, Analyst)).Petition;
        var before = await fixture.CountAsync("petitions");

        var retry = (await client.SubmitPetitionAsync(request, Analyst)).Petition;

        Assert.Equal(first.PetitionId, retry.PetitionId);
        Assert.Equal(before, await fixture.CountAsync("petitions"));
    }

    [Fact]
    public async Task Reusing_a_request_id_for_a_different_petition_is_AlreadyExists()
    {
        var client = fixture.Client();
        var request = ImproPetition();
        request.RequestId = Guid.NewGuid().ToString();
        await client.SubmitPetitionAsync(request, Analyst);
        request.Narrative = "Something else entirely.";

        var error = await Assert.ThrowsAsync<RpcException>(() => client.SubmitPetitionAsync(request, Analyst).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Contains("request_id", error.Status.Detail);
    }

    public static TheoryData<string, Action<SubmitPetitionRequest>> BadRequests => new()
    {
        { "facility_name", r => r.FacilityName = "" },
        { "facility_name", r => r.FacilityName = "   " },
        { "facility_name", r => r.FacilityName = new string('x', 301) },
        { "narrative", r => r.Narrative = "" },
        { "narrative", r => r.Narrative = new string('x', 20_001) },
        { "petitioner.organization", r => r.Petitioner.Organization = new string('x', 301) },
        { "petitioner.contact_email", r => r.Petitioner.ContactEmail = "not-an-address" },
        { "language", r => r.Language = PetitionLanguage.Unspecified },
        { "received_date", r => r.ReceivedDate = new Date { Year = 2024, Month = 2, Day = 30 } },
        { "received_date", r => r.ReceivedDate = new Date { Year = 2999, Month = 1, Day = 1 } },
        { "request_id", r => r.RequestId = new string('x', 101) },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_InvalidArgument_naming_the_field_and_stores_nothing(string field, Action<SubmitPetitionRequest> spoil)
    {
        var request = ImproPetition();
        spoil(request);
        var petitions = await fixture.CountAsync("petitions");
        var events = await fixture.CountAsync("outbox_messages");

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Client().SubmitPetitionAsync(request, Analyst).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field + ":", error.Status.Detail);
        Assert.Contains(error.Trailers, t => t.Key == "rrm-field-violation" && t.Value.StartsWith(field + ":"));
        Assert.Equal(petitions, await fixture.CountAsync("petitions"));
        Assert.Equal(events, await fixture.CountAsync("outbox_messages"));
    }

    [Fact]
    public async Task Several_bad_fields_are_reported_together()
    {
        var request = ImproPetition();
        request.FacilityName = "";
        request.Narrative = "";

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Client().SubmitPetitionAsync(request, Analyst).ResponseAsync);

        Assert.Contains("facility_name:", error.Status.Detail);
        Assert.Contains("narrative:", error.Status.Detail);
    }

    [Fact]
    public async Task An_unknown_petition_is_NotFound_and_a_malformed_id_is_InvalidArgument()
    {
        var client = fixture.Client();
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetPetitionAsync(new GetPetitionRequest { PetitionId = Guid.NewGuid().ToString() }, Analyst).ResponseAsync);
        var malformed = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetPetitionAsync(new GetPetitionRequest { PetitionId = "42" }, Analyst).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.Contains("petition_id", malformed.Status.Detail);
    }
}
