using System.Security.Cryptography;
using Google.Protobuf;

namespace Rrm.ServiceDefaults.Data;

/// <summary>
/// A command sent with a client-chosen request id (DESIGN.md §3): a retry with the same id and payload
/// gets the first result again; the same id with another payload is ALREADY_EXISTS.
/// </summary>
public sealed class ProcessedRequest
{
    public const int MaxRequestIdLength = 100;

    public string RequestId { get; private set; } = "";
    public string Operation { get; private set; } = "";
    public string PayloadHash { get; private set; } = "";
    /// <summary>The id of what the first call created or changed.</summary>
    public string ResultId { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    private ProcessedRequest() { }

    internal ProcessedRequest(string requestId, string operation, string payloadHash, string resultId, DateTimeOffset createdAt) =>
        (RequestId, Operation, PayloadHash, ResultId, CreatedAt) = (requestId, operation, payloadHash, resultId, createdAt);

    /// <summary>SHA-256 of the request's protobuf encoding.</summary>
    public static string HashOf(IMessage request) => Convert.ToHexString(SHA256.HashData(request.ToByteArray()));
}
