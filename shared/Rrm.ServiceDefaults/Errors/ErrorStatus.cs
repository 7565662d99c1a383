using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Rrm.ServiceDefaults.Errors;

/// <summary>
/// The one place a call's error status is built (<see cref="ErrorInterceptor"/> uses it for every exception). The status
/// is a <c>google.rpc.Status</c>, sent as gRPC's status code and message and, in full, in the standard
/// <c>grpc-status-details-bin</c> trailer, so that any gRPC client can read its details. An invalid request carries a
/// <c>google.rpc.BadRequest</c> there, with one field violation per bad field: the field's path in the request
/// (<c>petitioner.contact_email</c>, <c>entries[3].entry_number</c>) and what is wrong with it.
/// </summary>
public static class ErrorStatus
{
    /// <summary>At most this many violations are detailed; the message says how many more there were.</summary>
    public const int MaxViolations = 20;

    /// <summary>Bounds of the text a caller may have sent back (descriptions quote it): trailers must stay well under the 64 KB clients accept.</summary>
    private const int MaxViolationLength = 300;
    private const int MaxMessageLength = 2_000;

    public static Google.Rpc.Status Of(StatusCode code, string message) =>
        new() { Code = (int)code, Message = StatusText.Shorten(message, MaxMessageLength) };

    public static Google.Rpc.Status Of(global::Grpc.Core.Status status) => Of(status.StatusCode, status.Detail);

    /// <summary>
    /// The exception that ends the call with <paramref name="status"/>: its code and message, and the whole status in
    /// <c>grpc-status-details-bin</c> when it has details (a status without details is sent as code and message only).
    /// </summary>
    public static RpcException ToException(Google.Rpc.Status status) =>
        status.Details.Count > 0 ? status.ToRpcException() : new RpcException(new global::Grpc.Core.Status((StatusCode)status.Code, status.Message));

    /// <summary>
    /// INVALID_ARGUMENT with "Invalid request: field: description; …" as its message and the same violations as a
    /// <see cref="BadRequest"/> detail.
    /// </summary>
    public static Google.Rpc.Status InvalidArgument(IReadOnlyList<FieldViolation> violations)
    {
        var shown = violations.Take(MaxViolations)
            .Select(v => new BadRequest.Types.FieldViolation
            {
                Field = StatusText.Shorten(v.Field, MaxViolationLength), Description = StatusText.Shorten(v.Description, MaxViolationLength),
            })
            .ToList();
        var more = violations.Count > MaxViolations ? $"; and {violations.Count - MaxViolations} more" : "";
        var status = Of(StatusCode.InvalidArgument, "Invalid request: " + string.Join("; ", shown.Select(v => $"{v.Field}: {v.Description}")) + more);
        status.Details.Add(Any.Pack(new BadRequest { FieldViolations = { shown } }));
        return status;
    }
}
