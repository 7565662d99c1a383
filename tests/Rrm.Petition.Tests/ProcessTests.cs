using System.Diagnostics;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rrm.Grpc.Petition.V1;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

/// <summary>The service as its own process, as deployed: what its console log says, and how it stops.</summary>
public sealed class ProcessTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestVirtualHost _vhost = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _vhost = await TestVirtualHost.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task<ServiceProcess> StartAsync(params (string Key, string Value)[] settings) => StartOnAsync(null, settings);

    private Task<ServiceProcess> StartOnAsync(int? port, params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = _database.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = _vhost.AmqpUri,
            ["Auth__SigningKey"] = TestEnvironment.SigningKey,
        };
        foreach (var (key, value) in settings) environment[key] = value;
        return ServiceProcess.StartAsync("Rrm.Petition", environment, port);
    }

    /// <summary>
    /// A port another program holds: the service stops at start and says which address is in use (what an operator reads,
    /// and what the test harness recognises to try another free port).
    /// </summary>
    [Fact]
    public async Task A_service_whose_port_is_taken_stops_at_start_naming_the_address_in_use()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => StartOnAsync(port));

        Assert.Contains($"127.0.0.1:{port}: address already in use", refused.Message);
    }

    [Fact]
    public async Task A_console_log_line_written_during_a_call_carries_the_trace_id_of_that_call()
    {
        await using var petition = await StartAsync();
        var register = Samples.Impro();
        register.StreetAddress = $"Carretera 57 km {Random.Shared.Next(100_000, 999_999)}";
        var facility = (await new FacilityService.FacilityServiceClient(petition.Channel).RegisterFacilityAsync(register, PetitionFixture.Analyst)).Facility;

        // The caller's trace: sent as its traceparent, and current, so the client's own tracing continues it too.
        using var caller = new Activity("caller").SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start();
        var headers = new Metadata { { "traceparent", caller.Id! } };
        foreach (var entry in PetitionFixture.Analyst) headers.Add(entry);
        var submitted = (await new PetitionService.PetitionServiceClient(petition.Channel).SubmitPetitionAsync(Samples.ImproPetition(facility.FacilityId), headers)).Petition;
        caller.Stop();

        var line = await Eventually.GetAsync(() => Task.FromResult(petition.Output.Split('\n').FirstOrDefault(l => l.Contains($"Petition {submitted.PetitionId} about facility"))),
            l => l is not null, what: "the log line of the submission");
        Assert.Contains($"TraceId:{caller.TraceId}", line);
        Assert.Matches("SpanId:[0-9a-f]{16}", line);
    }

    [Fact]
    public async Task On_SIGTERM_a_call_in_flight_has_the_shutdown_timeout_to_end_then_the_process_exits()
    {
        await using var petition = await StartAsync(("Hosting__ShutdownTimeout", "00:00:03"));
        // A stream the client keeps open: in flight until the server gives up on it.
        using var stream = new ServerReflection.ServerReflectionClient(petition.Channel).ServerReflectionInfo();
        await stream.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None));

        var clock = Stopwatch.StartNew();
        var exitCode = await petition.StopAsync(); // SIGTERM; killed after 10 s
        clock.Stop();

        Assert.Equal(0, exitCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(8));
    }
}

public sealed class ShutdownTimeoutTests(PetitionFixture fixture) : IClassFixture<PetitionFixture>
{
    [Fact]
    public void The_shutdown_timeout_is_20_seconds_when_not_set()
    {
        // Kubernetes' grace period is set from it (docs/operations.md).
        Assert.Equal(TimeSpan.FromSeconds(20), fixture.Service.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }
}
