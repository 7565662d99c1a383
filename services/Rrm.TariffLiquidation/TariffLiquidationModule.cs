using Rrm.TariffLiquidation.Data;
using Rrm.ServiceDefaults;
using Rrm.ServiceDefaults.Messaging;

namespace Rrm.TariffLiquidation;

/// <summary>The TariffLiquidation service's wiring. Its domain arrives with its own issue.</summary>
public static class TariffLiquidationModule
{
    public const string ServiceName = "tariff-liquidation";

    public static WebApplicationBuilder AddTariffLiquidation(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddServiceDatabase<LiquidationDbContext>(LiquidationDbContext.SchemaName);
        builder.AddServiceMessaging(ServiceName);
        return builder;
    }
}
