using Google.Rpc;
using Grpc.Core;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

public sealed class SubmitPetitionTests(PetitionFixture fixture) : IClassFixture<PetitionFixture>
{
    private static readonly Metadata Analyst = PetitionFixture.Analyst;

    [Fact]
    public async Task The_Impro_petition_of_June_24_2024_is_under_review_until_July_24_2024()
    {
        var submitted = await fixture.SubmitAsync();

        Assert.Equal(new Date { Year = 2024, Month = 7, Day = 24 }, submitted.ReviewDueDate);
        Assert.Equal(PetitionStatus.UnderReview, submitted.Status);
        var fetched = (await fixture.Petitions().GetPetitionAsync(new GetPetitionRequest { PetitionId = submitted.PetitionId }, Analyst)).Petition;
        Assert.Equal(submitted, fetched);
        Assert.Equal("La Liga Sindical Obrera Mexicana (LSOM)", fetched.Petitioner.Organization);
        Assert.Equal("Villa de Reyes", fetched.Facility.City);
        Assert.Equal("SLP", fetched.Facility.StateCode);
        Assert.Equal([AllegationCategory.Retaliation, AllegationCategory.FreedomOfAssociation], fetched.AllegationCategories);
        Assert.Equal("Dismissal letter", Assert.Single(fetched.Evidence).Title);
    }

    [Fact]
    public async Task Submitting_publishes_PetitionReceived_through_the_outbox_without_the_petitioner()
    {
        var submitted = await fixture.SubmitAsync();

        var payload = await Eventually.GetAsync(
            () => fixture.Database.ScalarAsync<string?>(
                $"SELECT payload::text FROM petition.outbox_messages WHERE type = 'PetitionReceived' AND processed_at IS NOT NULL AND payload->>'petitionId' = '{submitted.PetitionId}'"),
            p => p is not null, what: "the outbox row to be published");
        Assert.DoesNotContain("LSOM", payload);
        Assert.DoesNotContain("lsom.example", payload);
    }

    [Fact]
    public async Task An_anonymous_petition_is_accepted()
    {
        var submitted = await fixture.SubmitAsync(r => r.Petitioner = new Petitioner { Anonymous = true });

        Assert.True(submitted.Petitioner.Anonymous);
        Assert.Equal("", submitted.Petitioner.Organization);
    }

    [Fact]
    public async Task A_retry_with_the_same_request_id_returns_the_first_petition_and_stores_nothing_new()
    {
        var facility = await fixture.RegisterAsync();
        var request = Samples.ImproPetition(facility.FacilityId);
        request.RequestId = Guid.NewGuid().ToString();
        var first = (await fixture.Petitions().SubmitPetitionAsync(request, Analyst)).Petition;
        var before = await fixture.CountAsync("petitions");

        var retry = (await fixture.Petitions().SubmitPetitionAsync(request, Analyst)).Petition;

        Assert.Equal(first.PetitionId, retry.PetitionId);
        Assert.Equal(before, await fixture.CountAsync("petitions"));
    }

