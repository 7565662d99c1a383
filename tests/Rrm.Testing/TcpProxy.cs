using System.Net;
using System.Net.Sockets;

namespace Rrm.Testing;

/// <summary>
/// Forwards a local port to a real server, and can cut every connection, so a test makes the server
/// "unreachable" for one service without disturbing anything else.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();

    public int Port { get; }

    public TcpProxy(string host, int port)
    {
        _target = new IPEndPoint(Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork), port);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Start();
    }

    /// <summary>Accepts connections again after <see cref="Cut"/>.</summary>
    public void Start()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync(_listener, _stop.Token);
    }

    /// <summary>Closes every open connection and refuses new ones.</summary>
    public void Cut()
    {
        _stop.Cancel();
        _listener?.Stop();
        lock (_connections)
        {
            foreach (var c in _connections) c.Dispose();
            _connections.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(ct); }
            catch (Exception) { return; }
            var upstream = new TcpClient();
            try { await upstream.ConnectAsync(_target, ct); }
            catch (Exception) { client.Dispose(); upstream.Dispose(); continue; }
            lock (_connections) { _connections.Add(client); _connections.Add(upstream); }
            _ = PumpAsync(client, upstream, ct);
            _ = PumpAsync(upstream, client, ct);
        }
    }

    /// <summary>
    /// Holds every byte in flight, both ways, without closing anything (a network that silently stops delivering) until
    /// <see cref="Resume"/>, which delivers what was held.
    /// </summary>
    public void Stall() => Interlocked.CompareExchange(ref _stalled, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    public void Resume() => Interlocked.Exchange(ref _stalled, null)?.TrySetResult();

    private TaskCompletionSource? _stalled;

    private async Task PumpAsync(TcpClient from, TcpClient to, CancellationToken ct)
    {
        try
        {
            var buffer = new byte[81920];
            var source = from.GetStream();
            var target = to.GetStream();
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                if (Volatile.Read(ref _stalled) is { } stalled) await stalled.Task.WaitAsync(ct);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch (Exception) { }
        from.Dispose();
        to.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
