using System.Net.Sockets;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Rrm.ServiceDefaults.Configuration;

namespace Rrm.ServiceDefaults.Hosting;

/// <summary>
/// Readiness of the broker: it accepts connections, and the bus's receive endpoints (if any) are
/// healthy. MassTransit's own check says Degraded for a lost connection, which gRPC health still calls
/// SERVING, and says nothing at all for a service that only publishes.
/// </summary>
public sealed class BrokerHealthCheck(IBusControl bus, IOptions<ConnectionStringOptions> connections) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(connections.Value.RabbitMq);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(uri.Host, uri.IsDefaultPort ? 5672 : uri.Port, cts.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"RabbitMQ at {uri.Host}:{uri.Port} is unreachable: {e.Message}");
        }
        var health = bus.CheckHealth();
        return health.Status == BusHealthStatus.Healthy
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"RabbitMQ: {health.Status}: {health.Description}");
    }
}
