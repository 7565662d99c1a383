using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Rrm.ServiceDefaults.Data;
using Xunit;

namespace Rrm.Testing;

/// <summary>
/// One service over its own migrated database and its own virtual host, started and with its
/// consumers' queues bound; shared by the tests of one class.
/// </summary>
public class ServiceFixture<TDb>(string schema) : IAsyncLifetime where TDb : RrmDbContext
{
    private TestVirtualHost _vhost = null!;
    public TestDatabase Database { get; private set; } = null!;
    public ServiceFactory<TDb> Service { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        _vhost = await TestVirtualHost.CreateAsync();
        await ServiceFactory<TDb>.MigrateAsync(Database.ConnectionString, schema);
        Service = new ServiceFactory<TDb>(Database.ConnectionString, _vhost.AmqpUri);
        _ = Service.Server; // starts the host
        await Service.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
    }

    public Task<long> CountAsync(string table) => Database.ScalarAsync<long>($"SELECT count(*) FROM {schema}.{table}");

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await _vhost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
