using System.Diagnostics;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.Review.Tests;

/// <summary>
/// A case page on the board keeps a WatchCase stream open for as long as it is open. Stopping the service ends such a
/// stream cleanly (its client opens it again elsewhere) instead of holding the pod's shutdown for the whole timeout.
/// </summary>
public sealed class WatchShutdownTests
{
    [Fact]
    public async Task On_SIGTERM_an_open_WatchCase_stream_ends_cleanly_and_the_service_exits_well_before_its_shutdown_timeout()
    {
        // Petition too: an import asks it about facilities.
        await using var stack = new ServiceStack();
        await stack.StartServicesAsync(new Dictionary<string, string> { ["Hosting__ShutdownTimeout"] = "00:00:20" },
            projects: [ServiceProject.Petition, ServiceProject.Review]);
        var review = stack.Replicas[ServiceProject.Review.Name].Single();
        var cases = new ReviewService.ReviewServiceClient(review.Channel);
        var officer = Tokens.For(Roles.UstrOfficer);
        await cases.ImportCaseHistoryAsync(new ImportCaseHistoryRequest
        {
            Csv = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "data", "rrm-public-history.csv")),
            Until = new Date { Year = 2021, Month = 12, Day = 31 },
        }, officer);
        var watched = (await cases.ListCasesAsync(new ListCasesRequest(), officer)).Cases.First();
        using var watch = cases.WatchCase(new WatchCaseRequest { CaseId = watched.CaseId }, officer);
        var stream = watch.ResponseStream;
        for (var i = 0; i < watched.TimelineLength; i++) Assert.True(await stream.MoveNext(CancellationToken.None));
        var next = stream.MoveNext(CancellationToken.None); // waits for an entry that will not come

        var clock = Stopwatch.StartNew();
        var exitCode = await review.StopAsync();
        clock.Stop();

        Assert.Equal(0, exitCode);
        Assert.False(await next, "the stream ends without an error when the service stops");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopped after {clock.Elapsed}; an open watch must not hold the 20 s shutdown timeout");
    }
}
