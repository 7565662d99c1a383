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
    public TestDatabase Database { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public ServiceFactory<TDb> Service { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        VirtualHost = await TestVirtualHost.CreateAsync();
        await ServiceFactory<TDb>.MigrateAsync(Database.ConnectionString, schema);
        await BeforeStartAsync();
        Service = await StartAsync<TDb>(Settings, ConfigureServices);
    }

    /// <summary>Starts (another replica of) a service over this fixture's database and virtual host, its bus connected.</summary>
    public async Task<ServiceFactory<T>> StartAsync<T>(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
        where T : RrmDbContext
    {
        // Started without the test's ambient (async-local) context, as a process starts: MassTransit keeps its
        // log context there, and a host started after another one was disposed would otherwise inherit it.
        Task<ServiceFactory<T>> starting;
        using (ExecutionContext.SuppressFlow())
        {
            starting = Task.Run(() =>
            {
                var created = new ServiceFactory<T>(Database.ConnectionString, VirtualHost.AmqpUri, settings, services);
                _ = created.Server; // starts the host
                return created;
            });
        }
        return await (await starting).StartedAsync();
    }

    /// <summary>Runs after the database and virtual host exist, before the service starts (e.g. to start a service it calls).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    /// <summary>Settings of the host under test, besides connection strings and the signing key.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    /// <summary>Replaces services of the host under test, e.g. the clock.</summary>
    protected virtual void ConfigureServices(IServiceCollection services) { }

    public Task<long> CountAsync(string table) => Database.ScalarAsync<long>($"SELECT count(*) FROM {schema}.{table}");

    public virtual async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
