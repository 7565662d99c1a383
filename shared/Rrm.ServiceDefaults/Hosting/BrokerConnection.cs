using System.Diagnostics.Metrics;
using System.Net.Sockets;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Telemetry;

namespace Rrm.ServiceDefaults.Hosting;

/// <summary>
/// Whether the broker is connected: it accepts connections, and the bus's receive endpoints (if any) are healthy.
/// MassTransit's own check says Degraded for a lost connection, which gRPC health still calls SERVING, and says
/// nothing at all for a service that only publishes. Checked every few seconds for the gauge
/// <c>rrm.broker.connected</c>, and on each call of the health service "broker". Not part of readiness: with the
/// broker away, calls still work and their events wait in the outbox (DESIGN.md §5).
/// </summary>
public sealed class BrokerConnection(IBusControl bus, IOptions<ConnectionStringOptions> connections, IMeterFactory meters,
    ILogger<BrokerConnection> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private volatile string? _problem = "not checked yet";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RrmMetrics.ForHost(meters).CreateObservableGauge("rrm.broker.connected", () => _problem is null ? 1L : 0L,
            description: "1 while RabbitMQ is connected, 0 while it is not (events wait in the outbox)");
        while (!stoppingToken.IsCancellationRequested)
        {
            await CheckAsync(stoppingToken);
            await Task.Delay(Interval, stoppingToken);
        }
    }

    /// <summary>Checks now; null when connected, else what is wrong.</summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        var problem = await ProblemAsync(cancellationToken);
        var was = _problem;
        _problem = problem;
        if (problem is not null && was is null) logger.LogWarning("{Problem}; events wait in the outbox until it is back", problem);
        if (problem is null && was is not null) logger.LogInformation("RabbitMQ is connected");
        return problem;
    }

    private async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        var uri = new Uri(connections.Value.RabbitMq);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(uri.Host, uri.IsDefaultPort ? 5672 : uri.Port, cts.Token);
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return $"RabbitMQ at {uri.Host}:{uri.Port} is unreachable: {e.Message}";
        }
        var health = bus.CheckHealth();
        return health.Status == BusHealthStatus.Healthy ? null : $"RabbitMQ: {health.Status}: {health.Description}";
    }
}

/// <summary>The health service "broker": NOT_SERVING while the broker is not connected.</summary>
public sealed class BrokerHealthCheck(BrokerConnection broker) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await broker.CheckAsync(cancellationToken) is { } problem ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy();
}
