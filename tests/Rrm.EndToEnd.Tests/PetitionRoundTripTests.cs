using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Notification.Data;
using Rrm.Petition.Data;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.EndToEnd.Tests;

public sealed class PetitionRoundTripTests
{
    [Fact]
    public async Task A_submitted_petition_reaches_the_Notification_service_through_the_outbox_and_the_broker()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "MassTransit" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var database = await TestDatabase.CreateAsync();
        await using var vhost = await TestVirtualHost.CreateAsync();
        await ServiceFactory<PetitionDbContext>.MigrateAsync(database.ConnectionString, PetitionDbContext.SchemaName);
        await ServiceFactory<NotificationDbContext>.MigrateAsync(database.ConnectionString, NotificationDbContext.SchemaName);
        // The petition leaves no contact, so the Notification service never has to call the Petition service here.
        await using var notification = new ServiceFactory<NotificationDbContext>(database.ConnectionString, vhost.AmqpUri,
            new Dictionary<string, string?> { ["Notification:PetitionUrl"] = "http://petition.invalid" });
        await using var petition = new ServiceFactory<PetitionDbContext>(database.ConnectionString, vhost.AmqpUri);
        _ = notification.Server;
        await notification.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));

        var channel = petition.CreateChannel();
        var analyst = Tokens.For(Roles.IlcAnalyst);
        var facility = (await new FacilityService.FacilityServiceClient(channel).RegisterFacilityAsync(new RegisterFacilityRequest
        {
            LegalName = "Impro Industries Mexico, S. de R.L. de C.V.", StreetAddress = "Carretera 57 km 1250", City = "Villa de Reyes",
            State = "SLP", Sector = Sector.Manufacturing,
        }, analyst)).Facility;
        var request = new SubmitPetitionRequest
        {
            FacilityId = facility.FacilityId,
            Petitioner = new Petitioner { Organization = "LSOM" },
            Narrative = "Dismissal of a worker for union activity.",
            Language = PetitionLanguage.Es,
            ReceivedDate = new Date { Year = 2024, Month = 6, Day = 24 },
        };
        request.AllegationCategories.Add(AllegationCategory.Retaliation);
        var submitted = (await new PetitionService.PetitionServiceClient(channel).SubmitPetitionAsync(request, analyst)).Petition;

        var summary = await Eventually.GetAsync(
            () => database.ScalarAsync<string?>(
                $"SELECT (SELECT summary FROM notification.received_events WHERE petition_id = '{submitted.PetitionId}')"),
            s => s is not null, what: "the Notification service to record the petition");
        Assert.Equal("Petition about Impro Industries Mexico, S. de R.L. de C.V. received 2024-06-24; ILC review due 2024-07-24", summary);
        // One trace runs from the gRPC request through the outbox relay to the consumer.
        var traceParent = await database.ScalarAsync<string>(
            $"SELECT trace_parent FROM petition.outbox_messages WHERE payload->>'petitionId' = '{submitted.PetitionId}'");
        var traceId = ActivityContext.Parse(traceParent, null).TraceId;
        Assert.Contains(spans, a => a.TraceId == traceId && a.Source.Name == "Microsoft.AspNetCore");
        // The consumer's span stops after its work is committed: wait for it rather than race it.
        await Eventually.GetAsync(() => Task.FromResult(spans.Any(a => a.TraceId == traceId && a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Consumer)),
            found => found, what: "the consumer's span in the request's trace");
        // Each service kept to its own schema.
        Assert.Equal(0, await database.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"));
    }
}
