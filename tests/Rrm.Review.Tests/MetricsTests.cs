using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Rrm.Testing;
using static Rrm.Review.Tests.ReviewFixture;

namespace Rrm.Review.Tests;

/// <summary>The business metrics of DESIGN.md §7 that the Review service reports: cases by state, clocks running.</summary>
/// <remarks>
/// The gauges are read in-process, where every Review host of every test class reports them: this class runs alone,
/// after the others, so that what it reads is its own host's.
/// </remarks>
[Collection("metrics")]
public sealed class MetricsTests(ReviewFixture fixture) : IClassFixture<ReviewFixture>
{
    [Fact]
    public async Task Cases_by_state_and_running_clocks_are_reported_as_gauges_counted_in_the_database()
    {
        await fixture.OpenCaseAsync(D(2024, 7, 24));
        var expected = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM review.cases WHERE state = 'RequestPendingDispatch'");

        var cases = await Eventually.GetAsync(() => Task.FromResult(Read("rrm.cases", "state", "RequestPendingDispatch")), n => n == expected,
            what: $"the gauge rrm.cases to show {expected} cases awaiting the request");
        var clocks = Read("rrm.deadlines.open", "kind", "UstrPanelDecision");

        Assert.True(cases >= 1, "the case opened here is counted");
        Assert.Equal(expected, cases);
        Assert.Equal(await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM review.case_deadlines WHERE status = 'Open' AND kind = 'UstrPanelDecision'"), clocks);
    }

    /// <summary>The current value of a gauge for one tag value (0 when it reports none).</summary>
    private static long Read(string instrument, string tag, string value)
    {
        var seen = new ConcurrentBag<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) => { if (i.Meter.Name == "Rrm" && i.Name == instrument) l.EnableMeasurementEvents(i); };
        listener.SetMeasurementEventCallback<long>((_, measurement, tags, _) =>
        {
            foreach (var t in tags) if (t.Key == tag && $"{t.Value}" == value) seen.Add(measurement);
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return seen.IsEmpty ? 0 : seen.Max();
    }
}

[CollectionDefinition("metrics", DisableParallelization = true)]
public sealed class MetricsCollection;
