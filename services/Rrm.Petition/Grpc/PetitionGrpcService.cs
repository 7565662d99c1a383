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

/// <summary>Thin: validate, call one command (<see cref="PetitionCommands"/>), map (STYLE.md §3).</summary>
internal sealed class PetitionGrpcService(PetitionCommands commands, PetitionDbContext db, TimeProvider clock)
    : PetitionService.PetitionServiceBase
{
    public override async Task<SubmitPetitionResponse> SubmitPetition(SubmitPetitionRequest request, ServerCallContext context)
    {
        var (petitioner, categories, evidence, language, received, facilityId) = PetitionInput.Validate(request, LegalCalendar.Today(clock));
        var petition = await commands.SubmitAsync(request.RequestId, request, facilityId,
            (facility, now) => Domain.Petition.Receive(facility, petitioner, categories, request.Narrative.Trim(),
                request.MexicanLawsCited.Select(l => l.Trim()), evidence, language, received, now),
            context.CancellationToken);
        return new SubmitPetitionResponse { Petition = petition.ToProto(context.GetHttpContext().User) };
    }

    // The Notification service also reads a petitioner's contact here, with its own read-only role (RpcAuthorization.Table).
    public override async Task<GetPetitionResponse> GetPetition(GetPetitionRequest request, ServerCallContext context)
    {
        var id = ProtoMapping.ParseId(request.PetitionId, "petition_id");
        var petition = await commands.LoadAsync(id, tracked: false, context.CancellationToken);
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
        var v = new Validation().RequiredText("rationale", request.Rationale, Domain.Petition.MaxRationaleLength);
        var id = request.PetitionId.ToId("petition_id", v);
        var sufficient = request.Outcome switch
        {
            DeterminationOutcome.Sufficient => true,
            DeterminationOutcome.Insufficient => (bool?)false,
            _ => null,
        };
        if (sufficient is null) v.Add("outcome", "must be DETERMINATION_OUTCOME_SUFFICIENT or DETERMINATION_OUTCOME_INSUFFICIENT");
        var date = request.DeterminationDate.ToActDate("determination_date", LegalCalendar.Today(clock), v);
        v.ThrowIfInvalid();

        var petition = await commands.DetermineAsync(id, request, sufficient!.Value, date, request.Rationale.Trim(), context.CancellationToken);
        return new RecordDeterminationResponse { Petition = petition.ToProto(context.GetHttpContext().User) };
    }

    public override async Task<WithdrawPetitionResponse> WithdrawPetition(WithdrawPetitionRequest request, ServerCallContext context)
    {
        var v = new Validation().OptionalText("reason", request.Reason, Domain.Petition.MaxWithdrawalReasonLength);
        var id = request.PetitionId.ToId("petition_id", v);
        var date = request.WithdrawalDate.ToActDate("withdrawal_date", LegalCalendar.Today(clock), v);
        v.ThrowIfInvalid();

        var petition = await commands.WithdrawAsync(id, request, date, request.Reason.Trim(), context.CancellationToken);
        return new WithdrawPetitionResponse { Petition = petition.ToProto(context.GetHttpContext().User) };
    }
}
