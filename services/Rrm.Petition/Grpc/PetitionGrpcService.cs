using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rrm.Contracts.Events;
using Rrm.Grpc.Petition.V1;
using Rrm.Petition.Data;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Hosting;
using Rrm.ServiceDefaults.Security;
using Domain = Rrm.Petition.Domain;

namespace Rrm.Petition.Grpc;

[Authorize]
internal sealed class PetitionGrpcService(PetitionDbContext db, TimeProvider clock, ILogger<PetitionGrpcService> logger)
    : PetitionService.PetitionServiceBase
{
    [Authorize(Roles = Roles.IlcAnalyst)]
    public override async Task<SubmitPetitionResponse> SubmitPetition(SubmitPetitionRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var today = LegalCalendar.Today(clock);
        var v = new Validation()
            .OptionalText("request_id", request.RequestId, Domain.Petition.MaxRequestIdLength)
            .RequiredText("facility_name", request.FacilityName, Domain.Petition.MaxFacilityNameLength)
            .OptionalText("petitioner.organization", request.Petitioner?.Organization, Domain.Petition.MaxOrganizationLength)
            .OptionalText("petitioner.contact_email", request.Petitioner?.ContactEmail, Domain.Petition.MaxEmailLength)
            .RequiredText("narrative", request.Narrative, Domain.Petition.MaxNarrativeLength);
        var email = request.Petitioner?.ContactEmail.Trim();
        if (!string.IsNullOrEmpty(email) && !IsPlausibleEmail(email))
            v.Add("petitioner.contact_email", "is not an e-mail address");
        var language = request.Language switch
        {
            PetitionLanguage.En => Domain.PetitionLanguage.English,
            PetitionLanguage.Es => Domain.PetitionLanguage.Spanish,
            _ => (Domain.PetitionLanguage?)null,
        };
        if (language is null) v.Add("language", "must be PETITION_LANGUAGE_EN or PETITION_LANGUAGE_ES");
        var received = request.ReceivedDate.ToDateOrDefault("received_date", today, v);
        if (received > today) v.Add("received_date", $"must not be in the future (today is {today:yyyy-MM-dd})");
        v.ThrowIfInvalid();

        var requestId = string.IsNullOrWhiteSpace(request.RequestId) ? null : request.RequestId.Trim();
        var requestHash = requestId is null ? null : Convert.ToHexString(SHA256.HashData(request.ToByteArray()));
        if (requestId is not null && await FindRetryAsync(requestId, requestHash!, ct) is { } earlier)
            return new SubmitPetitionResponse { Petition = ToProto(earlier, context) };

        var petition = Domain.Petition.Receive(request.FacilityName.Trim(), request.Petitioner?.Organization.Trim() ?? "",
            string.IsNullOrEmpty(email) ? null : email, request.Narrative.Trim(), language!.Value, received,
            clock.GetUtcNow(), requestId, requestHash);
        db.Petitions.Add(petition);
        db.AddEvent(new PetitionReceived
        {
            PetitionId = petition.Id,
            FacilityName = petition.FacilityName,
            Language = petition.Language == Domain.PetitionLanguage.Spanish ? "es" : "en",
            ReceivedDate = petition.ReceivedDate,
            ReviewDueDate = petition.ReviewDueDate,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (requestId is not null && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A concurrent retry with the same request id won the race: answer as the retry would.
            db.ChangeTracker.Clear();
            var winner = await FindRetryAsync(requestId, requestHash!, ct)
                ?? throw new ConcurrencyConflictException("A concurrent request with the same request_id is in progress.");
            return new SubmitPetitionResponse { Petition = ToProto(winner, context) };
        }
        logger.LogInformation("Petition {PetitionId} received {ReceivedDate}; ILC review due {ReviewDueDate}",
            petition.Id, petition.ReceivedDate, petition.ReviewDueDate);
        return new SubmitPetitionResponse { Petition = ToProto(petition, context) };
    }

    [Authorize(Roles = $"{Roles.IlcAnalyst},{Roles.UstrOfficer},{Roles.Auditor},{Roles.NotificationAdmin}")]
    public override async Task<GetPetitionResponse> GetPetition(GetPetitionRequest request, ServerCallContext context)
    {
        if (!Guid.TryParse(request.PetitionId, out var id))
            new Validation().Add("petition_id", "must be a petition id as returned by SubmitPetition").ThrowIfInvalid();
        var petition = await db.Petitions.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, context.CancellationToken)
            ?? throw new NotFoundException($"No petition has id {request.PetitionId}.");
        return new GetPetitionResponse { Petition = ToProto(petition, context) };
    }

    private async Task<Domain.Petition?> FindRetryAsync(string requestId, string requestHash, CancellationToken ct)
    {
        var earlier = await db.Petitions.AsNoTracking().SingleOrDefaultAsync(p => p.RequestId == requestId, ct);
        if (earlier is not null && earlier.RequestHash != requestHash)
            throw new AlreadyExistsException($"request_id '{requestId}' was already used for a different petition ({earlier.Id}).");
        return earlier;
    }

    private static bool IsPlausibleEmail(string email)
    {
        var at = email.IndexOf('@');
        return at > 0 && at == email.LastIndexOf('@') && email.IndexOf('.', at) > at + 1 && !email.EndsWith('.') && !email.Any(char.IsWhiteSpace);
    }

    private static Rrm.Grpc.Petition.V1.Petition ToProto(Domain.Petition p, ServerCallContext context)
    {
        var proto = new Rrm.Grpc.Petition.V1.Petition
        {
            PetitionId = p.Id.ToString(),
            FacilityName = p.FacilityName,
            Narrative = p.Narrative,
            Language = p.Language == Domain.PetitionLanguage.Spanish ? PetitionLanguage.Es : PetitionLanguage.En,
            ReceivedDate = p.ReceivedDate.ToProto(),
            ReviewDueDate = p.ReviewDueDate.ToProto(),
            Status = PetitionStatus.UnderReview,
        };
        // Petitioner identity is confidential: only the ILC's analysts see it.
        if (context.GetHttpContext().User.IsInRole(Roles.IlcAnalyst))
            proto.Petitioner = new Petitioner { Organization = p.PetitionerOrganization, ContactEmail = p.PetitionerEmail ?? "" };
        return proto;
    }
}
