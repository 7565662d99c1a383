using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Hosting;
using Rrm.ServiceDefaults.Telemetry;

namespace Rrm.ServiceDefaults.Messaging;

/// <summary>
/// Publishes outbox rows to the broker. Woken by LISTEN/NOTIFY when a transaction with outbox rows
/// commits, and by a poll as a fallback (a lost notification, a restart, rows waiting for a retry).
/// Rows are claimed with FOR UPDATE SKIP LOCKED, so several replicas never publish the same row;
/// a row is marked processed only after the broker confirmed it (at-least-once delivery).
/// </summary>
public sealed class OutboxRelay<TDb>(
    IServiceScopeFactory scopes,
    IOptions<OutboxOptions> options,
    DatabaseNotifications notifications,
    FeedPublisher feed,
    ILogger<OutboxRelay<TDb>> logger) : BackgroundService where TDb : RrmDbContext
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schema = await SchemaAsync(stoppingToken);
        using var wakeUps = notifications.Listen(DatabaseSetup.OutboxChannel(schema));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PublishBatchAsync(stoppingToken) == options.Value.BatchSize) { }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Outbox relay pass failed; retrying after the poll interval");
            }
            await wakeUps.WaitAsync(options.Value.PollInterval, stoppingToken);
        }
    }

    private async Task<string> SchemaAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return scope.ServiceProvider.GetRequiredService<TDb>().Schema;
    }

    /// <summary>Publishes one batch of due rows; returns how many rows it claimed.</summary>
    public async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        var publisher = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        await using var transaction = await db.BeginUnitOfWorkAsync(cancellationToken);
        var claimDue = $"""
                SELECT * FROM "{db.Schema}".outbox_messages
                WHERE processed_at IS NULL AND next_attempt_at <= now()
                ORDER BY id LIMIT {options.Value.BatchSize} FOR UPDATE SKIP LOCKED
                """;
        var rows = await db.OutboxMessages.FromSqlRaw(claimDue).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.Value.PublishTimeout);
                await PublishAsync(publisher, feed, row, timeout.Token);
                row.ProcessedAt = DateTimeOffset.UtcNow;
                RrmMetrics.OutboxPublished.Add(1);
                RrmMetrics.OutboxLag.Record((row.ProcessedAt.Value - row.CreatedAt).TotalMilliseconds);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                row.Attempts++;
                row.LastError = Truncate(e.Message, 2000);
                row.NextAttemptAt = DateTimeOffset.UtcNow + RetryBackoff.Delay(row.Attempts, FirstRetry, options.Value.MaxBackoff);
                RrmMetrics.OutboxFailed.Add(1);
                logger.LogWarning("Publishing outbox message {MessageId} ({Type}) failed, attempt {Attempts}; next at {NextAttemptAt}: {Error}",
                    row.MessageId, row.Type, row.Attempts, row.NextAttemptAt, e.Message);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }

    private static async Task PublishAsync(IPublishEndpoint publisher, FeedPublisher feed, OutboxMessage row, CancellationToken cancellationToken)
    {
        // Continue the trace of the request that wrote the row.
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = RrmTelemetry.Source.StartActivity("outbox publish", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.id", row.MessageId);
        activity?.SetTag("rrm.event", row.Type);
        if (row.Exchange is not null)
        {
            await feed.PublishAsync(row, cancellationToken);
            return;
        }
        var message = row.Deserialize();
        await publisher.Publish(message, message.GetType(), context => context.MessageId = row.MessageId, cancellationToken);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
