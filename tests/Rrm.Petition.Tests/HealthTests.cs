using Grpc.Health.V1;
using Npgsql;
using Rrm.Grpc.Petition.V1;
using Rrm.Petition.Data;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Readiness_goes_NOT_SERVING_while_the_database_is_unreachable_and_SERVING_after()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var vhost = await TestVirtualHost.CreateAsync();
        await ServiceFactory<PetitionDbContext>.MigrateAsync(database.ConnectionString, PetitionDbContext.SchemaName);
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(direct.Host!, direct.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 };
        await using var service = new ServiceFactory<PetitionDbContext>(viaProxy.ConnectionString, vhost.AmqpUri);
        var health = new Health.HealthClient(service.CreateChannel());

        Task<HealthCheckResponse.Types.ServingStatus> Status(string name) =>
            health.CheckAsync(new HealthCheckRequest { Service = name }).ResponseAsync.ContinueWith(t => t.Result.Status);
        var serving = HealthCheckResponse.Types.ServingStatus.Serving;

        Assert.Equal(serving, await Eventually.GetAsync(() => Status("readiness"), s => s == serving, what: "readiness"));

        proxy.Cut();
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing,
            await Eventually.GetAsync(() => Status("readiness"), s => s != serving, what: "readiness to drop"));
        Assert.Equal(serving, await Status("")); // liveness does not depend on the database

        proxy.Start();
        Assert.Equal(serving, await Eventually.GetAsync(() => Status("readiness"), s => s == serving, what: "readiness to return"));
    }

    [Fact]
    public async Task Health_and_reflection_need_no_token()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var vhost = await TestVirtualHost.CreateAsync();
        await ServiceFactory<PetitionDbContext>.MigrateAsync(database.ConnectionString, PetitionDbContext.SchemaName);
        await using var service = new ServiceFactory<PetitionDbContext>(database.ConnectionString, vhost.AmqpUri);
        var channel = service.CreateChannel();

        var liveness = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        var reflection = new global::Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new global::Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        var services = reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, liveness.Status);
        Assert.Contains("rrm.petition.v1.PetitionService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}

/// <summary>
/// The broker is not readiness: while it is out of reach a pod keeps its place behind the Service and keeps working,
/// its events wait in the outbox, and the "broker" health service and the gauges say so, for an alert rather than
/// for the load balancer.
/// </summary>
public sealed class BrokerOutageTests
{
    private static readonly HealthCheckResponse.Types.ServingStatus Serving = HealthCheckResponse.Types.ServingStatus.Serving;

    [Fact]
    public async Task While_the_broker_is_unreachable_calls_succeed_and_readiness_stays_SERVING_and_the_events_go_out_when_it_is_back()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var vhost = await TestVirtualHost.CreateAsync();
        await ServiceFactory<PetitionDbContext>.MigrateAsync(database.ConnectionString, PetitionDbContext.SchemaName);
        var amqp = new Uri(vhost.AmqpUri);
        await using var proxy = new TcpProxy(amqp.Host, amqp.Port);
        var viaProxy = new UriBuilder(amqp) { Port = proxy.Port }.Uri.ToString();
        await using var service = await new ServiceFactory<PetitionDbContext>(database.ConnectionString, viaProxy, new Dictionary<string, string?>
        {
            ["Telemetry:GaugeInterval"] = "00:00:00.200",
            // Short, so that attempts made during the outage do not push the next one far past its end.
            ["Outbox:PublishTimeout"] = "00:00:01",
            ["Outbox:MaxBackoff"] = "00:00:01",
        }).StartedAsync();
        var channel = service.CreateChannel();
        var health = new Health.HealthClient(channel);
        var petitions = new PetitionService.PetitionServiceClient(channel);
        var facilities = new FacilityService.FacilityServiceClient(channel);
        async Task<HealthCheckResponse.Types.ServingStatus> Status(string name) => (await health.CheckAsync(new HealthCheckRequest { Service = name })).Status;
        Task<long> Unpublished() => database.ScalarAsync<long>("SELECT count(*) FROM petition.outbox_messages WHERE processed_at IS NULL");
        long? Gauge(string name) => HostMetrics.Value(service.Services, name);

        Assert.Equal(Serving, await Eventually.GetAsync(() => Status("broker"), s => s == Serving, what: "the broker to be connected"));
        Assert.Equal(0, await Eventually.GetAsync(() => Task.FromResult(Gauge("rrm.outbox.oldest_age")), a => a == 0, what: "an empty outbox's age"));

        proxy.Cut();
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing,
            await Eventually.GetAsync(() => Status("broker"), s => s != Serving, TimeSpan.FromSeconds(30), "the broker health to drop"));
        var submitted = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var register = Samples.Impro();
            register.StreetAddress = $"Carretera 57 km {Random.Shared.Next(100_000, 999_999)}";
            var facility = (await facilities.RegisterFacilityAsync(register, PetitionFixture.Analyst)).Facility;
            submitted.Add((await petitions.SubmitPetitionAsync(Samples.ImproPetition(facility.FacilityId), PetitionFixture.Analyst)).Petition.PetitionId);
        }

        Assert.Equal(3, submitted.Distinct().Count());
        Assert.Equal(Serving, await Status("readiness"));
        Assert.Equal(3, await Eventually.StaysAsync(Unpublished, n => n == 3, TimeSpan.FromSeconds(2)));
        Assert.True(await Eventually.GetAsync(() => Task.FromResult(Gauge("rrm.outbox.oldest_age")), a => a > 0, what: "the outbox's age to grow") > 0);
        Assert.Equal(0, await Eventually.GetAsync(() => Task.FromResult(Gauge("rrm.broker.connected")), c => c == 0, what: "rrm.broker.connected to be 0"));

        proxy.Start();
        Assert.Equal(0, await Eventually.GetAsync(Unpublished, n => n == 0, TimeSpan.FromSeconds(60), "the outbox to drain"));
        Assert.Equal(Serving, await Eventually.GetAsync(() => Status("broker"), s => s == Serving, TimeSpan.FromSeconds(60), "the broker health to return"));
        Assert.Equal(0, await Eventually.GetAsync(() => Task.FromResult(Gauge("rrm.outbox.oldest_age")), a => a == 0, what: "the drained outbox's age"));
        Assert.Equal(1, await Eventually.GetAsync(() => Task.FromResult(Gauge("rrm.broker.connected")), c => c == 1, what: "rrm.broker.connected to be 1"));
    }
}
