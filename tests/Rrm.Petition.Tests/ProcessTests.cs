using System.Diagnostics;
using Grpc.Core;
using Rrm.Grpc.Petition.V1;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

/// <summary>The service as its own process, as deployed: what its console log says.</summary>
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

    private Task<ServiceProcess> StartAsync(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = _database.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = _vhost.AmqpUri,
            ["Auth__SigningKey"] = TestEnvironment.SigningKey,
        };
        foreach (var (key, value) in settings) environment[key] = value;
        return ServiceProcess.StartAsync("Rrm.Petition", environment);
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
}
