using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Rrm.ServiceDefaults.Telemetry;

/// <summary>
/// Traces, metrics and logs over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the standard OTEL_*
/// variables configure the exporter). Built with OpenTelemetrySdk.Create because the hosting package
/// is not on our mirror. Trace context crosses gRPC (W3C headers) and RabbitMQ (MassTransit headers,
/// and the outbox row's stored traceparent).
/// </summary>
internal static class TelemetryExtensions
{
    public static void AddRrmTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddSingleton(_ => OpenTelemetrySdk.Create(otel =>
        {
            otel.ConfigureResource(r => r.AddService(serviceName));
            otel.WithTracing(t =>
            {
                t.AddSource("Microsoft.AspNetCore", "System.Net.Http", "Grpc.Net.Client", "MassTransit", "Npgsql", RrmTelemetry.Name);
                t.AddProcessor(new GrpcSpanNameProcessor());
                if (otlp) t.AddOtlpExporter();
            });
            otel.WithMetrics(m =>
            {
                m.AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http",
                    "System.Runtime", "Npgsql", "MassTransit", RrmTelemetry.Name);
                if (otlp) m.AddOtlpExporter();
            });
        }));
        builder.Services.AddHostedService<TelemetryStarter>();
        if (otlp)
        {
            builder.Logging.AddOpenTelemetry(o =>
            {
                o.IncludeScopes = true;
                o.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName));
                o.AddOtlpExporter();
            });
        }
    }

    /// <summary>Names server spans after the gRPC method instead of the generic ASP.NET Core name.</summary>
    private sealed class GrpcSpanNameProcessor : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (data.GetTagItem("grpc.method") is string method) data.DisplayName = method.TrimStart('/');
        }
    }

    /// <summary>Resolving the SDK starts its providers; disposing the container flushes them.</summary>
    private sealed class TelemetryStarter(OpenTelemetrySdk sdk) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            sdk.TracerProvider.ForceFlush(2000);
            sdk.MeterProvider.ForceFlush(2000);
            return Task.CompletedTask;
        }
    }
}
