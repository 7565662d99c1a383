using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rrm.ServiceDefaults.Data;

namespace Rrm.ServiceDefaults.Hosting;

/// <summary>
/// Runs a real query (opening a pooled connection is not enough: a pooled connection to a dead server
/// still looks open), bounded so a probe never hangs.
/// </summary>
public sealed class DatabaseHealthCheck<TDb>(TDb db) : IHealthCheck where TDb : RrmDbContext
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cts.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is unreachable: " + e.Message);
        }
    }
}