    [Fact]
    public async Task Concurrent_retries_with_the_same_request_id_store_one_petition_and_all_return_it()
    {
        var facility = await fixture.RegisterAsync();
        var request = Samples.ImproPetition(facility.FacilityId);
        request.RequestId = Guid.NewGuid().ToString();

        var petitions = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => (await fixture.Petitions().SubmitPetitionAsync(request, Analyst)).Petition));

        Assert.Single(petitions.Select(p => p.PetitionId).Distinct());
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM petition.outbox_messages WHERE type = 'PetitionReceived' AND payload->>'petitionId' = '{petitions[0].PetitionId}'"));
    }

    [Fact]
    public async Task Reusing_a_request_id_for_a_different_petition_is_AlreadyExists()
    {
        var facility = await fixture.RegisterAsync();
        var request = Samples.ImproPetition(facility.FacilityId);
        request.RequestId = Guid.NewGuid().ToString();
        await fixture.Petitions().SubmitPetitionAsync(request, Analyst);
        request.Narrative = "Something else entirely.";

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Petitions().SubmitPetitionAsync(request, Analyst).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Contains("request_id", error.Status.Detail);
    }

    public static TheoryData<string, Action<SubmitPetitionRequest>> BadRequests => new()
    {
        { "facility_id", r => r.FacilityId = "" },
        { "facility_id", r => r.FacilityId = "not-an-id" },
        { "facility_id", r => r.FacilityId = Guid.NewGuid().ToString() },
        { "narrative", r => r.Narrative = "" },
        { "narrative", r => r.Narrative = new string('x', 20_001) },
        { "petitioner", r => r.Petitioner = null },
        { "petitioner", r => r.Petitioner = new Petitioner { Anonymous = true, Organization = "LSOM" } },
        { "petitioner.organization", r => r.Petitioner.Organization = "" },
        { "petitioner.organization", r => r.Petitioner.Organization = new string('x', 301) },
        { "petitioner.contact_email", r => r.Petitioner.ContactEmail = "not-an-address" },
        { "allegation_categories", r => r.AllegationCategories.Clear() },
        { "allegation_categories[2]", r => r.AllegationCategories.Add(AllegationCategory.Unspecified) },
        { "mexican_laws_cited[1]", r => r.MexicanLawsCited.Add(" ") },
        { "evidence[0].sha256", r => r.Evidence[0].Sha256 = "abc" },
        { "evidence[0].location", r => r.Evidence[0].Location = "not a uri" },
        { "evidence[0].media_type", r => r.Evidence[0].MediaType = "pdf" },
        { "language", r => r.Language = PetitionLanguage.Unspecified },
        { "received_date", r => r.ReceivedDate = new Date { Year = 2024, Month = 2, Day = 30 } },
        { "received_date", r => r.ReceivedDate = new Date { Year = 2999, Month = 1, Day = 1 } },
        { "request_id", r => r.RequestId = new string('x', 101) },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_InvalidArgument_naming_the_field_and_stores_nothing(string field, Action<SubmitPetitionRequest> spoil)
    {
        var facility = await fixture.RegisterAsync();
        var request = Samples.ImproPetition(facility.FacilityId);
        spoil(request);
        var petitions = await fixture.CountAsync("petitions");
        // Only PetitionReceived: the scheduler adds overdue alerts for earlier tests' petitions meanwhile.
        var received = () => fixture.Database.ScalarAsync<long>("SELECT count(*) FROM petition.outbox_messages WHERE type = 'PetitionReceived'");
        var events = await received();
        var deadlines = await fixture.CountAsync("scheduled_deadlines");

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Petitions().SubmitPetitionAsync(request, Analyst).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field + ":", error.Status.Detail);
        // The same, machine-readable: a google.rpc.BadRequest in the standard grpc-status-details-bin trailer.
        var details = error.GetRpcStatus();
        Assert.NotNull(details);
        Assert.Equal((int)StatusCode.InvalidArgument, details.Code);
        Assert.Equal(error.Status.Detail, details.Message);
        Assert.Contains(details.GetDetail<BadRequest>()!.FieldViolations, v => v.Field == field && v.Description.Length > 0);
        Assert.Equal(petitions, await fixture.CountAsync("petitions"));
        Assert.Equal(events, await received());
        Assert.Equal(deadlines, await fixture.CountAsync("scheduled_deadlines"));
    }

    [Fact]
    public async Task Several_bad_fields_are_reported_together()
    {
        var request = Samples.ImproPetition("");
        request.Narrative = "";

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Petitions().SubmitPetitionAsync(request, Analyst).ResponseAsync);

        Assert.Contains("facility_id:", error.Status.Detail);
        Assert.Contains("narrative:", error.Status.Detail);
        var violations = error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
        Assert.NotNull(violations);
        Assert.Equal(["facility_id", "narrative"], violations.Select(v => v.Field).Order());
        Assert.All(violations, v => Assert.Contains($"{v.Field}: {v.Description}", error.Status.Detail));
    }

    [Fact]
    public async Task A_request_with_very_many_bad_fields_details_the_first_twenty_and_counts_the_rest()
    {
        var facility = await fixture.RegisterAsync();
        var request = Samples.ImproPetition(facility.FacilityId);
        request.MexicanLawsCited.Clear();
        request.MexicanLawsCited.AddRange(Enumerable.Repeat(" ", 42)); // 42 blank laws: 42 violations

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Petitions().SubmitPetitionAsync(request, Analyst).ResponseAsync);

        var violations = error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
        Assert.NotNull(violations);
        Assert.Equal(20, violations.Count);
        Assert.All(violations, v => Assert.Equal("is required", v.Description));
        Assert.Equal([.. Enumerable.Range(0, 20).Select(i => $"mexican_laws_cited[{i}]")], violations.Select(v => v.Field));
        Assert.EndsWith("; and 22 more", error.Status.Detail);
    }

    [Fact]
    public async Task An_unknown_petition_is_NotFound_and_a_malformed_id_is_InvalidArgument()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Petitions().GetPetitionAsync(new GetPetitionRequest { PetitionId = Guid.NewGuid().ToString() }, Analyst).ResponseAsync);
        var malformed = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Petitions().GetPetitionAsync(new GetPetitionRequest { PetitionId = "42" }, Analyst).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.Contains("petition_id", malformed.Status.Detail);
    }
}
