using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using Rrm.Grpc.Liquidation.V1;

namespace Rrm.TariffLiquidation.Grpc;

/// <summary>
/// Bounds what <c>RegisterEntries</c> streams may hold (docs/security.md, "Limits"): at most
/// <see cref="LiquidationOptions.MaxConcurrentEntryStreams"/> at once on this instance, another refused with
/// RESOURCE_EXHAUSTED before anything runs; and each must send its next message within
/// <see cref="LiquidationOptions.EntryStreamIdleTimeout"/> and all of them within
/// <see cref="LiquidationOptions.EntryStreamMaxDuration"/>, else DEADLINE_EXCEEDED (the stream's transaction rolls
/// back: nothing of it is stored).
/// </summary>
/// <remarks>
/// It runs ahead of the shared ErrorInterceptor (see <see cref="Register"/>), which would take an RpcException of the
/// handler for a failed downstream call. Its refusal is answered from here; a timeout is a failure to read the caller's
/// stream, a status that interceptor passes on as it is.
/// </remarks>
internal sealed class EntryStreamLimits(IOptions<LiquidationOptions> options, TimeProvider clock, ILogger<EntryStreamLimits> logger) : Interceptor
{
    public static readonly string Method = $"/{LiquidationService.Descriptor.FullName}/{nameof(LiquidationService.LiquidationServiceBase.RegisterEntries)}";

    private int _open;
    private long _refused, _reported;
    private long _lastReport = long.MinValue;

    /// <summary>Streams being served now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Registers the limits as the outermost interceptor of every gRPC service of the host (they act on RegisterEntries only).</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<EntryStreamLimits>();
        // Runs after AddServiceDefaults' AddGrpc configuration, which added the ErrorInterceptor: first in the list is outermost.
        services.Configure<global::Grpc.AspNetCore.Server.GrpcServiceOptions>(o =>
        {
            o.Interceptors.Add<EntryStreamLimits>();
            var registration = o.Interceptors[^1];
            o.Interceptors.RemoveAt(o.Interceptors.Count - 1);
            o.Interceptors.Insert(0, registration);
        });
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (context.Method != Method) return await continuation(requestStream, context);
        var limits = options.Value;
        // Refused at once rather than queued: a queued stream would hold its HTTP/2 stream and the caller's deadline for nothing.
        if (Interlocked.Increment(ref _open) > limits.MaxConcurrentEntryStreams)
        {
            Interlocked.Decrement(ref _open);
            LogRefusal(limits.MaxConcurrentEntryStreams);
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"This instance already serves {limits.MaxConcurrentEntryStreams} RegisterEntries streams, its limit; nothing was stored: send the stream again later."));
        }
        try
        {
            return await continuation(new TimedReader<TRequest>(requestStream, limits, clock.GetUtcNow() + limits.EntryStreamMaxDuration, clock, logger), context);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>A line per minute at most with the count since the last: a flood of refused streams must not become a flood of logs.</summary>
    private void LogRefusal(int limit)
    {
        var refused = Interlocked.Increment(ref _refused);
        var now = clock.GetTimestamp();
        var last = Interlocked.Read(ref _lastReport);
        if (last != long.MinValue && clock.GetElapsedTime(last, now) < TimeSpan.FromMinutes(1)) return;
        if (Interlocked.CompareExchange(ref _lastReport, now, last) != last) return;
        logger.LogWarning("Refused {Refused} RegisterEntries streams since the last report: {Limit} streams were open on this instance",
            refused - Interlocked.Exchange(ref _reported, refused), limit);
    }

    /// <summary>The caller's stream, each read bounded by the idle timeout and what is left of the stream's duration.</summary>
    private sealed class TimedReader<T>(IAsyncStreamReader<T> inner, LiquidationOptions limits, DateTimeOffset deadline, TimeProvider clock, ILogger logger)
        : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var left = deadline - clock.GetUtcNow();
            var overall = left <= limits.EntryStreamIdleTimeout;
            if (left <= TimeSpan.Zero) throw Exceeded(overall);
            using var timeout = new CancellationTokenSource(overall ? left : limits.EntryStreamIdleTimeout, clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                return await inner.MoveNext(linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw Exceeded(overall);
            }
        }

        private RpcException Exceeded(bool overall)
        {
            logger.LogInformation("Ended a RegisterEntries stream: {Limit} exceeded", overall ? "EntryStreamMaxDuration" : "EntryStreamIdleTimeout");
            return new RpcException(new Status(StatusCode.DeadlineExceeded, overall
                ? $"The stream was not completed within {limits.EntryStreamMaxDuration.TotalSeconds:0.###} s, the limit for a RegisterEntries stream; nothing was stored: send fewer entries a stream."
                : $"No message came for {limits.EntryStreamIdleTimeout.TotalSeconds:0.###} s, the limit between messages of a RegisterEntries stream; nothing was stored: send the stream again."));
        }
    }
}
