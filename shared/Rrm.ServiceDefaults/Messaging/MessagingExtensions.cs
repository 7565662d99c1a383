using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Hosting;

namespace Rrm.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit over RabbitMQ. Queues are named after the service and the consumer, so two services
    /// never compete for one queue. Failed messages are retried with exponential back-off, then moved to
    /// the consumer's <c>_error</c> queue: never acknowledged and dropped. Messaging:QuorumQueues makes the
    /// queues quorum queues.
    /// </summary>
    /// <summary>Retries, 2 s apart, of a message whose handling failed because the database was out of reach: 10 minutes.</summary>
    private const int DatabaseOutageRetries = 300;

    public static void AddServiceMessaging(this IHostApplicationBuilder builder, string serviceName,
        Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        builder.Services.AddValidatedOptions<ConnectionStringOptions>(ConnectionStringOptions.SectionName);
        ConnectionStringOptions.RequireRabbitMqOnStart(builder.Services);
        builder.Services.AddValidatedOptions<MessagingOptions>(MessagingOptions.SectionName);
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            configureConsumers?.Invoke(bus);
            bus.AddConfigureEndpointsCallback((context, name, endpoint) =>
            {
                // A database outage is waited out (the message stays unacknowledged, so a crash meanwhile loses nothing);
                // any other failure is retried a few times and then goes to the error queue.
                endpoint.UseMessageRetry(r =>
                {
                    r.Handle<Exception>(TransientFailure.Is);
                    r.Interval(DatabaseOutageRetries, TimeSpan.FromSeconds(2));
                });
                endpoint.UseMessageRetry(r =>
                {
                    r.Ignore<Exception>(TransientFailure.Is);
                    r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(400));
                });
                if (endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit) return;
                if (context.GetRequiredService<IOptions<MessagingOptions>>().Value.QuorumQueues) rabbit.SetQuorumQueue();
                // Replicas wait their turn on an ordered queue: one consumes, the others take over if it goes.
                if (context.GetServices<OrderedQueue>().Any(q => q.Name == name)) rabbit.SetQueueArgument("x-single-active-consumer", true);
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                // The checked instance: the host builds the bus before it runs its start-up validation.
                var uri = new Uri(context.GetRequiredService<IOptionsMonitor<ConnectionStringOptions>>().Get(ConnectionStringOptions.BrokerInstance).RabbitMq);
                rabbit.Host(uri, host =>
                {
                    var credentials = uri.UserInfo.Split(':', 2);
                    if (credentials[0].Length > 0) host.Username(Uri.UnescapeDataString(credentials[0]));
                    if (credentials.Length > 1) host.Password(Uri.UnescapeDataString(credentials[1]));
                    host.PublisherConfirmation = true;
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<BrokerConnection>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BrokerConnection>());
        builder.Services.AddHealthChecks().AddCheck<BrokerHealthCheck>("rabbitmq", tags: [ServiceDefaultsExtensions.BrokerTag]);
        // Start even when the broker is down: the health service "broker" reports it, and the outbox keeps the events.
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = false);
    }

    /// <summary>
    /// Consumers of events whose order matters (one case's history): one queue, one message at a time and one
    /// active consumer among the replicas (RabbitMQ's single active consumer), so they are handled in the order
    /// the publisher's outbox relay published them. Failures are retried in place (holding the queue) before a
    /// message goes to the error queue.
    /// </summary>
    public static void AddConsumersInOrder(this IBusRegistrationConfigurator bus, string queue, IEnumerable<Type> consumers)
    {
        bus.AddSingleton(new OrderedQueue(queue));
        foreach (var consumer in consumers)
            bus.AddConsumer(consumer).Endpoint(e =>
            {
                e.Name = queue;
                e.ConcurrentMessageLimit = 1;
            });
    }
}

internal sealed record OrderedQueue(string Name);
