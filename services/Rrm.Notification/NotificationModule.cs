using Rrm.Notification.Data;
using Rrm.Notification.Messaging;
using Rrm.ServiceDefaults;
using Rrm.ServiceDefaults.Messaging;

namespace Rrm.Notification;

/// <summary>The Notification service's wiring.</summary>
public static class NotificationModule
{
    public const string ServiceName = "notification";

    public static WebApplicationBuilder AddNotification(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddServiceDatabase<NotificationDbContext>(NotificationDbContext.SchemaName);
        builder.AddServiceMessaging(ServiceName, bus => bus.AddConsumer<PetitionReceivedConsumer>());
        return builder;
    }
}
