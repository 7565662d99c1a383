using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Rrm.Testing;

/// <summary>
/// A RabbitMQ virtual host of its own for a test class, made and removed through the management API:
/// exchanges, queues and bindings of one test never see another's messages.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    public string Name { get; } = "t-" + Guid.NewGuid().ToString("N")[..16];
    public string AmqpUri => $"{TestEnvironment.AmqpBase}/{Name}";

    private static readonly HttpClient Management = CreateClient();

    public static async Task<TestVirtualHost> CreateAsync()
    {
        var vhost = new TestVirtualHost();
        (await Management.PutAsync($"api/vhosts/{vhost.Name}", null)).EnsureSuccessStatusCode();
        (await Management.PutAsJsonAsync($"api/permissions/{vhost.Name}/{Uri.EscapeDataString(TestEnvironment.ManagementUser)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return vhost;
    }

    /// <summary>The queues of this virtual host by name: their type ("classic", "quorum") and declaration arguments.</summary>
    public async Task<Dictionary<string, QueueInfo>> QueuesAsync() =>
        (await Management.GetFromJsonAsync<List<QueueInfo>>($"api/queues/{Name}") ?? []).ToDictionary(q => q.Name);

    public sealed record QueueInfo(string Name, string Type, Dictionary<string, System.Text.Json.JsonElement> Arguments);

    public async ValueTask DisposeAsync() => await Management.DeleteAsync($"api/vhosts/{Name}");

    private static HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(TestEnvironment.ManagementUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestEnvironment.ManagementUser}:{TestEnvironment.ManagementPassword}")));
        return client;
    }
}
