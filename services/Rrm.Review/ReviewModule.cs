using Microsoft.Extensions.Options;
using Rrm.Grpc.Petition.V1;
using Rrm.Review.Application;
using Rrm.Review.Data;
using Rrm.Review.Domain;
using Rrm.Review.Grpc;
using Rrm.Review.Messaging;
using Rrm.ServiceDefaults;
using Rrm.ServiceDefaults.Security;
using Rrm.ServiceDefaults.Telemetry;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Deadlines;
using Rrm.ServiceDefaults.Messaging;

namespace Rrm.Review;

/// <summary>The Review service's wiring.</summary>
public static class ReviewModule
{
    public const string ServiceName = "review";

    public static WebApplicationBuilder AddReview(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddServiceDatabase<ReviewDbContext>(ReviewDbContext.SchemaName);
        builder.Services.AddDatabaseGauge<ReviewDbContext>(new("rrm.cases", "Cases by state", "state",
            "SELECT state, count(*) FROM review.cases GROUP BY state"));
        builder.Services.AddDatabaseGauge<ReviewDbContext>(new("rrm.deadlines.open", "Clocks running, by kind", "kind",
            "SELECT kind, count(*) FROM review.case_deadlines WHERE status = 'Open' GROUP BY kind"));
        builder.Services.AddDatabaseGauge<ReviewDbContext>(new("rrm.deadlines.overdue", "Clocks past their due date with the act still awaited, by kind", "kind",
            "SELECT kind, count(*) FROM review.case_deadlines WHERE status = 'Overdue' GROUP BY kind"));
        builder.AddServiceMessaging(ServiceName, bus => bus.AddConsumer<PetitionDeterminedConsumer>());
        builder.Services.AddValidatedOptions<ReviewOptions>(ReviewOptions.SectionName);
        builder.Services.AddDatabaseNotificationChannel(ReviewDbContext.TimelineChannel);
        builder.Services.AddSingleton(sp => new BusinessCalendar(sp.GetRequiredService<IOptions<ReviewOptions>>().Value.Holidays));
        builder.Services.AddSingleton<CaseClocks>();
        builder.Services.AddScoped<Invocations>();
        builder.Services.AddSingleton<StatisticsCache>();
        builder.Services.AddScoped<CaseEventMapper>();
        builder.Services.AddScoped<CaseCommands>();
        builder.Services.AddScoped<CaseQueries>();
        builder.Services.AddScoped<FacilityDirectory>();
        builder.Services.AddScoped<CaseHistoryImporter>();
        // One handler class for both alerts of a case's clocks, one instance per scheduler kind.
        foreach (var kind in (string[])[CaseClocks.MissedKind, CaseClocks.ReminderKind])
            builder.Services.AddScoped<IDeadlineHandler>(sp => ActivatorUtilities.CreateInstance<CaseDeadlineHandler>(sp, kind));
        builder.Services.AddServiceClient<FacilityService.FacilityServiceClient>(sp => sp.GetRequiredService<IOptions<ReviewOptions>>().Value.PetitionUrl);
        return builder;
    }

    public static WebApplication MapReview(this WebApplication app)
    {
        app.MapGrpcService<ReviewGrpcService>().RequireRpcRoles();
        return app;
    }
}
