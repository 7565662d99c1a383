using MassTransit;
using Rrm.Contracts.Events;
using Rrm.ServiceDefaults.Messaging;
using Rrm.TariffLiquidation.Application;
using Rrm.TariffLiquidation.Data;
using Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Messaging;

/// <summary>Learns a facility's MIDs when its case opens.</summary>
internal sealed class CaseOpenedConsumer(LiquidationDbContext db, OrderDesk desk, ILogger<CaseOpenedConsumer> logger)
    : IdempotentConsumer<CaseOpened, LiquidationDbContext>(db, logger)
{
    protected override Task HandleAsync(CaseOpened message, ConsumeContext<CaseOpened> context) =>
        desk.KnowFacilityAsync(message.Case, context.CancellationToken);
}

/// <summary>A request for review with suspension: liquidation of the facility's entries is suspended from the request date.</summary>
internal sealed class ReviewRequestedConsumer(LiquidationDbContext db, OrderDesk desk, ILogger<ReviewRequestedConsumer> logger)
    : IdempotentConsumer<ReviewRequested, LiquidationDbContext>(db, logger)
{
    protected override async Task HandleAsync(ReviewRequested message, ConsumeContext<ReviewRequested> context)
    {
        if (message.SuspendLiquidation)
            await desk.OpenAsync(message.Case, OrderKind.LiquidationSuspension, message.RequestDate, null, "", context.CancellationToken);
        else
            await desk.KnowFacilityAsync(message.Case, context.CancellationToken);
    }
}

/// <summary>
/// USTR directed the suspension as its own dated act after the request (19 U.S.C. 4692(a)): an order from its effective date,
/// unless one is in force for the case already (e.g. the request carried the suspension).
/// </summary>
internal sealed class LiquidationSuspensionDirectedConsumer(LiquidationDbContext db, OrderDesk desk, ILogger<LiquidationSuspensionDirectedConsumer> logger)
    : IdempotentConsumer<LiquidationSuspensionDirected, LiquidationDbContext>(db, logger)
{
    protected override Task HandleAsync(LiquidationSuspensionDirected message, ConsumeContext<LiquidationSuspensionDirected> context) =>
        desk.OpenAsync(message.Case, OrderKind.LiquidationSuspension, message.EffectiveDate, null, "", context.CancellationToken, unlessInForce: true);
}

/// <summary>A MID added to a registered facility (Petition service): the orders in force for the facility extend to it.</summary>
internal sealed class FacilityMidAddedConsumer(LiquidationDbContext db, OrderDesk desk, ILogger<FacilityMidAddedConsumer> logger)
    : IdempotentConsumer<FacilityMidAdded, LiquidationDbContext>(db, logger)
{
    protected override Task HandleAsync(FacilityMidAdded message, ConsumeContext<FacilityMidAdded> context) =>
        desk.AddMidAsync(message, context.CancellationToken);
}

/// <summary>A resolution resumes liquidation (19 U.S.C. 4692(b)).</summary>
internal sealed class CaseResolvedConsumer(LiquidationDbContext db, OrderDesk desk, ILogger<CaseResolvedConsumer> logger)
    : IdempotentConsumer<CaseResolved, LiquidationDbContext>(db, logger)
{
    protected override Task HandleAsync(CaseResolved message, ConsumeContext<CaseResolved> context) =>
        message.LiquidationResumes
            ? desk.LiftAsync(message.Case, OrderKind.LiquidationSuspension, null, message.ResolutionDate, context.CancellationToken)
            : Task.CompletedTask;
}

/// <summary>A closure resumes liquidation when the case says so.</summary>
internal sealed class CaseClosedConsumer(LiquidationDbContext db, OrderDesk desk, ILogger<CaseClosedConsumer> logger)
    : IdempotentConsumer<CaseClosed, LiquidationDbContext>(db, logger)
{
    protected override Task HandleAsync(CaseClosed message, ConsumeContext<CaseClosed> context) =>
        message.LiquidationResumes
            ? desk.LiftAsync(message.Case, OrderKind.LiquidationSuspension, null, message.ClosedDate, context.CancellationToken)
            : Task.CompletedTask;
}

/// <summary>A remedy after a panel's determination is an order too (19 U.S.C. 4693(a)).</summary>
internal sealed class RemedyImposedConsumer(LiquidationDbContext db, OrderDesk desk, ILogger<RemedyImposedConsumer> logger)
    : IdempotentConsumer<RemedyImposed, LiquidationDbContext>(db, logger)
{
    protected override Task HandleAsync(RemedyImposed message, ConsumeContext<RemedyImposed> context)
    {
        var kind = message.Kind switch
        {
            "preference_suspension" => OrderKind.PreferenceSuspension,
            "penalty" => OrderKind.Penalty,
            "entry_denial" => OrderKind.EntryDenial,
            _ => throw new InvalidOperationException($"Unknown remedy kind '{message.Kind}' in RemedyImposed."),
        };
        return desk.OpenAsync(message.Case, kind, message.ImposedDate, message.RemedyId, message.Description, context.CancellationToken);
    }
}

/// <summary>The denial of rights is remedied: the remedy ends (19 U.S.C. 4693(b)).</summary>
internal sealed class RemedyLiftedConsumer(LiquidationDbContext db, OrderDesk desk, ILogger<RemedyLiftedConsumer> logger)
    : IdempotentConsumer<RemedyLifted, LiquidationDbContext>(db, logger)
{
    protected override Task HandleAsync(RemedyLifted message, ConsumeContext<RemedyLifted> context) =>
        desk.LiftAsync(message.Case, null, message.RemedyId, message.LiftedDate, context.CancellationToken);
}

/// <summary>
/// An imported history ends: what still stands for the case is published as current news (its replayed instructions were history).
/// Published after the history's replayed events (the same outbox, in order) and consumed after them (the one ordered queue),
/// so the orders it looks for are recorded.
/// </summary>
internal sealed class CaseHistoryImportedConsumer(LiquidationDbContext db, OrderDesk desk, ILogger<CaseHistoryImportedConsumer> logger)
    : IdempotentConsumer<CaseHistoryImported, LiquidationDbContext>(db, logger)
{
    protected override Task HandleAsync(CaseHistoryImported message, ConsumeContext<CaseHistoryImported> context) =>
        desk.PublishInForceAsync(message, context.CancellationToken);
}
