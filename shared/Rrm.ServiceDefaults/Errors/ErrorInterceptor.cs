using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Rrm.ServiceDefaults.Errors;

/// <summary>
/// The one place where exceptions become gRPC status codes (DESIGN.md §3). Nothing a caller sent
/// ends as UNKNOWN or INTERNAL; unexpected failures are logged once and reported as INTERNAL with
/// the trace id, without internals.
/// </summary>
public sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try { return await continuation(request, context); }
        catch (Exception e) when (e is not RpcException) { throw Translate(e, context); }
        catch (RpcException e) { throw TranslateDownstream(e, context); }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try { return await continuation(requestStream, context); }
        catch (Exception e) when (e is not RpcException) { throw Translate(e, context); }
        catch (RpcException e) { throw TranslateDownstream(e, context); }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try { await continuation(request, responseStream, context); }
        catch (Exception e) when (e is not RpcException) { throw Translate(e, context); }
        catch (RpcException e) { throw TranslateDownstream(e, context); }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try { await continuation(requestStream, responseStream, context); }
        catch (Exception e) when (e is not RpcException) { throw Translate(e, context); }
        catch (RpcException e) { throw TranslateDownstream(e, context); }
    }

    private RpcException Translate(Exception e, ServerCallContext context)
    {
        var status = e switch
        {
            RequestValidationException v => new Status(StatusCode.InvalidArgument, v.Message),
            NotFoundException => new Status(StatusCode.NotFound, e.Message),
            InvalidStateTransitionException => new Status(StatusCode.FailedPrecondition, e.Message),
            AlreadyExistsException => new Status(StatusCode.AlreadyExists, e.Message),
            ConcurrencyConflictException => new Status(StatusCode.Aborted, e.Message),
            DbUpdateConcurrencyException => new Status(StatusCode.Aborted,
                "The record was changed by someone else; reload it and try again."),
            OperationCanceledException when context.CancellationToken.IsCancellationRequested =>
                new Status(StatusCode.Cancelled, "The call was cancelled."),
            _ => Unexpected(e, context),
        };
        var metadata = new Metadata();
        if (e is RequestValidationException rve)
        {
            // Machine-readable copy of the violations, one trailer entry per field.
            foreach (var v in rve.Violations) metadata.Add("rrm-field-violation", $"{v.Field}: {v.Description}");
        }
        return new RpcException(status, metadata);
    }

    private Status Unexpected(Exception e, ServerCallContext context)
    {
        var traceId = Activity.Current?.TraceId.ToString() ?? "none";
        logger.LogError(e, "Unhandled error in {Method} (trace {TraceId})", context.Method, traceId);
        return new Status(StatusCode.Internal, $"An internal error occurred (trace id {traceId}).");
    }

    /// <summary>
    /// Handlers never throw <see cref="RpcException"/> themselves (they throw the domain exceptions above),
    /// so one reaching here came from a call this service made. It is not the caller's fault: translate it.
    /// </summary>
    private RpcException TranslateDownstream(RpcException e, ServerCallContext context)
    {
        if (context.CancellationToken.IsCancellationRequested)
            return new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled."));
        logger.LogWarning("A downstream call failed in {Method}: {StatusCode} {Detail}", context.Method, e.StatusCode, e.Status.Detail);
        return e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
            ? new RpcException(new Status(StatusCode.Unavailable, "A service this call depends on is unavailable; retry later."))
            : new RpcException(new Status(StatusCode.Internal, $"A service this call depends on failed ({e.StatusCode})."));
    }
}
