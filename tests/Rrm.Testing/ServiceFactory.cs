using Grpc.Core;
using MassTransit;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rrm.ServiceDefaults.Data;

namespace Rrm.Testing;

/// <summary>
/// One service hosted in the test process over the real database and broker, called through a real
/// gRPC channel. <typeparamref name="TDb"/> (the service's DbContext) also picks the service assembly.
/// </summary>
public sealed class ServiceFactory<TDb> : WebApplicationFactory<TDb> where TDb : RrmDbContext
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public ServiceFactory(string postgres, string rabbitMq, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = postgres,
            ["ConnectionStrings:RabbitMq"] = rabbitMq,
            ["Auth:SigningKey"] = TestEnvironment.SigningKey,
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Deadlines:PollInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
        _services = services;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_services is not null) builder.ConfigureTestServices(_services);
    }

    /// <summary>Starts the host and waits until its bus is connected, so its consumers' queues are bound.</summary>
    public async Task<ServiceFactory<TDb>> StartedAsync()
    {
        _ = Server;
        await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return this;
    }

    public GrpcChannel CreateChannel() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });

    /// <summary>A new DbContext on the service's database, for assertions.</summary>
    public TDb CreateDbContext() => Services.CreateScope().ServiceProvider.GetRequiredService<TDb>();

    /// <summary>Applies the service's migrations before the host starts its relay and scheduler.</summary>
    public static async Task MigrateAsync(string postgres, string schema)
    {
        var options = DatabaseSetup.OptionsFor<TDb>(postgres, schema);
        await using var db = (TDb)Activator.CreateInstance(typeof(TDb), options)!;
        await db.Database.MigrateAsync();
    }
}

public static class Tokens
{
    public static Metadata Bearer(string token) => new() { { "Authorization", $"Bearer {token}" } };

    public static Metadata For(params string[] roles) => Bearer(Mint(roles));

    public static string Mint(string[] roles, TimeSpan? lifetime = null, DateTimeOffset? now = null, string? signingKey = null, string subject = "test-user") =>
        ServiceDefaults.Security.DevTokens.Mint(
            new ServiceDefaults.Security.AuthOptions { SigningKey = signingKey ?? TestEnvironment.SigningKey },
            subject, roles, lifetime ?? TimeSpan.FromMinutes(10), now);
}
