using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace Rrm.Bench;

/// <summary>
/// The four services over a database and a RabbitMQ virtual host of their own on the same servers, for a figure that
/// needs to know exactly what the services hold (the scale figure's 100 cases, then 10,000): the running suite's data
/// grows with every figure and every run. Removed (processes, database, virtual host) when disposed.
/// </summary>
internal sealed class PrivateSuite : IAsyncDisposable
{
    private readonly Bench _bench;
    private readonly string _name = "bench_" + Guid.NewGuid().ToString("N")[..12];
    private readonly HttpClient _management;
    private readonly string _managementUser;
    private bool _database, _virtualHost;

    public List<ServiceHost> Services { get; } = [];
    public string Postgres { get; }
    public string Amqp { get; }
    public string PetitionUrl => Url("Rrm.Petition");
    public string ReviewUrl => Url("Rrm.Review");
    public string LiquidationUrl => Url("Rrm.TariffLiquidation");

    private PrivateSuite(Bench bench)
    {
        _bench = bench;
        Postgres = new NpgsqlConnectionStringBuilder(bench.Postgres) { Database = _name }.ConnectionString;
        Amqp = $"{bench.Amqp[..bench.Amqp.LastIndexOf('/')]}/{_name}";
        var management = Environment.GetEnvironmentVariable("RRM_MGMT_URL") is { Length: > 0 } m ? m : "http://127.0.0.1:55673";
        var user = Environment.GetEnvironmentVariable("RRM_MGMT_USER") is { Length: > 0 } u ? u : "rrm";
        var password = Environment.GetEnvironmentVariable("RRM_MGMT_PASSWORD") is { Length: > 0 } p ? p : "rrm";
        _management = new HttpClient { BaseAddress = new Uri(management.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        _managementUser = user;
    }

    public string Url(string project) => Services.Single(s => s.Project == project).Url;

    public static async Task<PrivateSuite> StartAsync(Bench bench, CancellationToken ct)
    {
        var suite = new PrivateSuite(bench);
        try
        {
            await using (var admin = new NpgsqlConnection(bench.Postgres))
            {
                await admin.OpenAsync(ct);
                await new NpgsqlCommand($"CREATE DATABASE \"{suite._name}\"", admin).ExecuteNonQueryAsync(ct);
                suite._database = true;
            }
            await using (var connection = new NpgsqlConnection(suite.Postgres))
            {
                // The services' roles and schemas, from the SQL every environment runs (k8s/components/postgres-roles).
                await connection.OpenAsync(ct);
                var roles = await File.ReadAllTextAsync(Path.Combine(bench.Root, "k8s", "components", "postgres-roles", "service-roles.sql"), ct);
                await new NpgsqlCommand(roles, connection).ExecuteNonQueryAsync(ct);
            }
            (await suite._management.PutAsync($"api/vhosts/{suite._name}", null, ct)).EnsureSuccessStatusCode();
            suite._virtualHost = true;
            (await suite._management.PutAsync($"api/permissions/{suite._name}/{Uri.EscapeDataString(suite._managementUser)}",
                new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json"), ct)).EnsureSuccessStatusCode();

            var petitionPort = ServiceHost.FreePort();
            var petitionUrl = $"http://127.0.0.1:{petitionPort}";
            // Started together, as an orchestrator would: each migrates its own schema; the others reach Petition when they call it.
            await Task.WhenAll(new[] { "Rrm.Petition", "Rrm.Review", "Rrm.TariffLiquidation", "Rrm.Notification" }.Select(async project =>
            {
                var service = await ServiceHost.StartAsync(bench, project, ServiceHost.Environment(bench, project, suite.Postgres, suite.Amqp, petitionUrl),
                    project == "Rrm.Petition" ? petitionPort : ServiceHost.FreePort(), ct);
                lock (suite.Services) suite.Services.Add(service);
            }));
            return suite;
        }
        catch
        {
            await suite.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Messages waiting or unacknowledged in the suite's consumers' queues (0: every event so far is consumed); MassTransit's
    /// _error and _skipped queues are parked messages, not work to wait for.
    /// </summary>
    public async Task<long> PendingMessagesAsync(CancellationToken ct)
    {
        using var queues = System.Text.Json.JsonDocument.Parse(await _management.GetStringAsync($"api/queues/{_name}?columns=name,messages", ct));
        return queues.RootElement.EnumerateArray()
            .Where(q => q.GetProperty("name").GetString() is { } name && !name.EndsWith("_error") && !name.EndsWith("_skipped"))
            .Sum(q => q.TryGetProperty("messages", out var m) && m.ValueKind == System.Text.Json.JsonValueKind.Number ? m.GetInt64() : 0);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Services.Select(s => s.DisposeAsync().AsTask()));
        if (_virtualHost) await _management.DeleteAsync($"api/vhosts/{_name}");
        if (_database)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(_bench.Postgres);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
        _management.Dispose();
    }
}
