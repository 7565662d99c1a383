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

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        _vhost = await TestVirtualHost.CreateAsync();
        await ServiceFactory<TDb>.MigrateAsync(Database.ConnectionString, schema);
        Service = new ServiceFactory<TDb>(Database.ConnectionString, _vhost.AmqpUri, services: ConfigureServices);
        _ = Service.Server; // starts the host
        await Service.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
    }

    /// <summary>Replaces services of the host under test, e.g. the clock.</summary>
    protected virtual void ConfigureServices(IServiceCollection services) { }

    public Task<long> CountAsync(string table) => Database.ScalarAsync<long>($"SELECT count(*) FROM {schema}.{table}");

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await _vhost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
