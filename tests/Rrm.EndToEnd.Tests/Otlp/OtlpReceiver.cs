using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rrm.Testing;

namespace Rrm.EndToEnd.Tests.Otlp;

/// <summary>
/// An OTLP/gRPC receiver on loopback, as a collector would be: it accepts the services' exports of spans, log records
/// and metrics (opentelemetry.proto.collector.*.v1) and keeps them, each with the service.name of its resource.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    public sealed record Received<T>(string Service, string Scope, T Item);

    private WebApplication _app = null!;

    public string Url { get; }
    public ConcurrentQueue<Received<Span>> Spans { get; } = new();
    public ConcurrentQueue<Received<LogRecord>> Logs { get; } = new();
    public ConcurrentQueue<Received<Metric>> Metrics { get; } = new();

    private OtlpReceiver(string url) => Url = url;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var port = SmtpSink.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        var receiver = new OtlpReceiver($"http://localhost:{port}");
        builder.Services.AddSingleton(receiver);
        builder.Services.AddGrpc();
        var app = receiver._app = builder.Build();
        app.MapGrpcService<Traces>();
        app.MapGrpcService<LogRecords>();
        app.MapGrpcService<MetricPoints>();
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static string ServiceName(Resource? resource) =>
        resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value.StringValue ?? "";

    private sealed class Traces(OtlpReceiver receiver) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            foreach (var resource in request.ResourceSpans)
            foreach (var scope in resource.ScopeSpans)
            foreach (var span in scope.Spans)
                receiver.Spans.Enqueue(new(ServiceName(resource.Resource), scope.Scope?.Name ?? "", span));
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }

    private sealed class LogRecords(OtlpReceiver receiver) : LogsService.LogsServiceBase
    {
        public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
        {
            foreach (var resource in request.ResourceLogs)
            foreach (var scope in resource.ScopeLogs)
            foreach (var record in scope.LogRecords)
                receiver.Logs.Enqueue(new(ServiceName(resource.Resource), scope.Scope?.Name ?? "", record));
            return Task.FromResult(new ExportLogsServiceResponse());
        }
    }

    private sealed class MetricPoints(OtlpReceiver receiver) : MetricsService.MetricsServiceBase
    {
        public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
        {
            foreach (var resource in request.ResourceMetrics)
            foreach (var scope in resource.ScopeMetrics)
            foreach (var metric in scope.Metrics)
                receiver.Metrics.Enqueue(new(ServiceName(resource.Resource), scope.Scope?.Name ?? "", metric));
            return Task.FromResult(new ExportMetricsServiceResponse());
        }
    }
}
