using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Rrm.ServiceDefaults.Data;

namespace Rrm.ServiceDefaults.Errors;

/// <summary>
/// The one place where exceptions become gRPC status codes (DESIGN.md §3), built by <see cref="ErrorStatus"/>. Nothing a caller sent
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
        try { return await continuation(new RequestStreamReader<TRequest>(requestStream), context); }
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
        try { await continuation(new RequestStreamReader<TRequest>(requestStream), responseStream, context); }
        catch (Exception e) when (e is not RpcException) { throw Translate(e, context); }
        catch (RpcException e) { throw TranslateDownstream(e, context); }
    }

    private RpcException Translate(Exception e, ServerCallContext context)
    {
        var status = e switch
        {
            RequestValidationException v => ErrorStatus.InvalidArgument(v.Violations),
            // Reading the client stream failed: a message that does not parse, or over the size limit (see RequestStreamReader).
            RequestStreamException r => ErrorStatus.Of(r.Status),
            NotFoundException => ErrorStatus.Of(StatusCode.NotFound, e.Message),
            InvalidStateTransitionException => ErrorStatus.Of(StatusCode.FailedPrecondition, e.Message),
            AlreadyExistsException => ErrorStatus.Of(StatusCode.AlreadyExists, e.Message),
            UnavailableException => ErrorStatus.Of(StatusCode.Unavailable, e.Message),
            ConcurrencyConflictException => ErrorStatus.Of(StatusCode.Aborted, e.Message),
            DbUpdateConcurrencyException => ErrorStatus.Of(StatusCode.Aborted,
                "The record was changed by someone else; reload it and try again."),
            OperationCanceledException when context.CancellationToken.IsCancellationRequested =>
                ErrorStatus.Of(StatusCode.Cancelled, "The call was cancelled."),
            // PostgreSQL text cannot hold U+0000 (nor can jsonb hold \u0000): the caller sent text that cannot be stored or searched for.
            _ when IsUnstorableText(e) => ErrorStatus.Of(StatusCode.InvalidArgument,
                "A text value of the request contains a character that cannot be stored (U+0000, NUL)."),
            _ when TransientFailure.Is(e) => Unavailable(e, context),
            _ => Unexpected(e, context),
        };
        return ErrorStatus.ToException(status);
    }

    // character_not_in_repertoire, untranslatable_character
    private static bool IsUnstorableText(Exception e) => e.AndInner().Any(x => x is Npgsql.PostgresException { SqlState: "22021" or "22P05" });

    /// <summary>The database is out of reach: the caller should retry (with its request_id, a retry is never applied twice).</summary>
    private Google.Rpc.Status Unavailable(Exception e, ServerCallContext context)
    {
        logger.LogWarning("{Method} could not reach the database: {Error}", context.Method, e.GetBaseException().Message);
        return ErrorStatus.Of(StatusCode.Unavailable, "The service's database is unavailable; retry later.");
    }

    private Google.Rpc.Status Unexpected(Exception e, ServerCallContext context)
    {
        var traceId = Activity.Current?.TraceId.ToString() ?? "none";
        logger.LogError(e, "Unhandled error in {Method} (trace {TraceId})", context.Method, traceId);
        return ErrorStatus.Of(StatusCode.Internal, $"An internal error occurred (trace id {traceId}).");
    }

    /// <summary>
    /// Handlers never throw <see cref="RpcException"/> themselves (they throw the domain exceptions above),
    /// so one reaching here came from a call this service made. It is not the caller's fault: translate it.
    /// </summary>
    private RpcException TranslateDownstream(RpcException e, ServerCallContext context)
    {
        if (context.CancellationToken.IsCancellationRequested)
            return ErrorStatus.ToException(ErrorStatus.Of(StatusCode.Cancelled, "The call was cancelled."));
        logger.LogWarning("A downstream call failed in {Method}: {StatusCode} {Detail}", context.Method, e.StatusCode, e.Status.Detail);
        return ErrorStatus.ToException(e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
            ? ErrorStatus.Of(StatusCode.Unavailable, "A service this call depends on is unavailable; retry later.")
            : ErrorStatus.Of(StatusCode.Internal, $"A service this call depends on failed ({e.StatusCode})."));
    }
}
