using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.Petition.Data;
using Rrm.Review.Data;
using Rrm.ServiceDefaults.Security;
using Rrm.TariffLiquidation.Data;
using Rrm.Testing;

namespace Rrm.EndToEnd.Tests;

/// <summary>
/// The seed case through the Petition, Review and Tariff-Liquidation services, read from the customs feed by a
/// consumer that is not .NET (tools/node/feed-consumer.js, amqplib) and from ListInstructions.
/// </summary>
public sealed class CustomsFeedTests
{
    private static Date D(int y, int m, int d) => new() { Year = y, Month = m, Day = d };

    [Fact]
    public async Task The_Impro_case_suspends_and_resumes_liquidation_for_its_MIDs_on_the_feed()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var vhost = await TestVirtualHost.CreateAsync();
        foreach (var (migrate, schema) in new (Func<string, string, Task>, string)[]
                 {
                     (ServiceFactory<PetitionDbContext>.MigrateAsync, PetitionDbContext.SchemaName),
                     (ServiceFactory<ReviewDbContext>.MigrateAsync, ReviewDbContext.SchemaName),
                     (ServiceFactory<LiquidationDbContext>.MigrateAsync, LiquidationDbContext.SchemaName),
                 })
            await migrate(database.ConnectionString, schema);
        await using var petition = new ServiceFactory<PetitionDbContext>(database.ConnectionString, vhost.AmqpUri);
        await using var review = new ServiceFactory<ReviewDbContext>(database.ConnectionString, vhost.AmqpUri,
            new Dictionary<string, string?> { ["Review:PetitionUrl"] = "http://petition.test" },
            s => s.AddGrpcClient<FacilityService.FacilityServiceClient>().ConfigurePrimaryHttpMessageHandler(() => petition.Server.CreateHandler()));
        await using var liquidation = new ServiceFactory<LiquidationDbContext>(database.ConnectionString, vhost.AmqpUri);
        // Every consumer's queue is bound before the first event is published.
        await Task.WhenAll(petition.StartedAsync(), review.StartedAsync(), liquidation.StartedAsync());

        // The customs system binds its queue before anything happens (docs/customs-feed.md).
        var queue = "customs-e2e";
        var bind = await NodeTool.RunAsync("feed-consumer.js", TimeSpan.FromSeconds(30), "bind", vhost.AmqpUri, queue);
        Assert.True(bind.ExitCode == 0, bind.Error);

        var analyst = Tokens.For(Roles.IlcAnalyst);
        var officer = Tokens.For(Roles.UstrOfficer);
        var facilities = new FacilityService.FacilityServiceClient(petition.CreateChannel());
        var petitions = new PetitionService.PetitionServiceClient(petition.CreateChannel());
        var cases = new ReviewService.ReviewServiceClient(review.CreateChannel());
        var facility = (await facilities.RegisterFacilityAsync(Samples.Impro(), analyst)).Facility;
        var submitted = (await petitions.SubmitPetitionAsync(Samples.ImproPetition(facility.FacilityId), analyst)).Petition;
        await petitions.RecordDeterminationAsync(new RecordDeterminationRequest
        {
            PetitionId = submitted.PetitionId, Outcome = DeterminationOutcome.Sufficient, DeterminationDate = D(2024, 7, 24), Rationale = "Credible evidence.",
        }, analyst);
        var opened = await Eventually.GetAsync(async () => (await cases.ListCasesAsync(new ListCasesRequest { FacilityId = facility.FacilityId }, officer)).Cases.SingleOrDefault(),
            c => c is not null, what: "the case");
        await cases.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest { CaseId = opened!.CaseId, Act = new Act { EffectiveDate = D(2024, 7, 26) }, SuspendLiquidation = true }, officer);
        await cases.RecordMexicoResponseAsync(new RecordMexicoResponseRequest { CaseId = opened.CaseId, Act = new Act { EffectiveDate = D(2024, 8, 5) }, Response = MexicoResponse.Accepted }, officer);
        await cases.ResolveCaseAsync(new ResolveCaseRequest { CaseId = opened.CaseId, Act = new Act { EffectiveDate = D(2024, 9, 17) } }, officer);

        var read = await NodeTool.RunAsync("feed-consumer.js", TimeSpan.FromSeconds(60), "read", vhost.AmqpUri, queue, "2", "30000");
        Assert.True(read.ExitCode == 0, $"exit {read.ExitCode}: {read.Error} {read.Output}");
        var messages = read.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var bySequence = messages.OrderBy(m => long.Parse(m.GetProperty("instruction").GetProperty("sequence").GetString()!)).ToList();
        var (suspend, resume) = (bySequence[0], bySequence[1]);
        Assert.Equal("liquidation.suspend", suspend.GetProperty("routingKey").GetString());
        Assert.Equal("INSTRUCTION_KIND_LIQUIDATION_SUSPEND", suspend.GetProperty("instruction").GetProperty("kind").GetString());
        Assert.Equal(facility.Mids, suspend.GetProperty("instruction").GetProperty("mids").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(Date(2024, 7, 26), suspend.GetProperty("instruction").GetProperty("effectiveDate").ToString());
        Assert.Equal("liquidation.resume", resume.GetProperty("routingKey").GetString());
        Assert.Equal(Date(2024, 9, 17), resume.GetProperty("instruction").GetProperty("effectiveDate").ToString());
        Assert.Equal(Date(2025, 3, 17), resume.GetProperty("instruction").GetProperty("liquidateBy").ToString());
        Assert.All(messages, m => Assert.Equal(m.GetProperty("messageId").GetString(), m.GetProperty("headers").GetProperty("message-id").GetString()));
        Assert.All(messages, m => Assert.Equal("rrm.liquidation.v1.CustomsInstruction", m.GetProperty("headers").GetProperty("schema").GetString()));
        Assert.Equal(["1", "2"], bySequence.Select(m => m.GetProperty("headers").GetProperty("sequence").GetString()));

        var ledger = await new LiquidationService.LiquidationServiceClient(liquidation.CreateChannel())
            .ListInstructionsAsync(new ListInstructionsRequest(), Tokens.For(Roles.CustomsSystem));
        Assert.Equal(2, ledger.LastSequence);
        Assert.Equal(bySequence.Select(m => m.GetProperty("messageId").GetString()), ledger.Instructions.Select(i => i.InstructionId));
        Assert.All(ledger.Instructions, i => Assert.Equal(opened.CaseId, i.CaseId));
    }

    private static string Date(int y, int m, int d) => JsonSerializer.Serialize(new { year = y, month = m, day = d });
}
