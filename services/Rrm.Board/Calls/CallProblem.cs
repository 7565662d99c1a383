using Grpc.Core;

namespace Rrm.Board.Calls;

/// <summary>What a page shows in place of a part it could not get, in words a case officer can act on.</summary>
public sealed record CallProblem(StatusCode Status, string Message)
{
    public bool SignInAgain => Status == StatusCode.Unauthenticated;

    /// <summary><paramref name="what"/>: the part of the page, e.g. "the notifications".</summary>
    public static CallProblem Of(RpcException e, string what) => new(e.StatusCode, e.StatusCode switch
    {
        StatusCode.PermissionDenied => $"Your roles do not allow reading {what}.",
        StatusCode.Unauthenticated => $"Your sign-in is no longer accepted ({e.Status.Detail}): sign in again to see {what}.",
        StatusCode.NotFound => $"Not found: {e.Status.Detail}",
        StatusCode.InvalidArgument => $"The request for {what} was refused: {e.Status.Detail}",
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => $"The service holding {what} is not answering now; try again shortly.",
        _ => $"Could not read {what}: {e.StatusCode} {e.Status.Detail}",
    });
}
