using Rrm.ServiceDefaults;
using Rrm.ServiceDefaults.Security;
using Rrm.ServiceDefaults.Telemetry;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Hosting;
using Rrm.ServiceDefaults.Messaging;
using Rrm.TariffLiquidation.Application;
using Rrm.TariffLiquidation.Data;
using Rrm.TariffLiquidation.Grpc;
using Rrm.TariffLiquidation.Messaging;

namespace Rrm.TariffLiquidation;

/// <summary>The Tariff-Liquidation service's wiring.</summary>
public static class TariffLiquidationModule
{
    public const string ServiceName = "tariff-liquidation";

    public static WebApplicationBuilder AddTariffLiquidation(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddServiceDatabase<LiquidationDbContext>(LiquidationDbContext.SchemaName);
        builder.Services.AddDatabaseGauge<LiquidationDbContext>(new("rrm.instructions.issued", "Customs instructions issued, by kind", "kind",
            "SELECT kind, count(*) FROM liquidation.instructions GROUP BY kind"));
        builder.Services.AddDatabaseGauge<LiquidationDbContext>(new("rrm.orders.active", "Suspension and remedy orders in force, by kind", "kind",
            "SELECT kind, count(*) FROM liquidation.orders WHERE lifted_on IS NULL GROUP BY kind"));
        // One queue, one message at a time, one replica consuming: a case's decisions are applied one after another in the
        // order they arrive (OrderDesk says why that, with pending lifts, is all the ordering the service needs).
        builder.AddServiceMessaging(ServiceName, bus => bus.AddConsumersInOrder($"{ServiceName}-case-events",
        [
            typeof(CaseOpenedConsumer), typeof(ReviewRequestedConsumer), typeof(CaseResolvedConsumer),
            typeof(CaseClosedConsumer), typeof(RemedyImposedConsumer), typeof(RemedyLiftedConsumer),
            typeof(LiquidationSuspensionDirectedConsumer),
            // After an imported case's replayed events (same outbox, same queue), so its orders are recorded when it arrives.
            typeof(CaseHistoryImportedConsumer),
            // From the Petition service: on the same queue, so an extension never races an order being opened.
            typeof(FacilityMidAddedConsumer),
        ]));
        builder.Services.AddValidatedOptions<LiquidationOptions>(LiquidationOptions.SectionName);
        EntryStreamLimits.Register(builder.Services);
        builder.Services.AddDatabaseNotificationChannel(LiquidationDbContext.InstructionsChannel);
        builder.Services.AddHostedService<FeedTopology>();
        builder.Services.AddSingleton(new FeedBody(Mapping.ToFeedJson));
        builder.Services.AddScoped<InstructionLedger>();
        builder.Services.AddScoped<OrderDesk>();
        builder.Services.AddScoped<EntryRegistry>();
        builder.Services.AddScoped<LiquidationQueries>();
        // The entry gate's orders, in memory and kept current from the ledger (docs/adr/0011); readiness waits for them.
        builder.Services.AddSingleton<OrderBook>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OrderBook>());
        builder.Services.AddHealthChecks().AddCheck<OrderBookHealthCheck>("entry-gate", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddScoped<EntryGateQueries>();
        // After a restore from a backup (docs/operations.md): the sequence never gives a number twice.
        builder.Services.AddScoped<RestoreFence>();
        builder.Services.AddSingleton(RestoreFence.Command);
        return builder;
    }

    public static WebApplication MapTariffLiquidation(this WebApplication app)
    {
        app.MapGrpcService<LiquidationGrpcService>().RequireRpcRoles();
        return app;
    }
}
