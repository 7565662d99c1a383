using Rrm.Review.Data;
using Rrm.ServiceDefaults;
using Rrm.ServiceDefaults.Messaging;

namespace Rrm.Review;

/// <summary>The Review service's wiring. Its domain arrives with its own issue.</summary>
public static class ReviewModule
{
    public const string ServiceName = "review";

    public static WebApplicationBuilder AddReview(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddServiceDatabase<ReviewDbContext>(ReviewDbContext.SchemaName);
        builder.AddServiceMessaging(ServiceName);
        return builder;
    }
}
