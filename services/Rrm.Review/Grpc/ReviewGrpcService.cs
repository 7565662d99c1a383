using System.Security.Claims;
using Google.Protobuf;
using Grpc.Core;
using Rrm.Grpc.Review.V1;
using Rrm.Review.Application;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Reference;
using Rrm.ServiceDefaults.Security;
using Domain = Rrm.Review.Domain;

namespace Rrm.Review.Grpc;

/// <summary>Thin: validate, call one domain act through <see cref="CaseCommands"/>, map (STYLE.md §3).</summary>
internal sealed class ReviewGrpcService(CaseCommands commands, CaseQueries queries, FacilityDirectory facilities, CaseHistoryImporter importer,
    Domain.BusinessCalendar calendar, TimeProvider clock) : ReviewService.ReviewServiceBase
{
    private const int MaxDescriptionLength = 2_000;
    private const int MaxPanelists = 5;

    public override async Task<OpenCaseResponse> OpenCase(OpenCaseRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var facilityId = request.FacilityId.ToId("facility_id", v);
        var user = context.GetHttpContext().User;
        var ctx = Context(request.Act, user, v);
        v.ThrowIfInvalid();
        var c = await commands.OpenAsync(request.Act?.RequestId, request, async () =>
            Domain.EnforcementCase.SelfInitiate(await facilities.GetAsync(facilityId, "facility_id", Caller(context), context.CancellationToken), ctx),
            context.CancellationToken);
        return new OpenCaseResponse { Case = (await queries.ViewAsync(c, context.CancellationToken)).ToProto(user) };
    }

    public override async Task<SubmitRequestForReviewResponse> SubmitRequestForReview(SubmitRequestForReviewRequest request, ServerCallContext context) =>
        new()
        {
            Case = await Act(request.CaseId, request.Act, request, context,
                (c, ctx) => c.RequestReview(ctx, request.SuspendLiquidation, request.UstrOrdinal == 0 ? null : request.UstrOrdinal),
                v => { if (request.UstrOrdinal is < 0 or > Domain.EnforcementCase.MaxUstrOrdinal) v.Add("ustr_ordinal", $"must be 0 (not announced) or 1 to {Domain.EnforcementCase.MaxUstrOrdinal}"); },
                serializeOn: Invocations.LockKey),
        };

    public override async Task<RecordMexicoResponseResponse> RecordMexicoResponse(RecordMexicoResponseRequest request, ServerCallContext context)
    {
        var response = request.Response.ToDomain<Domain.MexicoResponse>();
        return new()
        {
            Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.RecordMexicoResponse(ctx, response!.Value),
                v => Required(v, "response", response, "MEXICO_RESPONSE_ACCEPTED, MEXICO_RESPONSE_DECLINED or MEXICO_RESPONSE_NO_RESPONSE")),
        };
    }

    public override async Task<RecordReviewFindingsResponse> RecordReviewFindings(RecordReviewFindingsRequest request, ServerCallContext context)
    {
        var denial = Denial(request.Finding);
        return new()
        {
            Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.RecordReviewFindings(ctx, denial!.Value),
                v => Required(v, "finding", denial, "FINDING_DENIAL or FINDING_NO_DENIAL")),
        };
    }

    public override async Task<AgreeRemediationPlanResponse> AgreeRemediationPlan(AgreeRemediationPlanRequest request, ServerCallContext context)
    {
        DateOnly completion = default;
        var actions = request.Actions.Select(a => a.Trim()).ToList();
        return new()
        {
            Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.AgreeRemediationPlan(ctx, completion, actions), v =>
            {
                if (request.CompletionDate is null) v.Add("completion_date", "is required");
                else completion = request.CompletionDate.ToDateOrDefault("completion_date", default, v);
                if (actions.Count is 0 or > Domain.EnforcementCase.MaxActions)
                    v.Add("actions", $"from 1 to {Domain.EnforcementCase.MaxActions} actions are required");
                for (var i = 0; i < actions.Count; i++) v.RequiredText($"actions[{i}]", actions[i], MaxDescriptionLength);
            }),
        };
    }

    public override async Task<RecordRemediationActionResponse> RecordRemediationAction(RecordRemediationActionRequest request, ServerCallContext context)
    {
        var status = request.Status.ToDomain<Domain.ActionStatus>();
        int? number = request.ActionNumber == 0 ? null : request.ActionNumber;
        return new()
        {
            Case = await Act(request.CaseId, request.Act, request, context,
                (c, ctx) => c.RecordRemediationProgress(ctx, number, request.Description.Trim(), status!.Value, request.Evidence.Trim()), v =>
                {
                    Required(v, "status", status, "ACTION_STATUS_PLANNED, ACTION_STATUS_IN_PROGRESS or ACTION_STATUS_COMPLETED");
                    if (request.ActionNumber < 0) v.Add("action_number", "must be an action's number, or 0 for an action not in the plan");
                    v.OptionalText("description", request.Description, MaxDescriptionLength).OptionalText("evidence", request.Evidence, MaxDescriptionLength);
                }),
        };
    }

    public override async Task<ConfirmRemediationCompletedResponse> ConfirmRemediationCompleted(ConfirmRemediationCompletedRequest request, ServerCallContext context) =>
        new() { Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.CompleteRemediation(ctx)) };

    public override async Task<EndConsultationWithoutAgreementResponse> EndConsultationWithoutAgreement(EndConsultationWithoutAgreementRequest request, ServerCallContext context) =>
        new() { Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.EndConsultationWithoutAgreement(ctx)) };

    public override async Task<GivePanelNoticeResponse> GivePanelNotice(GivePanelNoticeRequest request, ServerCallContext context) =>
        new() { Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.GivePanelNotice(ctx)) };

    public override async Task<SuspendLiquidationResponse> SuspendLiquidation(SuspendLiquidationRequest request, ServerCallContext context) =>
        new() { Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.SuspendLiquidation(ctx)) };

    public override async Task<ResolveCaseResponse> ResolveCase(ResolveCaseRequest request, ServerCallContext context) =>
        new() { Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.Resolve(ctx)) };

    public override async Task<RequestPanelResponse> RequestPanel(RequestPanelRequest request, ServerCallContext context) =>
        new()
        {
            Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.RequestPanel(ctx, request.PanelCaseNumber.Trim()),
                v => v.OptionalLine("panel_case_number", request.PanelCaseNumber, 100)),
        };

    public override async Task<RecordPanelConstitutionResponse> RecordPanelConstitution(RecordPanelConstitutionRequest request, ServerCallContext context)
    {
        var panelists = request.Panelists.Select(p => p.Trim()).ToList();
        return new()
        {
            Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.ConstitutePanel(ctx, panelists), v =>
            {
                if (panelists.Count > MaxPanelists) v.Add("panelists", $"at most {MaxPanelists}");
                for (var i = 0; i < panelists.Count; i++) v.RequiredLine($"panelists[{i}]", panelists[i], 200);
            }),
        };
    }

    public override async Task<RequestVerificationResponse> RequestVerification(RequestVerificationRequest request, ServerCallContext context) =>
        new() { Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.RequestVerification(ctx)) };

    public override async Task<RecordVerificationAnswerResponse> RecordVerificationAnswer(RecordVerificationAnswerRequest request, ServerCallContext context)
    {
        bool? consented = request.Response switch
        {
            VerificationResponse.Consented => true,
            VerificationResponse.Refused => false,
            _ => null,
        };
        return new()
        {
            Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.RecordVerificationResponse(ctx, consented!.Value),
                v => Required(v, "response", consented, "VERIFICATION_RESPONSE_CONSENTED or VERIFICATION_RESPONSE_REFUSED")),
        };
    }

    public override async Task<RecordVerificationResponse> RecordVerification(RecordVerificationRequest request, ServerCallContext context) =>
        new() { Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.HoldVerification(ctx)) };

    public override async Task<RecordPanelDeterminationResponse> RecordPanelDetermination(RecordPanelDeterminationRequest request, ServerCallContext context)
    {
        var denial = Denial(request.Finding);
        return new()
        {
            Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.RecordPanelDetermination(ctx, denial!.Value),
                v => Required(v, "finding", denial, "FINDING_DENIAL or FINDING_NO_DENIAL")),
        };
    }

    public override async Task<ImposeRemedyResponse> ImposeRemedy(ImposeRemedyRequest request, ServerCallContext context)
    {
        var kind = request.Kind.ToDomain<Domain.RemedyKind>();
        var ct = context.CancellationToken;
        return new()
        {
            Case = await Act(request.CaseId, request.Act, request, context,
                async (c, ctx) => c.ImposeRemedy(ctx, kind!.Value, request.Description.Trim(), await commands.PriorDenialsAsync(c, ct)), v =>
                {
                    Required(v, "kind", kind, "REMEDY_KIND_PREFERENCE_SUSPENSION, REMEDY_KIND_PENALTY or REMEDY_KIND_ENTRY_DENIAL");
                    v.OptionalText("description", request.Description, MaxDescriptionLength);
                }),
        };
    }

    public override async Task<LiftRemedyResponse> LiftRemedy(LiftRemedyRequest request, ServerCallContext context) =>
        new() { Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) => c.LiftRemedies(ctx)) };

    public override async Task<CloseCaseResponse> CloseCase(CloseCaseRequest request, ServerCallContext context) =>
        new()
        {
            Case = await Act(request.CaseId, request.Act, request, context, (c, ctx) =>
            {
                if (c.LiquidationSuspended && request.Liquidation == LiquidationHandling.Unspecified)
                    Validation.Reject("liquidation", "liquidation of the facility's entries is suspended: say whether it resumes (LIQUIDATION_HANDLING_RESUME) or stays suspended (LIQUIDATION_HANDLING_MAINTAIN)");
                return c.Close(ctx, request.Reason.Trim(), request.Liquidation == LiquidationHandling.Resume);
            }, v =>
            {
                v.RequiredText("reason", request.Reason, MaxDescriptionLength);
                if (!System.Enum.IsDefined(request.Liquidation)) v.Add("liquidation", "is not a liquidation handling");
            }),
        };

    public override async Task<GetCaseResponse> GetCase(GetCaseRequest request, ServerCallContext context) =>
        new() { Case = (await queries.GetAsync(ProtoMapping.ParseId(request.CaseId, "case_id"), context.CancellationToken)).ToProto(context.GetHttpContext().User) };

    public override async Task<ListCasesResponse> ListCases(ListCasesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        Domain.CaseState? state = request.State == CaseState.Unspecified ? null : request.State.ToDomain<Domain.CaseState>();
        if (request.State != CaseState.Unspecified && state is null) v.Add("state", "is not a case state");
        Guid? facilityId = string.IsNullOrWhiteSpace(request.FacilityId) ? null : request.FacilityId.ToId("facility_id", v);
        MexicanState? mexicanState = null;
        if (!string.IsNullOrWhiteSpace(request.MexicanState) && !MexicanStates.TryParse(request.MexicanState, out mexicanState))
            v.Add("mexican_state", $"'{request.MexicanState}' is not a Mexican state: use {MexicanStates.Describe()}");
        var sector = request.Sector.Trim().ToLowerInvariant();
        if (sector.Length > 0 && sector is not ("manufacturing" or "services" or "mining")) v.Add("sector", "must be manufacturing, services or mining");
        if (request.Year != 0 && request.Year is < 2020 or > 9999) v.Add("year", "must be a year from 2020 (USMCA's entry into force)");
        var size = request.Page.PageSize(v);
        var after = request.Page.DecodeToken(1, v) is { } token ? token[0].ToId("page.page_token", v) : (Guid?)null;
        v.ThrowIfInvalid();

        var user = context.GetHttpContext().User;
        var (cases, nextAfter) = await queries.ListAsync(
            new CaseFilter(state, facilityId, mexicanState?.Code, sector, request.Year, request.WithOpenDeadlines, size, after), context.CancellationToken);
        var response = new ListCasesResponse { Page = new() };
        response.Cases.AddRange(cases.Select(c => c.ToProto(user)));
        if (nextAfter is { } last) response.Page.NextPageToken = Paging.EncodeToken(last.ToString());
        return response;
    }

    public override Task WatchCase(WatchCaseRequest request, IServerStreamWriter<WatchCaseResponse> responseStream, ServerCallContext context)
    {
        var v = new Validation();
        var id = request.CaseId.ToId("case_id", v);
        if (request.AfterPosition < 0) v.Add("after_position", "must be 0 or a position from the case's timeline");
        v.ThrowIfInvalid();
        var user = context.GetHttpContext().User;
        return ServerStreams.UntilStoppingAsync(context, ct => queries.WatchAsync(id, request.AfterPosition,
            entry => responseStream.WriteAsync(new WatchCaseResponse { Entry = entry.ToProto(user) }, ct), ct));
    }

    public override async Task<GetStatisticsResponse> GetStatistics(GetStatisticsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var asOf = request.AsOf.ToDateOrDefault("as_of", LegalCalendar.Today(clock), v);
        v.ThrowIfInvalid();
        return (await queries.StatisticsAsync(asOf, context.CancellationToken)).ToProto();
    }

    public override async Task<ImportCaseHistoryResponse> ImportCaseHistory(ImportCaseHistoryRequest request, ServerCallContext context)
    {
        var v = new Validation().RequiredText("csv", request.Csv, CaseHistoryImporter.MaxCsvLength);
        DateOnly? until = request.Until is null ? null : request.Until.ToDateOrDefault("until", DateOnly.MaxValue, v);
        for (var i = 0; i < request.SkipCaseRefs.Count; i++) v.RequiredLine($"skip_case_refs[{i}]", request.SkipCaseRefs[i], 100);
        v.ThrowIfInvalid();
        var response = new ImportCaseHistoryResponse();
        response.Results.AddRange(await importer.ImportAsync(request.Csv, CaseCommands.RecordedBy(context.GetHttpContext().User), Caller(context),
            context.CancellationToken, until, request.SkipCaseRefs.Select(r => r.Trim()).ToHashSet()));
        return response;
    }

    /// <summary>Validates the common part and the act's own fields, then records the act.</summary>
    private async Task<Case> Act(string caseId, Rrm.Grpc.Review.V1.Act? act, IMessage request, ServerCallContext context,
        Func<Domain.EnforcementCase, Domain.ActContext, Task> apply, Action<Validation>? validate = null, string? serializeOn = null)
    {
        var v = new Validation();
        var id = caseId.ToId("case_id", v);
        var user = context.GetHttpContext().User;
        var ctx = Context(act, user, v);
        validate?.Invoke(v);
        v.ThrowIfInvalid();
        var c = await commands.ActAsync(id, act?.RequestId, request, x => apply(x, ctx), context.CancellationToken, serializeOn);
        return (await queries.ViewAsync(c, context.CancellationToken)).ToProto(user);
    }

    private Task<Case> Act(string caseId, Rrm.Grpc.Review.V1.Act? act, IMessage request, ServerCallContext context,
        Func<Domain.EnforcementCase, Domain.ActContext, bool> apply, Action<Validation>? validate = null, string? serializeOn = null) =>
        Act(caseId, act, request, context, (c, ctx) => Task.FromResult(apply(c, ctx)), validate, serializeOn);

    /// <summary>The act's context from the request's common part; problems go to <paramref name="v"/>.</summary>
    private Domain.ActContext Context(Rrm.Grpc.Review.V1.Act? act, ClaimsPrincipal user, Validation v)
    {
        var today = LegalCalendar.Today(clock);
        act ??= new Rrm.Grpc.Review.V1.Act();
        v.OptionalLine("act.request_id", act.RequestId, ProcessedRequest.MaxRequestIdLength)
            .OptionalText("act.note", act.Note, Domain.EnforcementCase.MaxTextLength);
        var date = act.EffectiveDate.ToActDate(Domain.ActContext.DateField, today, v);
        if (date < Domain.TreatyPeriods.EntryIntoForce)
            v.Add(Domain.ActContext.DateField, $"must not be before USMCA's entry into force ({Domain.TreatyPeriods.EntryIntoForce:yyyy-MM-dd})");
        DateOnly? announced = act.AnnouncedDate is null ? null : act.AnnouncedDate.ToActDate("act.announced_date", today, v);
        return new Domain.ActContext(date, announced, act.Note.Trim(), CaseCommands.RecordedBy(user), clock.GetUtcNow(), calendar);
    }

    private static bool? Denial(Finding finding) => finding switch
    {
        Finding.Denial => true,
        Finding.NoDenial => false,
        _ => null,
    };

    private static void Required<T>(Validation v, string field, T? value, string allowed) where T : struct
    {
        if (value is null) v.Add(field, $"must be {allowed}");
    }

    /// <summary>The caller's own token, for calls to the Petition service.</summary>
    private static Metadata Caller(ServerCallContext context) =>
        context.GetHttpContext().Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? new Metadata { { "Authorization", auth } } : [];
}
