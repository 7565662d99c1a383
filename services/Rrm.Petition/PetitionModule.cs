using Rrm.Petition.Application;
using Rrm.Petition.Data;
using Rrm.Petition.Grpc;
using Rrm.ServiceDefaults;
using Rrm.ServiceDefaults.Security;
using Rrm.ServiceDefaults.Telemetry;
using Rrm.ServiceDefaults.Messaging;

namespace Rrm.Petition;

/// <summary>The Petition service's wiring.</summary>
public static class PetitionModule
{
    public const string ServiceName = "petition";

    public static WebApplicationBuilder AddPetition(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddServiceDatabase<PetitionDbContext>(PetitionDbContext.SchemaName);
        builder.Services.AddDatabaseGauge<PetitionDbContext>(new("rrm.petitions", "Petitions by status", "status",
            "SELECT status, count(*) FROM petition.petitions GROUP BY status"));
        builder.AddServiceMessaging(ServiceName);
        builder.Services.AddScoped<PetitionCommands>();
        builder.Services.AddScoped<FacilityCommands>();
        builder.Services.AddDeadlineHandler<IlcReviewReminderHandler>();
        builder.Services.AddDeadlineHandler<IlcReviewOverdueHandler>();
        return builder;
    }

    public static WebApplication MapPetition(this WebApplication app)
    {
        app.MapGrpcService<FacilityGrpcService>().RequireRpcRoles();
        app.MapGrpcService<PetitionGrpcService>().RequireRpcRoles();
        return app;
    }
}
