using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Data;

namespace Rrm.ServiceDefaults.Telemetry;

/// <summary>
/// A business metric read from the service's own tables (DESIGN.md §7: cases by state, deadlines running and
/// overdue, instructions issued…): <see cref="Sql"/> returns rows of (tag value, count), reported with the tag
/// <see cref="Tag"/>; or, with no tag, one row of one value. Exact, since it is counted where the truth is.
/// </summary>
public sealed record DatabaseGauge(string Name, string Description, string? Tag, string Sql, string? Unit = null);

/// <summary>Telemetry settings (section "Telemetry").</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>How often the database gauges are counted again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan GaugeInterval { get; set; } = TimeSpan.FromSeconds(30);
}

public static class DatabaseGaugeExtensions
{
    public static void AddDatabaseGauge<TDb>(this IServiceCollection services, DatabaseGauge gauge) where TDb : RrmDbContext
    {
        services.AddValidatedOptions<TelemetryOptions>(TelemetryOptions.SectionName);
        services.AddMetrics();
        services.AddSingleton(gauge);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DatabaseGauges<TDb>>());
    }
}

/// <summary>
/// Counts the gauges every Telemetry:GaugeInterval; the instruments report the latest counts. The counts are the
/// service's, not the replica's, so one replica reports them: the one holding a session advisory lock on its own
/// connection. The others report nothing, and one of them takes over when that connection ends.
/// </summary>
public sealed class DatabaseGauges<TDb>(
    IServiceScopeFactory scopes, IEnumerable<DatabaseGauge> gauges, IMeterFactory meters, IOptions<TelemetryOptions> options,
    ILogger<DatabaseGauges<TDb>> logger) : BackgroundService where TDb : RrmDbContext
{
    private volatile Dictionary<string, Measurement<long>[]> _latest = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var meter = RrmMetrics.ForHost(meters);
        foreach (var gauge in gauges)
            meter.CreateObservableGauge(gauge.Name, () => _latest.GetValueOrDefault(gauge.Name, []), gauge.Unit, gauge.Description);
        var (connectionString, schema) = await DatabaseAsync(stoppingToken);
        NpgsqlConnection? connection = null;
        var reporting = false;
        using var timer = new PeriodicTimer(options.Value.GaugeInterval);
        try
        {
            do
            {
                try
                {
                    connection ??= await OpenAsync(connectionString, stoppingToken);
                    reporting = reporting || await TryLeadAsync(connection, schema, stoppingToken);
                    _latest = reporting ? await CountAsync(connection, stoppingToken) : [];
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Counting the database gauges failed; this replica reports none until it counts again");
                    _latest = [];
                    reporting = false;
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    private async Task<(string ConnectionString, string Schema)> DatabaseAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await Task.Yield();
        ct.ThrowIfCancellationRequested();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        // Unpooled: closing it must end the session, and with it the lock.
        var connectionString = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString;
        return (connectionString, db.Schema);
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            // The server notices a replica gone with its node within about a minute and a half, and frees the lock.
            await using var keepalives = connection.CreateCommand();
            keepalives.CommandText = "SET tcp_keepalives_idle = 60; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3";
            await keepalives.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether this replica's connection now holds the service's gauge lock (held until the connection closes).</summary>
    private static async Task<bool> TryLeadAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_try_advisory_lock(hashtext('rrm.database-gauges'), hashtext(@schema))";
        command.Parameters.AddWithValue("schema", schema);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task<Dictionary<string, Measurement<long>[]>> CountAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var latest = new Dictionary<string, Measurement<long>[]>();
        foreach (var gauge in gauges)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = gauge.Sql;
            var counts = new List<Measurement<long>>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                counts.Add(gauge.Tag is null
                    ? new Measurement<long>(reader.GetInt64(0))
                    : new Measurement<long>(reader.GetInt64(1), new KeyValuePair<string, object?>(gauge.Tag, reader.GetString(0))));
            latest[gauge.Name] = [.. counts];
        }
        return latest;
    }
}
