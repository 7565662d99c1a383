using System.Text;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;

namespace Rrm.ServiceDefaults.Errors;

/// <summary>
/// Request bytes that are not a message of the method's request type (cut short, a wrong wire type, a string that is
/// not UTF-8) are the caller's mistake: INVALID_ARGUMENT, like any other invalid request.
/// </summary>
internal static class MalformedRequests
{
    /// <summary>The parse failure behind <paramref name="e"/>, if that is what it is.</summary>
    public static InvalidProtocolBufferException? ParseFailure(Exception? e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is InvalidProtocolBufferException p) return p;
        return null;
    }

    public static Status StatusOf(InvalidProtocolBufferException e) =>
        new(StatusCode.InvalidArgument, "The request is not a valid protobuf message of the method's request type: " + e.Message);

    /// <summary>
    /// grpc-dotnet parses a unary or server-streaming request before any interceptor runs and answers a parse failure
    /// itself, with UNKNOWN ("Exception was thrown by handler."), so <see cref="ErrorInterceptor"/> never sees it. This
    /// middleware corrects that one status on its way out: the call's status still carries the parse exception, and it
    /// is not sent before the pipeline returns. (A client stream is parsed as the handler reads it, inside the interceptor.)
    /// </summary>
    public static IApplicationBuilder UseMalformedRequestStatus(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        if (context.Features.Get<IServerCallContextFeature>()?.ServerCallContext.Status is not { StatusCode: StatusCode.Unknown } status
            || ParseFailure(status.DebugException) is not { } failure)
            return;
        // Before the response starts the status is in the headers (a trailers-only response), after that in the trailers.
        var destination = context.Response.HasStarted ? context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers : context.Response.Headers;
        if (destination is null || destination.IsReadOnly) return;
        destination["grpc-status"] = ((int)StatusCode.InvalidArgument).ToString();
        destination["grpc-message"] = StatusText.HeaderValue(StatusOf(failure).Detail);
    });
}

/// <summary>
/// The client stream as a handler reads it. Its messages are parsed as they are read, inside the handler: a message that
/// does not parse is the caller's INVALID_ARGUMENT, and any other failure to read (a message over the size limit, a frame
/// cut short) is an <see cref="RpcException"/> that grpc-dotnet made for the caller. Both are wrapped, so that
/// <see cref="ErrorInterceptor"/> takes neither for a fault of this service nor for the failure of a call it made.
/// </summary>
internal sealed class RequestStreamReader<T>(IAsyncStreamReader<T> inner) : IAsyncStreamReader<T>
{
    public T Current => inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        try { return await inner.MoveNext(cancellationToken); }
        catch (InvalidProtocolBufferException e) { throw new RequestStreamException(MalformedRequests.StatusOf(e), e); }
        catch (RpcException e) { throw new RequestStreamException(e.Status, e); }
    }
}

/// <summary>Reading the caller's stream failed with this status (see <see cref="RequestStreamReader{T}"/>).</summary>
internal sealed class RequestStreamException(Status status, Exception inner) : Exception(status.Detail, inner)
{
    public Status Status => status;
}

/// <summary>Status details and trailer values as HTTP/2 can carry them.</summary>
internal static class StatusText
{
    /// <summary>At most <paramref name="max"/> characters (never half a surrogate pair), marked when cut.</summary>
    public static string Shorten(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..cut] + $"… ({text.Length} characters)";
    }

    /// <summary>
    /// A header or trailer value: ASCII without control characters, the rest percent-encoded as UTF-8 (as gRPC encodes
    /// grpc-message). Kestrel refuses anything else, and the call would end in an HTTP 500 instead of its status.
    /// </summary>
    public static string HeaderValue(string text)
    {
        var value = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
            if (b is >= 0x20 and <= 0x7E and not (byte)'%') value.Append((char)b);
            else value.Append('%').Append(b.ToString("X2"));
        return value.ToString();
    }
}
