using Grpc.Core;
using Rrm.Grpc.Petition.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

public sealed class AuthTests(PetitionFixture fixture) : IClassFixture<PetitionFixture>
{
    private async Task<RpcException> SubmitWith(Metadata? headers)
    {
        var facility = await fixture.RegisterAsync();
        var before = await fixture.CountAsync("petitions");
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Petitions().SubmitPetitionAsync(Samples.ImproPetition(facility.FacilityId), headers).ResponseAsync);
        Assert.Equal(before, await fixture.CountAsync("petitions"));
        return error;
    }

    private static void AssertRefused(StatusCode status, string reason, RpcException error)
    {
        Assert.Equal(status, error.StatusCode);
        Assert.Contains(reason, error.Status.Detail);
    }

    [Fact]
    public async Task No_token_is_Unauthenticated_and_says_a_token_is_required() =>
        AssertRefused(StatusCode.Unauthenticated, "a bearer token is required", await SubmitWith(null));

    [Fact]
    public async Task A_role_without_the_right_is_PermissionDenied() =>
        AssertRefused(StatusCode.PermissionDenied, "roles do not allow this call", await SubmitWith(Tokens.For(Roles.Auditor)));

    [Fact]
    public async Task An_expired_token_is_Unauthenticated()
    {
        var expired = Tokens.Mint([Roles.IlcAnalyst], TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow.AddHours(-1));
        AssertRefused(StatusCode.Unauthenticated, "the token has expired", await SubmitWith(Tokens.Bearer(expired)));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_Unauthenticated()
    {
        var forged = Tokens.Mint([Roles.IlcAnalyst], signingKey: "some-other-key-that-is-long-enough-0123456789");
        AssertRefused(StatusCode.Unauthenticated, "signature is not valid", await SubmitWith(Tokens.Bearer(forged)));
    }

    [Fact]
    public async Task A_token_that_names_no_subject_is_Unauthenticated()
    {
        var nobody = Tokens.Mint([Roles.IlcAnalyst], subject: "");
        AssertRefused(StatusCode.Unauthenticated, "the token names no subject (sub)", await SubmitWith(Tokens.Bearer(nobody)));
    }

    [Fact]
    public async Task A_token_valid_for_ten_years_is_Unauthenticated()
    {
        var forever = Tokens.Mint([Roles.IlcAnalyst], TimeSpan.FromDays(3650));
        AssertRefused(StatusCode.Unauthenticated, "valid for longer than the 24 hours allowed", await SubmitWith(Tokens.Bearer(forever)));
    }

    [Fact]
    public async Task The_notification_services_role_reads_a_petitioners_contact_and_nothing_else()
    {
        var facility = await fixture.RegisterAsync();
        var petition = (await fixture.Petitions().SubmitPetitionAsync(Samples.ImproPetition(facility.FacilityId), Tokens.For(Roles.IlcAnalyst))).Petition;
        var reader = Tokens.For(Roles.PetitionContactReader);

        var read = (await fixture.Petitions().GetPetitionAsync(new GetPetitionRequest { PetitionId = petition.PetitionId }, reader)).Petition;

        Assert.Equal(petition.Petitioner.ContactEmail, read.Petitioner.ContactEmail);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Petitions().ListPetitionsAsync(new ListPetitionsRequest(), reader).ResponseAsync)).StatusCode);
        AssertRefused(StatusCode.PermissionDenied, "roles do not allow this call", await SubmitWith(reader));
    }

    [Fact]
    public async Task A_token_without_any_role_may_not_even_read_the_facility_registry()
    {
        var facility = await fixture.RegisterAsync();
        var nobody = Tokens.For();

        foreach (var call in new Func<Task>[]
        {
            () => fixture.Facilities().GetFacilityAsync(new GetFacilityRequest { FacilityId = facility.FacilityId }, nobody).ResponseAsync,
            () => fixture.Facilities().SearchFacilitiesAsync(new SearchFacilitiesRequest { NameContains = "Impro" }, nobody).ResponseAsync,
            () => fixture.Facilities().DeriveMidAsync(new DeriveMidRequest { ManufacturerName = "Impro Industries", City = "San Luis Potosi" }, nobody).ResponseAsync,
        })
            AssertRefused(StatusCode.PermissionDenied, "roles do not allow this call", await Assert.ThrowsAsync<RpcException>(call));
        // Any one role reads it, the Notification service's included.
        Assert.Equal(facility.FacilityId, (await fixture.Facilities().GetFacilityAsync(
            new GetFacilityRequest { FacilityId = facility.FacilityId }, Tokens.For(Roles.PetitionContactReader))).Facility.FacilityId);
    }

    [Fact]
    public async Task A_garbage_token_is_Unauthenticated() =>
        AssertRefused(StatusCode.Unauthenticated, "the token is not valid", await SubmitWith(Tokens.Bearer("not.a.jwt")));

    [Fact]
    public async Task Customs_may_not_read_petitions() =>
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Petitions().ListPetitionsAsync(new ListPetitionsRequest(), Tokens.For(Roles.CustomsSystem)).ResponseAsync)).StatusCode);

    [Theory]
    [InlineData(Roles.UstrOfficer)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.NotificationAdmin)]
    public async Task The_petitioner_is_hidden_from_everyone_but_ILC_analysts_in_every_read(string role)
    {
        var submitted = await fixture.SubmitAsync();
        var headers = Tokens.For(role);

        var got = (await fixture.Petitions().GetPetitionAsync(new GetPetitionRequest { PetitionId = submitted.PetitionId }, headers)).Petition;
        var listed = (await fixture.Petitions().ListPetitionsAsync(new ListPetitionsRequest { FacilityId = submitted.Facility.FacilityId }, headers)).Petitions;

        Assert.Null(got.Petitioner);
        Assert.All(listed, p => Assert.Null(p.Petitioner));
        Assert.Equal(submitted.Narrative, got.Narrative);
    }
}
