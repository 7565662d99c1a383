using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Rrm.Testing;

/// <summary>
/// What one host's own gauges report now (those made on its <see cref="IMeterFactory"/>: the database gauges, the
/// broker connection), so other hosts in the test process do not count.
/// </summary>
public static class HostMetrics
{
    /// <summary>The measurements of <paramref name="instrument"/> as the host reports them now; empty when it reports none.</summary>
    public static IReadOnlyList<long> Read(IServiceProvider host, string instrument)
    {
        var meters = host.GetRequiredService<IMeterFactory>();
        var seen = new List<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Scope == meters && i.Name == instrument) l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => seen.Add(value));
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }

    /// <summary>The single value the host reports, or null when it reports none.</summary>
    public static long? Value(IServiceProvider host, string instrument) => Read(host, instrument) is [var value] ? value : null;
}
