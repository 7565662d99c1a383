using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Rrm.TariffLiquidation.Application;

/// <summary>Readiness: a replica whose entry gate cannot show its orders are current is taken out of service, saying why.</summary>
internal sealed class OrderBookHealthCheck(OrderBook book) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(book.IsCurrent(out var snapshot, out var why)
            ? HealthCheckResult.Healthy($"entry gate current at ledger sequence {snapshot.Sequence} ({snapshot.Orders} orders)")
            : HealthCheckResult.Unhealthy($"the entry gate cannot show its orders are current: {why}"));
}
