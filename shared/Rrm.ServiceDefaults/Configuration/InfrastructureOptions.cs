using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;

namespace Rrm.ServiceDefaults.Configuration;

/// <summary>Connection strings, from <c>ConnectionStrings__Postgres</c> and <c>ConnectionStrings__RabbitMq</c>.</summary>
public sealed class ConnectionStringOptions
{
    public const string SectionName = "ConnectionStrings";

    /// <summary>Npgsql connection string, e.g. <c>Host=127.0.0.1;Port=55432;Username=rrm;Password=rrm;Database=rrm</c>.</summary>
    [Required(ErrorMessage = "a PostgreSQL connection string is required (environment variable ConnectionStrings__Postgres)")]
    public string Postgres { get; set; } = "";

    /// <summary>
    /// AMQP URI, e.g. <c>amqp://rrm:rrm@127.0.0.1:55672/rrm</c> (the path is the virtual host). Required to serve, and
    /// checked when the service starts (<see cref="RequireRabbitMqOnStart"/>), not whenever these options are read:
    /// <c>migrate</c> reads them for PostgreSQL alone and runs without it.
    /// </summary>
    public string RabbitMq { get; set; } = "";

    /// <summary>
    /// The named instance whose <see cref="RabbitMq"/> is checked (validators of the default instance run on every read,
    /// `migrate`'s too). The bus is built from it, so a service cannot start without a usable URI.
    /// </summary>
    public const string BrokerInstance = "broker";

    /// <summary>The start of a service that uses the broker fails, naming the key, without a usable <see cref="RabbitMq"/>.</summary>
    public static void RequireRabbitMqOnStart(IServiceCollection services) =>
        services.AddOptions<ConnectionStringOptions>(BrokerInstance).BindConfiguration(SectionName)
            .Validate(o => Uri.TryCreate(o.RabbitMq, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps",
                $"Configuration key '{SectionName}:{nameof(RabbitMq)}': a RabbitMQ AMQP URI such as amqp://user:password@host:5672/vhost is required (environment variable ConnectionStrings__RabbitMq)")
            .ValidateOnStart();
}

/// <summary>How the services use RabbitMQ (section "Messaging").</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>
    /// Declare the consumers' queues as quorum queues (replicated across a RabbitMQ cluster's nodes; production).
    /// Set it before the queues first exist: RabbitMQ does not change the type of an existing queue.
    /// </summary>
    public bool QuorumQueues { get; set; }
}

/// <summary>Outbox relay tuning.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>How often the relay looks for rows when no LISTEN/NOTIFY wake-up arrives.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>How long one publish may wait for the broker's confirmation before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound of the exponential back-off between attempts to publish one message.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Durable deadline scheduler tuning.</summary>
public sealed class DeadlineOptions
{
    public const string SectionName = "Deadlines";

    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// An alert whose moment is already past when it is scheduled (an act recorded after the fact) waits this
    /// long, so the rest of a backfilled history can be recorded first (DESIGN.md §5: no false alarms).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan BackfillGrace { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Limits on what a caller may send.</summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>Largest gRPC request message accepted, in bytes.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;
}

/// <summary>The process (section "Hosting").</summary>
public sealed class HostingOptions
{
    public const string SectionName = "Hosting";

    /// <summary>
    /// On SIGTERM, how long calls in flight (and open streams) may take to finish before they are cut and the process
    /// exits. A pod's grace period must be longer than this plus its preStop pause.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
