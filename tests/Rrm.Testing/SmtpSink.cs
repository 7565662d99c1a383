using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Rrm.Testing;

/// <summary>
/// A real SMTP server for a test class (tools/node/smtp-sink.js): what it receives, and the AUTH it is given, can be
/// read back. Plain SMTP unless told to offer TLS; no AUTH unless given credentials to require.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    /// <summary>How the first delivery of a Message-ID to a matching recipient fails, its data read: see <see cref="StartAsync"/>.</summary>
    public enum Failure { Drop, Defer, Stall }

    private readonly Process _process;
    private readonly string _file;
    private readonly string[] _temporary;

    public int Port { get; }

    private SmtpSink(Process process, string file, int port, string[] temporary) => (_process, _file, Port, _temporary) = (process, file, port, temporary);

    /// <summary>
    /// Starts the server. Recipients matching <paramref name="refuse"/> (a regular expression) are refused with 550.
    /// <paramref name="certificate"/>: offers STARTTLS with it (or TLS from the first byte, <paramref name="tlsOnConnect"/>).
    /// <paramref name="login"/>: requires AUTH (PLAIN or LOGIN) with these credentials before any mail.
    /// <paramref name="failOnce"/>: the first delivery of each Message-ID to a recipient matching the pattern fails after
    /// its data was received (and recorded): Drop closes the connection before the reply, Defer answers 451 4.3.0,
    /// Stall answers nothing. The next delivery of the same Message-ID is accepted.
    /// </summary>
    public static async Task<SmtpSink> StartAsync(string? refuse = null, TestCertificate? certificate = null, bool tlsOnConnect = false,
        (string User, string Password)? login = null, IEnumerable<(Failure Failure, string Pattern)>? failOnce = null)
    {
        var port = FreePort();
        var file = Path.Combine(Path.GetTempPath(), $"smtp-{Guid.NewGuid():N}.jsonl");
        var temporary = new List<string>();
        var start = new ProcessStartInfo("node") { WorkingDirectory = NodeTool.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "smtp-sink.js", port.ToString(), file }) start.ArgumentList.Add(a);
        if (refuse is not null) { start.ArgumentList.Add("--refuse"); start.ArgumentList.Add(refuse); }
        if (certificate is not null)
        {
            var (cert, key) = (Path.Combine(Path.GetTempPath(), $"smtp-{Guid.NewGuid():N}.crt"), Path.Combine(Path.GetTempPath(), $"smtp-{Guid.NewGuid():N}.key"));
            await File.WriteAllTextAsync(cert, certificate.CertificatePem);
            await File.WriteAllTextAsync(key, certificate.KeyPem);
            temporary.AddRange([cert, key]);
            foreach (var a in new[] { tlsOnConnect ? "--tls-on-connect" : "--starttls", cert, key }) start.ArgumentList.Add(a);
        }
        if (login is { } l) { start.ArgumentList.Add("--auth"); start.ArgumentList.Add($"{l.User}:{l.Password}"); }
        foreach (var (failure, pattern) in failOnce ?? [])
        {
            start.ArgumentList.Add("--fail-once");
            start.ArgumentList.Add($"{failure.ToString().ToLowerInvariant()}={pattern}");
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started");
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (ready is null || !ready.Contains("listening")) throw new InvalidOperationException($"smtp-sink did not start: {await process.StandardError.ReadToEndAsync()}");
        return new SmtpSink(process, file, port, [.. temporary]);
    }

    /// <summary>Every message accepted so far.</summary>
    public List<JsonElement> Messages() => Received().Where(m => m.GetProperty("outcome").GetString() == "accepted").ToList();

    /// <summary>Every message whose data arrived so far, accepted or failed as told (its "outcome").</summary>
    public List<JsonElement> Received() => Lines("message");

    /// <summary>Every AUTH the server was given so far: method, user, tls (whether the connection was encrypted then), accepted.</summary>
    public List<JsonElement> Authentications() => Lines("auth");

    private List<JsonElement> Lines(string kind) =>
        File.Exists(_file)
            ? File.ReadAllLines(_file).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())
                .Where(l => l.GetProperty("kind").GetString() == kind).ToList()
            : [];

    public ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
        foreach (var file in _temporary.Append(_file)) File.Delete(file);
        return ValueTask.CompletedTask;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
