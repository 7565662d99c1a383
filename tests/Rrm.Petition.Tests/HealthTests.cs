using Grpc.Health.V1;
using Npgsql;
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

public sealed class BrokerHealthTests
{
    [Fact]
    public async Task Readiness_goes_NOT_SERVING_while_the_broker_is_unreachable_and_SERVING_after()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var vhost = await TestVirtualHost.CreateAsync();
        await ServiceFactory<PetitionDbContext>.MigrateAsync(database.ConnectionString, PetitionDbContext.SchemaName);
        var amqp = new Uri(vhost.AmqpUri);
        await using var proxy = new TcpProxy(amqp.Host, amqp.Port);
        var viaProxy = new UriBuilder(amqp) { Port = proxy.Port }.Uri.ToString();
        await using var service = new ServiceFactory<PetitionDbContext>(database.ConnectionString, viaProxy);
        var health = new Health.HealthClient(service.CreateChannel());
        Task<HealthCheckResponse.Types.ServingStatus> Readiness() =>
            health.CheckAsync(new HealthCheckRequest { Service = "readiness" }).ResponseAsync.ContinueWith(t => t.Result.Status);
        var serving = HealthCheckResponse.Types.ServingStatus.Serving;

        await Eventually.GetAsync(Readiness, s => s == serving, TimeSpan.FromSeconds(30), "readiness");
        proxy.Cut();
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing,
            await Eventually.GetAsync(Readiness, s => s != serving, TimeSpan.FromSeconds(30), "readiness to drop"));
        proxy.Start();
        Assert.Equal(serving, await Eventually.GetAsync(Readiness, s => s == serving, TimeSpan.FromSeconds(60), "readiness to return"));
    }
}
