using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Rrm.Testing;

/// <summary>A real SMTP server for a test class (tools/node/smtp-sink.js): what it accepts can be read back.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _file;

    public int Port { get; }

    private SmtpSink(Process process, string file, int port) => (_process, _file, Port) = (process, file, port);

    /// <summary>Starts the server; recipients matching <paramref name="refuse"/> (a regular expression) are refused with 550.</summary>
    public static async Task<SmtpSink> StartAsync(string? refuse = null)
    {
        var port = FreePort();
        var file = Path.Combine(Path.GetTempPath(), $"smtp-{Guid.NewGuid():N}.jsonl");
        var start = new ProcessStartInfo("node") { WorkingDirectory = NodeTool.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "smtp-sink.js", port.ToString(), file }) start.ArgumentList.Add(a);
        if (refuse is not null) { start.ArgumentList.Add("--refuse"); start.ArgumentList.Add(refuse); }
        var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started");
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (ready is null || !ready.Contains("listening")) throw new InvalidOperationException($"smtp-sink did not start: {await process.StandardError.ReadToEndAsync()}");
        return new SmtpSink(process, file, port);
    }

    /// <summary>Every message received so far.</summary>
    public List<JsonElement> Messages() =>
        File.Exists(_file) ? File.ReadAllLines(_file).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList() : [];

    public ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
        File.Delete(_file);
        return ValueTask.CompletedTask;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
