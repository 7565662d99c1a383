using MassTransit;
using Microsoft.Extensions.Options;
using Rrm.Grpc.Petition.V1;
using Rrm.Notification.Application;
using Rrm.Notification.Data;
using Rrm.Notification.Grpc;
using Rrm.Notification.Messaging;
using Rrm.ServiceDefaults;
using Rrm.ServiceDefaults.Telemetry;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Messaging;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Notification;

/// <summary>The Notification service's wiring.</summary>
public static class NotificationModule
{
    public const string ServiceName = "notification";

    public static WebApplicationBuilder AddNotification(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddServiceDatabase<NotificationDbContext>(NotificationDbContext.SchemaName);
        builder.Services.AddDatabaseGauge<NotificationDbContext>(new("rrm.notifications", "Notifications by status (dead ones wait for RetryNotification)", "status",
            "SELECT status, count(*) FROM notification.notifications GROUP BY status"));
        // Notices are made in the order of the events, so each stakeholder hears of a case's steps in order.
        builder.AddServiceMessaging(ServiceName, bus => bus.AddConsumersInOrder($"{ServiceName}-events", EventNotifiers.Consumers));
        builder.Services.AddValidatedOptions<NotificationOptions>(NotificationOptions.SectionName);
        builder.Services.AddDatabaseNotificationChannel(NotificationDbContext.NoticesChannel);
        builder.Services.AddSingleton<TemplateRenderer>();
        builder.Services.AddScoped<NotificationPlanner>();
        builder.Services.AddSingleton<EmailSender>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<IPetitionerContacts, PetitionerContacts>();
        builder.Services.AddHostedService<Dispatcher>();
        builder.Services.AddSingleton<WebhookTargets>();
        builder.Services.AddHttpClient(WebhookSender.ClientName, (sp, client) =>
                client.Timeout = sp.GetRequiredService<IOptions<NotificationOptions>>().Value.WebhookTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Each connection is checked on the address it goes to; a redirect or a proxy would go past that.
                ConnectCallback = sp.GetRequiredService<WebhookTargets>().ConnectAsync,
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
            })
            // The client's own log lines would carry the webhook's URL, credentials and query included.
            .RemoveAllLoggers();
        builder.Services.AddServiceClient<PetitionService.PetitionServiceClient>(sp => sp.GetRequiredService<IOptions<NotificationOptions>>().Value.PetitionUrl);
        // Its own token for reading petitioners' contacts (docs/security.md, "Calls between services").
        builder.Services.AddServiceToken("notification-service", Roles.PetitionContactReader);
        return builder;
    }

    public static WebApplication MapNotification(this WebApplication app)
    {
        app.MapGrpcService<NotificationGrpcService>().RequireRpcRoles();
        return app;
    }
}
