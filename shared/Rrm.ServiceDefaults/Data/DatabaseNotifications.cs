using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Rrm.ServiceDefaults.Configuration;

namespace Rrm.ServiceDefaults.Data;

/// <summary>
/// One LISTEN connection per process for the service's notification channels (NOTIFY from triggers, delivered
/// at commit). Listeners get a wake-up per matching notification, and one after every (re)connect, since
/// notifications sent while disconnected are lost: a listener must re-read its table when woken, and also
/// poll, so nothing depends on a notification arriving.
/// </summary>
public sealed class DatabaseNotifications(
    IOptions<ConnectionStringOptions> connections,
    IOptions<DatabaseNotificationOptions> options,
    ILogger<DatabaseNotifications> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Listener, string> _listeners = new();

    /// <summary>
    /// Starts listening on <paramref name="channel"/> (one of <see cref="DatabaseNotificationOptions.Channels"/>);
    /// <paramref name="match"/> filters by payload. Dispose the listener to stop.
    /// </summary>
    public Listener Listen(string channel, Func<string, bool>? match = null)
    {
        if (!options.Value.Channels.Contains(channel))
            throw new InvalidOperationException($"Channel '{channel}' is not registered (AddDatabaseNotificationChannel).");
        var listener = new Listener(match, l => _listeners.TryRemove(l, out _));
        _listeners[listener] = channel;
        return listener;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connections.Value.Postgres);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Wake(e.Channel, e.Payload);
                foreach (var channel in options.Value.Channels)
                {
                    await using var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", connection);
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                foreach (var listener in _listeners.Keys) listener.Wake(); // anything sent while we were away
                while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
            catch (Exception e)
            {
                logger.LogWarning("Database LISTEN connection lost ({Error}); listeners poll until it is back", e.Message);
                try { await Task.Delay(options.Value.ReconnectDelay, stoppingToken); }
                catch (OperationCanceledException) { }
            }
        }
    }

    private void Wake(string channel, string payload)
    {
        foreach (var (listener, listenedChannel) in _listeners)
            if (listenedChannel == channel && listener.Matches(payload)) listener.Wake();
    }

    /// <summary>A subscription: wake-ups collapse into one until awaited.</summary>
    public sealed class Listener(Func<string, bool>? match, Action<Listener> remove) : IDisposable
    {
        private readonly Channel<bool> _wakeUps = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        internal bool Matches(string payload) => match?.Invoke(payload) ?? true;

        internal void Wake() => _wakeUps.Writer.TryWrite(true);

        /// <summary>Waits for a wake-up or <paramref name="timeout"/>, whichever comes first.</summary>
        public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(timeout);
            try { await _wakeUps.Reader.ReadAsync(timer.Token); }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { }
        }

        public void Dispose() => remove(this);
    }
}

/// <summary>The channels a service listens on; each service's schema adds its outbox channel.</summary>
public sealed class DatabaseNotificationOptions
{
    public HashSet<string> Channels { get; } = [];
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);
}
