using System.Diagnostics;
using System.Text;
using Grpc.Net.Client;
using Rrm.EndToEnd.Tests.Otlp;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using Xunit.Abstractions;

namespace Rrm.EndToEnd.Tests;

/// <summary>
/// What a collector receives over OTLP/gRPC (OTEL_EXPORTER_OTLP_ENDPOINT) from two services run as processes: one
/// trace from a gRPC call through the outbox and the broker into the consuming service, the call's log records in
/// that trace, and the metrics, among them the outbox lag with its own buckets.
/// </summary>
public sealed class TelemetryExportTests(ITestOutputHelper output)
{
    private const string SubmitPetition = "rrm.petition.v1.PetitionService/SubmitPetition";

    [Fact]
    public async Task A_submitted_petition_is_one_exported_trace_from_the_call_to_the_Notification_services_database()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var stack = new ServiceStack();
        await stack.StartServicesAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        }, projects: [ServiceProject.Petition, ServiceProject.Notification]);
        var petitionService = stack.Any(ServiceProject.Petition.Name);

        var analyst = Tokens.For(Roles.IlcAnalyst);
        // A client that sends no trace context, whatever other tests of this process listen to meanwhile: an
        // ActivityListener elsewhere makes HttpClient create and propagate a span of its own.
        using var untraced = GrpcChannel.ForAddress(petitionService.Url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator() },
        });
        var facility = (await new FacilityService.FacilityServiceClient(untraced).RegisterFacilityAsync(new RegisterFacilityRequest
        {
            LegalName = "Impro Industries Mexico, S. de R.L. de C.V.", StreetAddress = "Carretera 57 km 1250", City = "Villa de Reyes",
            State = "SLP", Sector = Sector.Manufacturing,
        }, analyst)).Facility;
        var request = Samples.ImproPetition(facility.FacilityId);
        request.Petitioner = new Petitioner { Organization = "LSOM" };
        var petition = (await new PetitionService.PetitionServiceClient(untraced).SubmitPetitionAsync(request, analyst)).Petition;
        await Eventually.GetAsync(
            () => stack.Database.ScalarAsync<long>($"SELECT count(*) FROM notification.received_events WHERE petition_id = '{petition.PetitionId}'"),
            n => n == 1, what: "the Notification service to record the petition");

        // The call's server span names the trace; the consumer's spans end after its commit and are exported a moment later.
        var trace = "";
        var spans = await Eventually.GetAsync(() =>
        {
            trace = receiver.Spans.FirstOrDefault(s => s.Item.Name == SubmitPetition && s.Service == "petition") is { } server
                ? Hex(server.Item.TraceId) : "";
            // Until the call's span comes, the server spans that did (to show what they are named).
            return Task.FromResult(new TraceView(receiver.Spans
                .Where(s => trace == "" ? s.Scope == "Microsoft.AspNetCore" : Hex(s.Item.TraceId) == trace).ToList()));
        }, t => t.Missing().Count == 0, what: "the spans of the petition's trace");
        output.WriteLine(spans.ToString());

        var call = spans.One("petition", "Microsoft.AspNetCore", Span.Types.SpanKind.Server, SubmitPetition);
        Assert.True(call.Item.ParentSpanId.IsEmpty, "the call's span has a parent, though the client sent no trace");
        Assert.Equal("grpc", Attribute(call, "rpc.system.name"));
        Assert.Equal(SubmitPetition, Attribute(call, "rpc.method"));
        Assert.Equal("OK", Attribute(call, "rpc.response.status_code"));
        var callQuery = spans.Below(call).Single(s => s.Scope == "Npgsql" && Attribute(s, "db.query.text")?.Contains("INSERT INTO petition.petitions") == true);
        Assert.Equal(("petition", "postgresql"), (callQuery.Service, Attribute(callQuery, "db.system.name")));
        var relay = spans.Below(call).Single(s => s.Scope == "Rrm" && s.Item.Name == "outbox publish");
        Assert.Equal("petition", relay.Service);
        var publish = spans.Below(relay).Single(s => s.Scope == "MassTransit" && s.Item.Kind == Span.Types.SpanKind.Producer);
        Assert.Equal("petition", publish.Service);
        var consume = spans.Below(publish).Single(s => s.Scope == "MassTransit" && s.Item.Kind == Span.Types.SpanKind.Consumer
            && Attribute(s, "messaging.masstransit.consumer_type") == "Rrm.Notification.Messaging.EventNotifier<Rrm.Contracts.Events.PetitionReceived>");
        Assert.Equal("notification", consume.Service);
        var consumerQuery = spans.Below(consume).Single(s => s.Scope == "Npgsql" && Attribute(s, "db.query.text")?.Contains("INSERT INTO notification.received_events") == true);
        Assert.Equal(("notification", "postgresql"), (consumerQuery.Service, Attribute(consumerQuery, "db.system.name")));
        // Probes are not traced: the start-up's readiness checks were many, and none was exported.
        Assert.DoesNotContain(receiver.Spans, s => s.Item.Name.Contains("grpc.health.v1.Health"));

        // The call's log line, in its trace, with its scopes (the request's path) and its values as attributes.
        var line = await Eventually.GetAsync(() => Task.FromResult(receiver.Logs.FirstOrDefault(l =>
                l.Service == "petition" && Hex(l.Item.TraceId) == trace && l.Item.Attributes.Any(a => a.Key == "PetitionId"))),
            l => l is not null, what: "the petition's log record in the trace");
        Assert.Equal(petition.PetitionId, line!.Item.Attributes.First(a => a.Key == "PetitionId").Value.StringValue);
        Assert.Equal("/" + SubmitPetition, line.Item.Attributes.FirstOrDefault(a => a.Key == "RequestPath")?.Value.StringValue);

        // The outbox lag keeps its buckets, up to an hour; the instrumentations' metrics come along.
        var lag = await Eventually.GetAsync(() => Task.FromResult(receiver.Metrics.LastOrDefault(m =>
                m.Service == "petition" && m.Item.Name == "rrm.outbox.lag" && m.Item.Histogram?.DataPoints.Sum(p => (long)p.Count) >= 1)),
            m => m is not null, what: "rrm.outbox.lag with the petition's publish");
        Assert.Equal([5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000],
            lag!.Item.Histogram.DataPoints.Single().ExplicitBounds);
        await Eventually.GetAsync(
            () => Task.FromResult(string.Join(" ", receiver.Metrics.Where(m => m.Service == "petition").Select(m => m.Item.Name).Distinct().Order())),
            names => ExpectedMetrics.All(names.Split(' ').Contains), what: $"the metrics {string.Join(", ", ExpectedMetrics)}");
    }

    /// <summary>One of each meter: ASP.NET Core, Kestrel, HttpClient, the runtime, Npgsql, MassTransit, the suite's own.</summary>
    private static readonly string[] ExpectedMetrics =
        ["http.server.request.duration", "kestrel.active_connections", "http.client.request.duration", "dotnet.gc.collections",
         "db.client.operation.duration", "messaging.masstransit.send", "rrm.outbox.published"];

    private static string Hex(Google.Protobuf.ByteString id) => Convert.ToHexStringLower(id.Span);

    private static string? Attribute(OtlpReceiver.Received<Span> span, string key) =>
        span.Item.Attributes.FirstOrDefault(a => a.Key == key)?.Value is { } v
            ? v.ValueCase switch
            {
                AnyValue.ValueOneofCase.StringValue => v.StringValue,
                AnyValue.ValueOneofCase.IntValue => v.IntValue.ToString(),
                AnyValue.ValueOneofCase.BoolValue => v.BoolValue.ToString(),
                _ => v.ToString(),
            }
            : null;

    /// <summary>The spans of one trace, as received.</summary>
    private sealed record TraceView(List<OtlpReceiver.Received<Span>> Spans)
    {
        public OtlpReceiver.Received<Span> One(string service, string scope, Span.Types.SpanKind kind, string name) =>
            Spans.Single(s => s.Service == service && s.Scope == scope && s.Item.Kind == kind && s.Item.Name == name);

        /// <summary>The spans below <paramref name="top"/>: its children, theirs, and so on.</summary>
        public List<OtlpReceiver.Received<Span>> Below(OtlpReceiver.Received<Span> top)
        {
            var below = new List<OtlpReceiver.Received<Span>>();
            var parents = new HashSet<string> { Hex(top.Item.SpanId) };
            for (var grew = true; grew;)
            {
                var next = Spans.Where(s => !below.Contains(s) && parents.Contains(Hex(s.Item.ParentSpanId))).ToList();
                below.AddRange(next);
                foreach (var s in next) parents.Add(Hex(s.Item.SpanId));
                grew = next.Count > 0;
            }
            return below;
        }

        /// <summary>What the trace still lacks (empty when complete).</summary>
        public List<string> Missing()
        {
            var missing = new List<string>();
            void Need(string what, Func<OtlpReceiver.Received<Span>, bool> found)
            {
                if (!Spans.Any(found)) missing.Add(what);
            }
            Need("the call's server span", s => s.Item.Name == SubmitPetition && s.Item.Kind == Span.Types.SpanKind.Server);
            Need("the call's insert", s => s.Scope == "Npgsql" && s.Service == "petition" && Attribute(s, "db.query.text")?.Contains("INSERT INTO petition.petitions") == true);
            Need("the outbox relay's span", s => s.Scope == "Rrm" && s.Item.Name == "outbox publish");
            Need("MassTransit's publish", s => s.Scope == "MassTransit" && s.Item.Kind == Span.Types.SpanKind.Producer);
            // Both consumer spans: "receive" ends (and is exported) after the "process" span inside it.
            Need("MassTransit's receive", s => s.Scope == "MassTransit" && s.Item.Kind == Span.Types.SpanKind.Consumer && s.Service == "notification"
                && Attribute(s, "messaging.operation") == "receive");
            Need("MassTransit's consume", s => s.Scope == "MassTransit" && s.Item.Kind == Span.Types.SpanKind.Consumer && s.Service == "notification"
                && Attribute(s, "messaging.masstransit.consumer_type") == "Rrm.Notification.Messaging.EventNotifier<Rrm.Contracts.Events.PetitionReceived>");
            Need("the consumer's insert", s => s.Scope == "Npgsql" && s.Service == "notification" && Attribute(s, "db.query.text")?.Contains("INSERT INTO notification.received_events") == true);
            return missing;
        }

        public override string ToString()
        {
            var text = new StringBuilder($"missing: {string.Join(", ", Missing())}; received:");
            foreach (var s in Spans)
                text.Append($"\n  {s.Service} {s.Scope} {s.Item.Kind} '{s.Item.Name}' {Hex(s.Item.SpanId)} <- {Hex(s.Item.ParentSpanId)} "
                            + string.Join(" ", s.Item.Attributes.Select(a => $"{a.Key}={a.Value}")));
            return text.ToString();
        }
    }
}
