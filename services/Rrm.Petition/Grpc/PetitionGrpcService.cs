using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Rrm.Grpc.Petition.V1;
using Rrm.Petition.Data;
using Rrm.Petition.Messaging;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Hosting;
using Rrm.ServiceDefaults.Security;
using Domain = Rrm.Petition.Domain;
using Rrm.ServiceDefaults.Reference;

namespace Rrm.Petition.Grpc;

internal sealed class PetitionGrpcService(PetitionDbContext db, TimeProvider clock, IOptions<DeadlineOptions> deadlines, ILogger<PetitionGrpcService> logger)
    : PetitionService.PetitionServiceBase
{
    public override async Task<SubmitPetitionResponse> SubmitPetition(SubmitPetitionRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var today = LegalCalendar.Today(clock);
        var (petitioner, categories, evidence, language, received, facilityId) = PetitionInput.Validate(request, today);

        var requestId = string.IsNullOrWhiteSpace(request.RequestId) ? null : request.RequestId.Trim();
        var requestHash = requestId is null ? null : Convert.ToHexString(SHA256.HashData(request.ToByteArray()));
        if (requestId is not null && await FindRetryAsync(requestId, requestHash!, ct) is { } earlier)
            return new SubmitPetitionResponse { Petition = earlier.ToProto(context.GetHttpContext().User) };

        var facility = await db.Facilities.AsNoTracking().SingleOrDefaultAsync(f => f.Id == facilityId, ct)
            ?? throw new RequestValidationException([new FieldViolation("facility_id", $"no facility {request.FacilityId} is registered (FacilityService.RegisterFacility)")]);
        var now = clock.GetUtcNow();
        var petition = Domain.Petition.Receive(facility, petitioner, categories, request.Narrative.Trim(),
            request.MexicanLawsCited.Select(l => l.Trim()), evidence, language, received, now, requestId, requestHash);
        db.Petitions.Add(petition);
        await IlcReviewDeadlines.ScheduleAsync(db, petition, now, deadlines.Value.BackfillGrace, ct);
        db.AddEvent(PetitionEvents.Received(petition));
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
            return new SubmitPetitionResponse { Petition = winner.ToProto(context.GetHttpContext().User) };
        }
        logger.LogInformation("Petition {PetitionId} about facility {FacilityId} received {ReceivedDate}; ILC review due {ReviewDueDate}",
            petition.Id, petition.FacilityId, petition.ReceivedDate, petition.ReviewDueDate);
        return new SubmitPetitionResponse { Petition = petition.ToProto(context.GetHttpContext().User) };
    }

    // The Notification service also reads a petitioner's contact here, with its own read-only role (RpcAuthorization.Table).
    public override async Task<GetPetitionResponse> GetPetition(GetPetitionRequest request, ServerCallContext context)
    {
        var petition = await LoadAsync(request.PetitionId, tracked: false, context.CancellationToken);
        return new GetPetitionResponse { Petition = petition.ToProto(context.GetHttpContext().User) };
    }

    public override async Task<ListPetitionsResponse> ListPetitions(ListPetitionsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var today = LegalCalendar.Today(clock);
        Domain.PetitionStatus? status = null;
        if (request.Status != Rrm.Grpc.Petition.V1.PetitionStatus.Unspecified && (status = request.Status.ToDomain()) is null)
            v.Add("status", "is not a petition status");
        Guid? facilityId = string.IsNullOrWhiteSpace(request.FacilityId) ? null : request.FacilityId.ToId("facility_id", v);
        MexicanState? state = null;
        if (!string.IsNullOrWhiteSpace(request.State) && !MexicanStates.TryParse(request.State, out state))
            v.Add("state", $"'{request.State}' is not a Mexican state: use {MexicanStates.Describe()}");
        DateOnly? from = request.ReceivedFrom is null ? null : request.ReceivedFrom.ToDateOrDefault("received_from", today, v);
        DateOnly? to = request.ReceivedTo is null ? null : request.ReceivedTo.ToDateOrDefault("received_to", today, v);
        if (from > to) v.Add("received_to", "must not be before received_from");
        var size = request.Page.PageSize(v);
        var after = request.Page.DecodeToken(2, v);
        DateOnly afterDate = default;
        Guid afterId = default;
        if (after is not null && !(DateOnly.TryParse(after[0], out afterDate) && Guid.TryParse(after[1], out afterId)))
            v.Add("page.page_token", "is not a token returned by this list");
        v.ThrowIfInvalid();

        var query = db.Petitions.AsNoTracking();
        if (status is not null) query = query.Where(p => p.Status == status);
        if (facilityId is not null) query = query.Where(p => p.FacilityId == facilityId);
        if (state is not null) query = query.Where(p => p.FacilityStateCode == state.Code);
        if (from is not null) query = query.Where(p => p.ReceivedDate >= from);
        if (to is not null) query = query.Where(p => p.ReceivedDate <= to);
        if (after is not null)
            query = query.Where(p => p.ReceivedDate < afterDate || (p.ReceivedDate == afterDate && p.Id.CompareTo(afterId) < 0));
        var page = await query.OrderByDescending(p => p.ReceivedDate).ThenByDescending(p => p.Id).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new ListPetitionsResponse { Page = new() };
        var user = context.GetHttpContext().User;
        response.Petitions.AddRange(page.Take(size).Select(p => p.ToProto(user)));
        if (page.Count > size) response.Page.NextPageToken = Paging.EncodeToken(page[size - 1].ReceivedDate.ToString("yyyy-MM-dd"), page[size - 1].Id.ToString());
        return response;
    }

    public override async Task<RecordDeterminationResponse> RecordDetermination(RecordDeterminationRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var today = LegalCalendar.Today(clock);
        var v = new Validation().RequiredText("rationale", request.Rationale, Domain.Petition.MaxRationaleLength);
        request.PetitionId.ToId("petition_id", v);
        var sufficient = request.Outcome switch
        {
            DeterminationOutcome.Sufficient => true,
            DeterminationOutcome.Insufficient => (bool?)false,
            _ => null,
        };
        if (sufficient is null) v.Add("outcome", "must be DETERMINATION_OUTCOME_SUFFICIENT or DETERMINATION_OUTCOME_INSUFFICIENT");
        var date = request.DeterminationDate.ToActDate("determination_date", today, v);
        v.ThrowIfInvalid();

        var petition = await LoadAsync(request.PetitionId, tracked: true, ct);
        if (date < petition.ReceivedDate)
            Validation.Reject("determination_date", $"must not be before the petition was received ({petition.ReceivedDate:yyyy-MM-dd})");
        if (!petition.Determine(sufficient!.Value, date, request.Rationale.Trim()))
            return new RecordDeterminationResponse { Petition = petition.ToProto(context.GetHttpContext().User) };

        var facility = await db.Facilities.AsNoTracking().SingleAsync(f => f.Id == petition.FacilityId, ct);
        var now = clock.GetUtcNow();
        await IlcReviewDeadlines.ClearAsync(db, petition.Id, now, ct);
        db.AddEvent(PetitionEvents.Determined(petition, facility));
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Petition {PetitionId} determined {Status} on {DeterminationDate} ({Timeliness})",
            petition.Id, petition.Status, date, petition.DeterminationTimely == true ? "timely" : "late");
        return new RecordDeterminationResponse { Petition = petition.ToProto(context.GetHttpContext().User) };
    }

    public override async Task<WithdrawPetitionResponse> WithdrawPetition(WithdrawPetitionRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var today = LegalCalendar.Today(clock);
        var v = new Validation().OptionalText("reason", request.Reason, Domain.Petition.MaxWithdrawalReasonLength);
        request.PetitionId.ToId("petition_id", v);
        var date = request.WithdrawalDate.ToActDate("withdrawal_date", today, v);
        v.ThrowIfInvalid();

        var petition = await LoadAsync(request.PetitionId, tracked: true, ct);
        if (date < petition.ReceivedDate)
            Validation.Reject("withdrawal_date", $"must not be before the petition was received ({petition.ReceivedDate:yyyy-MM-dd})");
        if (!petition.Withdraw(date, request.Reason.Trim()))
            return new WithdrawPetitionResponse { Petition = petition.ToProto(context.GetHttpContext().User) };
        await IlcReviewDeadlines.ClearAsync(db, petition.Id, clock.GetUtcNow(), ct);
        db.AddEvent(PetitionEvents.Withdrawn(petition));
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Petition {PetitionId} withdrawn on {WithdrawalDate}", petition.Id, date);
        return new WithdrawPetitionResponse { Petition = petition.ToProto(context.GetHttpContext().User) };
    }

    private async Task<Domain.Petition> LoadAsync(string petitionId, bool tracked, CancellationToken ct)
    {
        var id = ProtoMapping.ParseId(petitionId, "petition_id");
        var query = tracked ? db.Petitions : db.Petitions.AsNoTracking();
        return await query.SingleOrDefaultAsync(p => p.Id == id, ct)
            ?? throw new NotFoundException($"No petition has id {petitionId}.");
    }

    private async Task<Domain.Petition?> FindRetryAsync(string requestId, string requestHash, CancellationToken ct)
    {
        var earlier = await db.Petitions.AsNoTracking().SingleOrDefaultAsync(p => p.RequestId == requestId, ct);
        if (earlier is not null && earlier.RequestHash != requestHash)
            throw new AlreadyExistsException($"request_id '{requestId}' was already used for a different petition ({earlier.Id}).");
        return earlier;
    }
}
