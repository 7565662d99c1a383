using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.TariffLiquidation.Application;

namespace Rrm.TariffLiquidation.Grpc;

/// <summary>Thin: validation and reads live in <see cref="LiquidationQueries"/> and <see cref="EntryRegistry"/>.</summary>
[Authorize]
internal sealed class LiquidationGrpcService(LiquidationQueries queries, EntryRegistry registry) : LiquidationService.LiquidationServiceBase
{
    private const string Gate = $"{Roles.CustomsSystem},{Roles.TreasuryOfficer},{Roles.UstrOfficer},{Roles.Auditor}";
    private const string Officers = $"{Roles.TreasuryOfficer},{Roles.UstrOfficer},{Roles.Auditor}";

    [Authorize(Roles = Gate)]
    public override Task<GetFacilityStatusResponse> GetFacilityStatus(GetFacilityStatusRequest request, ServerCallContext context) =>
        queries.FacilityStatusAsync(request.Mid, context.CancellationToken);

    [Authorize(Roles = Gate)]
    public override Task<CheckEntriesResponse> CheckEntries(CheckEntriesRequest request, ServerCallContext context) =>
        queries.CheckAsync(request.EntryNumbers, context.CancellationToken);

    [Authorize(Roles = Roles.CustomsSystem)]
    public override Task<RegisterEntriesResponse> RegisterEntries(IAsyncStreamReader<RegisterEntriesRequest> requestStream, ServerCallContext context) =>
        registry.RegisterAsync(requestStream, context.CancellationToken);

    [Authorize(Roles = Roles.CustomsSystem)]
    public override Task<ReportEntriesLiquidatedResponse> ReportEntriesLiquidated(ReportEntriesLiquidatedRequest request, ServerCallContext context) =>
        registry.ReportLiquidatedAsync(request, context.CancellationToken);

    [Authorize(Roles = Officers)]
    public override Task<ListSuspensionsResponse> ListSuspensions(ListSuspensionsRequest request, ServerCallContext context) =>
        queries.SuspensionsAsync(request, context.CancellationToken);

    [Authorize(Roles = Gate)]
    public override Task<ListInstructionsResponse> ListInstructions(ListInstructionsRequest request, ServerCallContext context) =>
        queries.InstructionsAsync(request, context.CancellationToken);

    [Authorize(Roles = Gate)]
    public override Task WatchInstructions(WatchInstructionsRequest request, IServerStreamWriter<WatchInstructionsResponse> responseStream, ServerCallContext context) =>
        queries.WatchAsync(request.AfterSequence,
            instruction => responseStream.WriteAsync(new WatchInstructionsResponse { Instruction = instruction }, context.CancellationToken), context.CancellationToken);

    [Authorize(Roles = Officers)]
    public override Task<GetCaseImpactResponse> GetCaseImpact(GetCaseImpactRequest request, ServerCallContext context) =>
        queries.CaseImpactAsync(request.CaseId, context.CancellationToken);
}
