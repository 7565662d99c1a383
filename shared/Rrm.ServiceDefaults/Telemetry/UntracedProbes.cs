using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Rrm.ServiceDefaults.Telemetry;

/// <summary>
/// Health probes (every few seconds from each kubelet) and reflection are not traced: they would bury the calls
/// that matter. Their request span is marked not recorded, which exporters skip, and the spans they start (the
/// database check's query) follow their parent's decision and are not recorded either.
/// </summary>
internal static class UntracedProbes
{
    private static readonly PathString[] Paths = ["/grpc.health.v1.Health", "/grpc.reflection.v1alpha.ServerReflection", "/grpc.reflection.v1.ServerReflection"];

    public static IApplicationBuilder UseUntracedProbes(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { } activity && Paths.Any(p => context.Request.Path.StartsWithSegments(p)))
        {
            activity.IsAllDataRequested = false;
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
        return next(context);
    });
}
