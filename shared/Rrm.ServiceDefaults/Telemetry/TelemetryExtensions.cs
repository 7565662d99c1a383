using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Rrm.ServiceDefaults.Telemetry;

/// <summary>
/// Traces, metrics and logs (OpenTelemetry.Extensions.Hosting), over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set: the
/// standard OTEL_* variables configure the exporter. Without it spans are still made and recorded (listeners and the
/// log's trace ids see them); nothing is exported. Trace context crosses gRPC (W3C headers) and RabbitMQ (MassTransit
/// headers, and the outbox row's stored traceparent).
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>
    /// Health probes (every few seconds from each kubelet) and reflection are not traced: they would bury the calls that
    /// matter. The instrumentation's filter marks their request span not recorded, which exporters skip, and the spans
    /// they start (the database check's query) follow their parent's decision and are not recorded either.
    /// </summary>
    private static readonly PathString[] UntracedPaths =
        ["/grpc.health.v1.Health", "/grpc.reflection.v1alpha.ServerReflection", "/grpc.reflection.v1.ServerReflection"];

    public static void AddRrmTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        // A server span is named after the gRPC method (rrm.petition.v1.PetitionService/SubmitPetition) and carries the
        // rpc.* attributes and the call's status, not only POST and the HTTP status (200 whatever the call's outcome).
        // The instrumentation reads this from the configuration only; a default, below every other source.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_ENABLE_GRPC_INSTRUMENTATION"] = "true" },
        });
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o =>
                    o.Filter = context => !UntracedPaths.Any(p => context.Request.Path.StartsWithSegments(p)))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource("MassTransit", RrmTelemetry.Name))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation() // Microsoft.AspNetCore.Hosting, Kestrel and the rest of ASP.NET Core's meters
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                // rrm.outbox.lag's buckets are the instrument's own advice (RrmMetrics), which the SDK follows.
                .AddMeter("MassTransit", RrmTelemetry.Name))
            .WithLogging(configureBuilder: null, configureOptions: o => o.IncludeScopes = true);
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) otel.UseOtlpExporter();
    }
}
