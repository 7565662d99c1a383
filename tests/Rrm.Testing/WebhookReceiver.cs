using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Rrm.Testing;

/// <summary>A real HTTP listener on loopback that records webhook deliveries and answers as told per path.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Delivery(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (int Status, TimeSpan Delay)> _answers = new();

    public ConcurrentQueue<Delivery> Deliveries { get; } = new();
    public string BaseUrl { get; }

    private WebhookReceiver(WebApplication app, string baseUrl) => (_app, BaseUrl) = (app, baseUrl);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var port = SmtpSink.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, $"http://127.0.0.1:{port}");
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Answers requests to <paramref name="path"/> with <paramref name="status"/> after <paramref name="delay"/> (default 200 at once).</summary>
    public void Answer(string path, int status, TimeSpan? delay = null) => _answers[path] = (status, delay ?? TimeSpan.Zero);

    public string Url(string path) => BaseUrl + path;

    public IEnumerable<Delivery> To(string path) => Deliveries.Where(d => d.Path == path);

    private async Task HandleAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        var (status, delay) = _answers.GetValueOrDefault(context.Request.Path.Value ?? "", (200, TimeSpan.Zero));
        if (delay > TimeSpan.Zero) await Task.Delay(delay);
        Deliveries.Enqueue(new Delivery(context.Request.Path.Value ?? "", context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()), body, DateTimeOffset.UtcNow));
        context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
