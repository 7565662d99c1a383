using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Rrm.ServiceDefaults.Data;

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
            RequestValidationException v => new Status(StatusCode.InvalidArgument, Detail(v)),
            // Reading the client stream failed: a message that does not parse, or over the size limit (see RequestStreamReader).
            RequestStreamException r => r.Status,
            NotFoundException => new Status(StatusCode.NotFound, e.Message),
            InvalidStateTransitionException => new Status(StatusCode.FailedPrecondition, e.Message),
            AlreadyExistsException => new Status(StatusCode.AlreadyExists, e.Message),
            ConcurrencyConflictException => new Status(StatusCode.Aborted, e.Message),
            DbUpdateConcurrencyException => new Status(StatusCode.Aborted,
                "The record was changed by someone else; reload it and try again."),
            OperationCanceledException when context.CancellationToken.IsCancellationRequested =>
                new Status(StatusCode.Cancelled, "The call was cancelled."),
            // PostgreSQL text cannot hold U+0000 (nor can jsonb hold \u0000): the caller sent text that cannot be stored or searched for.
            _ when IsUnstorableText(e) => new Status(StatusCode.InvalidArgument,
                "A text value of the request contains a character that cannot be stored (U+0000, NUL)."),
            _ when TransientFailure.Is(e) => Unavailable(e, context),
            _ => Unexpected(e, context),
        };
        var metadata = new Metadata();
        if (e is RequestValidationException rve)
        {
            // Machine-readable copy of the violations, one trailer entry per field. Descriptions quote what the caller
            // sent, which may be any text of any length: trailers must be ASCII (else Kestrel fails the whole response
            // with HTTP 500) and small (a client refuses trailers over 64 KB), so they are percent-encoded and bounded.
            foreach (var v in rve.Violations.Take(MaxViolationTrailers))
                metadata.Add("rrm-field-violation", StatusText.HeaderValue(StatusText.Shorten($"{v.Field}: {v.Description}", MaxViolationLength)));
        }
        return new RpcException(new Status(status.StatusCode, StatusText.Shorten(status.Detail, MaxDetailLength)), metadata);
    }

    private const int MaxViolationTrailers = 20;
    private const int MaxViolationLength = 300;
    private const int MaxDetailLength = 2_000;

    /// <summary>The violations in a status detail of bounded size (the exception's message lists them all, at any length).</summary>
    private static string Detail(RequestValidationException v)
    {
        var shown = v.Violations.Take(MaxViolationTrailers).Select(x => $"{x.Field}: {StatusText.Shorten(x.Description, MaxViolationLength)}");
        var more = v.Violations.Count > MaxViolationTrailers ? $"; and {v.Violations.Count - MaxViolationTrailers} more" : "";
        return "Invalid request: " + string.Join("; ", shown) + more;
    }

    private static bool IsUnstorableText(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is Npgsql.PostgresException { SqlState: "22021" or "22P05" }) return true; // character_not_in_repertoire, untranslatable_character
        return false;
    }

    /// <summary>The database is out of reach: the caller should retry (with its request_id, a retry is never applied twice).</summary>
    private Status Unavailable(Exception e, ServerCallContext context)
    {
        logger.LogWarning("{Method} could not reach the database: {Error}", context.Method, e.GetBaseException().Message);
        return new Status(StatusCode.Unavailable, "The service's database is unavailable; retry later.");
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
