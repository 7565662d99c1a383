using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Rrm.ServiceDefaults.Grpc;

public static class ServerStreams
{
    /// <summary>
    /// Runs a watch (a server stream that lasts as long as its client wants) until the client leaves or the service
    /// begins to stop; then the stream ends cleanly. An open watch (the case board keeps one per open case page) would
    /// otherwise hold the pod's shutdown for the whole shutdown timeout. The client opens it again, from the position it
    /// had, on another replica.
    /// </summary>
    public static async Task UntilStoppingAsync(ServerCallContext context, Func<CancellationToken, Task> watch)
    {
        var stopping = context.GetHttpContext().RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
        try { await watch(either.Token); }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested) { }
    }
}
