using Grpc.Core;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Security;

namespace Rrm.TariffLiquidation.Grpc;

/// <summary>Thin: validation and reads live in <see cref="LiquidationQueries"/>, <see cref="EntryGateQueries"/> and <see cref="EntryRegistry"/>.</summary>
internal sealed class LiquidationGrpcService(LiquidationQueries queries, EntryGateQueries gate, EntryRegistry registry) : LiquidationService.LiquidationServiceBase
{
    public override Task<GetFacilityStatusResponse> GetFacilityStatus(GetFacilityStatusRequest request, ServerCallContext context) =>
        queries.FacilityStatusAsync(request.Mid, context.CancellationToken);

    public override Task<CheckEntriesResponse> CheckEntries(CheckEntriesRequest request, ServerCallContext context) =>
        gate.CheckAsync(request, context.CancellationToken);

    public override Task<RegisterEntriesResponse> RegisterEntries(IAsyncStreamReader<RegisterEntriesRequest> requestStream, ServerCallContext context) =>
        registry.RegisterAsync(requestStream, context.CancellationToken);

    public override Task<ReportEntriesLiquidatedResponse> ReportEntriesLiquidated(ReportEntriesLiquidatedRequest request, ServerCallContext context) =>
        registry.ReportLiquidatedAsync(request, context.CancellationToken);

    public override Task<ListSuspensionsResponse> ListSuspensions(ListSuspensionsRequest request, ServerCallContext context) =>
        queries.SuspensionsAsync(request, context.CancellationToken);

    public override Task<ListInstructionsResponse> ListInstructions(ListInstructionsRequest request, ServerCallContext context) =>
        queries.InstructionsAsync(request, context.CancellationToken);

    public override Task WatchInstructions(WatchInstructionsRequest request, IServerStreamWriter<WatchInstructionsResponse> responseStream, ServerCallContext context) =>
        ServerStreams.UntilStoppingAsync(context, ct => queries.WatchAsync(request.AfterSequence,
            instruction => responseStream.WriteAsync(new WatchInstructionsResponse { Instruction = instruction }, ct), ct));

    public override Task<GetCaseImpactResponse> GetCaseImpact(GetCaseImpactRequest request, ServerCallContext context) =>
        queries.CaseImpactAsync(request.CaseId, context.CancellationToken);
}
