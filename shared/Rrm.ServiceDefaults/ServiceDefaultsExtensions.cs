using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rrm.ServiceDefaults.Commands;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Deadlines;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Hosting;
using Rrm.ServiceDefaults.Messaging;
using Rrm.ServiceDefaults.Security;
using Rrm.ServiceDefaults.Telemetry;

namespace Rrm.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    // Health check tags. Not "ready": MassTransit tags its own bus check so, and readiness is the database alone.
    public const string LiveTag = "live";
    public const string ReadyTag = "readiness";
    public const string BrokerTag = "broker";

    /// <summary>What every service has: telemetry, gRPC with the error interceptor and limits, health, reflection, auth.</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        // Quiet defaults, below every other configuration source so settings (Logging__LogLevel__…) override them:
        // a line per state transition, not per SQL command or HTTP request.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
                // One line per entry, with its scopes: the trace and span ids (below), and a call's path.
                ["Logging:Console:FormatterName"] = "simple",
                ["Logging:Console:FormatterOptions:SingleLine"] = "true",
                ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
                ["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ ",
                ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
            },
        });
        // A line written while handling a call or a message names its trace, to find the trace from the log and back.
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Services.AddValidatedOptions<HostingOptions>(HostingOptions.SectionName);
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<HostingOptions>>((host, hosting) => host.ShutdownTimeout = hosting.Value.ShutdownTimeout);
        builder.Services.AddValidatedOptions<LimitsOptions>(LimitsOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddRrmTelemetry(serviceName);
        builder.AddRrmAuthentication();

        // gRPC needs HTTP/2; without TLS (h2c) that means HTTP/2 only, which probes and grpc-js need.
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.Interceptors.Add<ErrorInterceptor>());
        builder.Services.AddOptions<GrpcServiceOptions>()
            .Configure<IOptions<LimitsOptions>>((grpc, limits) => grpc.MaxReceiveMessageSize = limits.Value.MaxRequestBytes);
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks(o =>
            {
                o.Services.Map("", r => r.Tags.Contains(LiveTag));
                o.Services.Map("readiness", r => r.Tags.Contains(ReadyTag));
                o.Services.Map("broker", r => r.Tags.Contains(BrokerTag));
            })
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: [LiveTag]);
        return builder;
    }

    /// <summary>
    /// The service's DbContext in its own schema, with the outbox relay, the deadline scheduler, the
    /// migrator, the database readiness check and the outbox's age gauge.
    /// </summary>
    public static void AddServiceDatabase<TDb>(this IHostApplicationBuilder builder, string schema)
        where TDb : RrmDbContext
    {
        builder.Services.AddValidatedOptions<ConnectionStringOptions>(ConnectionStringOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Pooled: a context (and EF's scoped services behind it) is reused rather than built for every request.
        builder.Services.AddDbContextPool<TDb>((sp, o) =>
            o.UseServiceDatabase(sp.GetRequiredService<IOptions<ConnectionStringOptions>>().Value.Postgres, schema));
        builder.Services.AddScoped(sp => new CommandRunner(sp.GetRequiredService<TDb>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CommandRunner>>()));
        builder.Services.AddDatabaseNotificationChannel(DatabaseSetup.OutboxChannel(schema));
        builder.Services.TryAddSingleton<DatabaseNotifications>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseNotifications>());
        builder.Services.AddValidatedOptions<OutboxOptions>(OutboxOptions.SectionName);
        builder.Services.AddValidatedOptions<DeadlineOptions>(DeadlineOptions.SectionName);
        builder.Services.TryAddSingleton<FeedPublisher>();
        builder.Services.AddSingleton<OutboxRelay<TDb>>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay<TDb>>());
        builder.Services.AddSingleton<DeadlineScheduler<TDb>>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeadlineScheduler<TDb>>());
        builder.Services.AddSingleton<IDatabaseMigrator, DatabaseMigrator<TDb>>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TDb>>("postgres", tags: [ReadyTag]);
        // Events wait here while the broker is out of reach. Whole seconds, rounded up: 0 only when none waits.
        builder.Services.AddDatabaseGauge<TDb>(new("rrm.outbox.oldest_age", "Age of the oldest unpublished outbox message", Tag: null,
            $"""
            SELECT coalesce(ceil(greatest(extract(epoch FROM now() - min(created_at)), 0)), 0)::bigint
            FROM "{schema}".outbox_messages WHERE processed_at IS NULL
            """, Unit: "s"));
    }

    /// <summary>The status of requests that do not parse, health and reflection (anonymous), authentication and authorization.</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        // Before the rest, so it sees the status of every call: a request that does not parse is INVALID_ARGUMENT, not UNKNOWN.
        app.UseMalformedRequestStatus();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapGrpcReflectionService().AllowAnonymous();
        return app;
    }

    /// <summary>Adds a channel the service's <see cref="DatabaseNotifications"/> listens on.</summary>
    public static void AddDatabaseNotificationChannel(this IServiceCollection services, string channel) =>
        services.Configure<DatabaseNotificationOptions>(o => o.Channels.Add(channel));

    public static void AddDeadlineHandler<THandler>(this IServiceCollection services) where THandler : class, IDeadlineHandler =>
        services.AddScoped<IDeadlineHandler, THandler>();
}
