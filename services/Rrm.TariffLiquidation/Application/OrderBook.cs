using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Npgsql;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Hosting;
using Rrm.TariffLiquidation.Data;

namespace Rrm.TariffLiquidation.Application;

/// <summary>
/// The orders the entry gate answers from (<see cref="OrderSnapshot"/>), kept current from the instruction ledger
/// (docs/adr/0011). One connection of its own LISTENs on the ledger's channel before loading, reloads on each
/// notification and checks the ledger's last sequence every <see cref="LiquidationOptions.GateCheckInterval"/>. The
/// snapshot is current while that connection holds and its last check is at most
/// <see cref="LiquidationOptions.GateMaxStaleness"/> old: the checks run on the listening connection, so a check that
/// succeeds also shows no notification can have been missed. Otherwise the gate refuses (UNAVAILABLE) and readiness
/// says why, rather than answer from orders that may be stale.
/// </summary>
internal sealed class OrderBook(IOptions<ConnectionStringOptions> connections, IOptions<LiquidationOptions> options, ILogger<OrderBook> logger)
    : BackgroundService
{
    /// <summary>The listening connection's <c>application_name</c>, as <c>pg_stat_activity</c> shows it.</summary>
    public const string ApplicationName = "tariff-liquidation order book";

    /// <summary>How long a call waits for the snapshot to reach its <c>min_ledger_sequence</c> (or to load, at start-up).</summary>
    public static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(1);

    // How often the loop looks up from waiting for notifications to serve a caller that asked for a later sequence.
    private const int SliceMilliseconds = 20;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    private volatile OrderSnapshot? _snapshot;
    // Stopwatch timestamp at which the last successful check began; 0 while the connection is down (none since it came up).
    private long _confirmedAt;
    private volatile string _down = "it has not loaded the orders yet";
    private volatile bool _notified;
    private volatile bool _catchUpWanted;
    private TaskCompletionSource _checked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The snapshot, if it is current now; otherwise why not, in words.</summary>
    public bool IsCurrent([NotNullWhen(true)] out OrderSnapshot? snapshot, out string why)
    {
        snapshot = _snapshot;
        var confirmed = Interlocked.Read(ref _confirmedAt);
        if (snapshot is null || confirmed == 0)
        {
            why = _down;
            return false;
        }
        var age = Stopwatch.GetElapsedTime(confirmed);
        var max = options.Value.GateMaxStaleness;
        why = age > max ? $"its last check against the instruction ledger was {age.TotalSeconds:N1} s ago (more than {max.TotalSeconds:N1} s)" : "";
        return why.Length == 0;
    }

    /// <summary>
    /// The current snapshot, reflecting at least <paramref name="minSequence"/>. Behind it (or not loaded yet, at start-up),
    /// catches up for up to <see cref="CatchUpTimeout"/>; cut off from the ledger, refuses at once.
    /// </summary>
    /// <exception cref="UnavailableException">The snapshot cannot be shown current, or does not reach the sequence.</exception>
    public async ValueTask<OrderSnapshot> CurrentAsync(long minSequence, CancellationToken ct)
    {
        if (IsCurrent(out var snapshot, out var why) && snapshot.Sequence >= minSequence) return snapshot;
        if (why.Length > 0 && _snapshot is not null) throw Refusal(why);
        _catchUpWanted = true;
        var deadline = Stopwatch.GetTimestamp() + (long)(CatchUpTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var next = Volatile.Read(ref _checked).Task;
            if (IsCurrent(out snapshot, out why) && snapshot.Sequence >= minSequence) return snapshot;
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero)
                throw Refusal(why.Length > 0 ? why
                    : $"it reflects the instruction ledger up to sequence {snapshot!.Sequence}, and did not reach {minSequence} within {CatchUpTimeout.TotalSeconds:N0} s");
            try { await next.WaitAsync(left, ct); }
            catch (TimeoutException) { }
        }
    }

    private static UnavailableException Refusal(string why) =>
        new($"This replica of the entry gate cannot show that its orders are current: {why}. Ask another replica, or again after a back-off.");

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString());
                await connection.OpenAsync(stop);
                connection.Notification += (_, _) => _notified = true;
                // Listening before loading: an instruction committed after the load's snapshot is then always notified.
                await using (var listen = new NpgsqlCommand($"LISTEN \"{LiquidationDbContext.InstructionsChannel}\"", connection))
                    await listen.ExecuteNonQueryAsync(stop);
                await KeepCurrentAsync(connection, () => failures = 0, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            catch (Exception e)
            {
                Interlocked.Exchange(ref _confirmedAt, 0);
                _down = $"its connection to the database for the instruction ledger failed at {DateTime.UtcNow:HH:mm:ss} UTC ({e.Message}); reconnecting";
                Signal();
                failures++;
                logger.LogWarning("Entry gate not current: its connection to the instruction ledger failed ({Error}); reconnecting (attempt {Attempt})",
                    e.Message, failures);
                try { await Task.Delay(RetryBackoff.Delay(failures, FirstRetry, MaxRetry), stop); }
                catch (OperationCanceledException) { }
            }
        }
    }

    /// <summary>Load, then reload on each notification and check every interval; each round confirms the snapshot current.</summary>
    private async Task KeepCurrentAsync(NpgsqlConnection connection, Action connected, CancellationToken stop)
    {
        var interval = options.Value.GateCheckInterval;
        var reload = true; // after (re)connecting: notifications sent while away are lost
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            _notified = false; // set again by a notification that arrives during this round
            _catchUpWanted = false;
            var snapshot = _snapshot;
            if (reload || snapshot is null || await LastSequenceAsync(connection, stop) != snapshot.Sequence)
            {
                var loaded = await OrderSnapshot.LoadAsync(connection, stop);
                if (snapshot is null || Interlocked.Read(ref _confirmedAt) == 0)
                    logger.LogInformation("Entry gate current: {Orders} orders at ledger sequence {Sequence}", loaded.Orders, loaded.Sequence);
                _snapshot = loaded;
            }
            Interlocked.Exchange(ref _confirmedAt, started);
            connected();
            Signal();
            while (!_notified && !_catchUpWanted && Stopwatch.GetElapsedTime(started) < interval)
                await connection.WaitAsync(SliceMilliseconds, stop);
            reload = _notified;
        }
    }

    private static async Task<long> LastSequenceAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT last_sequence FROM liquidation.instruction_counter WHERE id = {InstructionCounter.SingleRow}", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Wakes the callers waiting for a check.</summary>
    private void Signal() =>
        Interlocked.Exchange(ref _checked, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// Its own physical connection (not pooled), named; a query or connect that hangs (a half-open connection) times out
    /// within the staleness bound and the loop reconnects.
    /// </summary>
    private string ConnectionString()
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(options.Value.GateMaxStaleness.TotalSeconds));
        return new NpgsqlConnectionStringBuilder(connections.Value.Postgres)
        {
            ApplicationName = ApplicationName, Pooling = false, Timeout = seconds, CommandTimeout = seconds,
        }.ConnectionString;
    }
}
