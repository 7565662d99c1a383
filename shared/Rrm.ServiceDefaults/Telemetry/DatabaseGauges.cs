using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Data;

namespace Rrm.ServiceDefaults.Telemetry;

/// <summary>
/// A business metric read from the service's own tables (DESIGN.md §7: cases by state, deadlines running and
/// overdue, instructions issued…): <see cref="Sql"/> returns rows of (tag value, count); the gauge reports each
/// count with the tag <see cref="Tag"/>. Exact, since it is counted where the truth is.
/// </summary>
public sealed record DatabaseGauge(string Name, string Description, string Tag, string Sql);

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
        services.AddSingleton(gauge);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DatabaseGauges<TDb>>());
    }
}

/// <summary>Counts the gauges every Telemetry:GaugeInterval; the instruments report the latest counts.</summary>
public sealed class DatabaseGauges<TDb>(
    IServiceScopeFactory scopes, IEnumerable<DatabaseGauge> gauges, IOptions<TelemetryOptions> options, ILogger<DatabaseGauges<TDb>> logger)
    : BackgroundService where TDb : RrmDbContext
{
    private static readonly ConcurrentDictionary<string, Measurement<long>[]> Latest = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var gauge in gauges)
            if (Latest.TryAdd(gauge.Name, []))
                RrmMetrics.Meter.CreateObservableGauge(gauge.Name, () => Latest[gauge.Name], description: gauge.Description);
        using var timer = new PeriodicTimer(options.Value.GaugeInterval);
        do
        {
            try { await CountAsync(stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Counting the database gauges failed; the last counts stand");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task CountAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var connection = scope.ServiceProvider.GetRequiredService<TDb>().Database.GetDbConnection();
        await connection.OpenAsync(ct);
        foreach (var gauge in gauges)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = gauge.Sql;
            var counts = new List<Measurement<long>>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                counts.Add(new Measurement<long>(reader.GetInt64(1), new KeyValuePair<string, object?>(gauge.Tag, reader.GetString(0))));
            Latest[gauge.Name] = [.. counts];
        }
    }
}
