using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Rrm.Grpc.Petition.V1;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

/// <summary>
/// Probes and reflection leave no trace: their spans, and the spans they start, are not recorded (exporters skip
/// them), while a call's are. Each call is made in a trace of its own, so the spans of other hosts in the process are
/// told apart.
/// </summary>
public sealed class TracingTests(PetitionFixture fixture) : IClassFixture<PetitionFixture>
{
    [Fact]
    public async Task Health_checks_and_reflection_are_not_recorded_and_a_call_is()
    {
        var spans = new ConcurrentQueue<(ActivityTraceId Trace, string Source, bool Recorded)>();
        // Propagation only: the listener sees each span but leaves the recording decision to the service's own tracing.
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Microsoft.AspNetCore" or "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
            ActivityStopped = a => spans.Enqueue((a.TraceId, a.Source.Name, a.Recorded)),
        };
        ActivitySource.AddActivityListener(listener);
        var channel = fixture.Service.CreateChannel();
        var (probe, reflection, call) = (ActivityTraceId.CreateRandom(), ActivityTraceId.CreateRandom(), ActivityTraceId.CreateRandom());

        using (var caller = Caller(probe))
            await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = "readiness" }, Sampled(caller));
        using (var caller = Caller(reflection))
        using (var stream = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(Sampled(caller)))
        {
            await stream.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
            await stream.RequestStream.CompleteAsync();
            while (await stream.ResponseStream.MoveNext(CancellationToken.None)) { }
        }
        var facility = await fixture.RegisterAsync();
        using (var caller = Caller(call))
        {
            var headers = Sampled(caller);
            foreach (var entry in PetitionFixture.Analyst) headers.Add(entry);
            await fixture.Petitions().SubmitPetitionAsync(Samples.ImproPetition(facility.FacilityId), headers);
        }

        bool Ended(ActivityTraceId trace) => spans.Any(s => s.Trace == trace && s.Source == "Microsoft.AspNetCore");
        await Eventually.GetAsync(() => Task.FromResult(Ended(probe) && Ended(reflection) && Ended(call)), ended => ended, what: "the server spans to end");

        Assert.All(spans.Where(s => s.Trace == call), s => Assert.True(s.Recorded, $"a {s.Source} span of the call is not recorded"));
        Assert.Contains(spans, s => s.Trace == call && s.Source == "Npgsql");
        Assert.Contains(spans, s => s.Trace == probe && s.Source == "Npgsql"); // the database check's query
        Assert.All(spans.Where(s => s.Trace == probe || s.Trace == reflection), s => Assert.False(s.Recorded, $"a {s.Source} span of a probe is recorded"));
    }

    /// <summary>
    /// The caller's span in <paramref name="trace"/>, which it samples, current while it calls: the client's own tracing
    /// (the gRPC client instrumentation of the hosts in this process) continues it, and replaces the headers' traceparent.
    /// </summary>
    private static Activity Caller(ActivityTraceId trace) =>
        new Activity("caller").SetParentId(trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start();

    /// <summary>Headers of a call by <paramref name="caller"/> (W3C traceparent with the sampled flag).</summary>
    private static Metadata Sampled(Activity caller) => new() { { "traceparent", caller.Id! } };
}
