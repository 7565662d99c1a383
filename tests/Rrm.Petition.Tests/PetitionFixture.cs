using Rrm.Petition.Data;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

/// <summary>The Petition service over its own database and virtual host, shared by one test class.</summary>
public sealed class PetitionFixture : IAsyncLifetime
{
    private TestVirtualHost _vhost = null!;
    public TestDatabase Database { get; private set; } = null!;
    public ServiceFactory<PetitionDbContext> Service { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        _vhost = await TestVirtualHost.CreateAsync();
        await ServiceFactory<PetitionDbContext>.MigrateAsync(Database.ConnectionString, PetitionDbContext.SchemaName);
        Service = new ServiceFactory<PetitionDbContext>(Database.ConnectionString, _vhost.AmqpUri);
    }

    public Rrm.Grpc.Petition.V1.PetitionService.PetitionServiceClient Client() => new(Service.CreateChannel());

    public Task<long> CountAsync(string table) => Database.ScalarAsync<long>($"SELECT count(*) FROM petition.{table}");

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await _vhost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
