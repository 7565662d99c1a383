using System.Text.Json;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using static Rrm.EndToEnd.Tests.Suite;
using static Rrm.Testing.ServiceStack;

namespace Rrm.EndToEnd.Tests;

/// <summary>
/// The demo's path: the Impro Mexico case of 2024 through the four services running as processes, with the
/// customs feed read by a consumer that is not .NET (tools/node/feed-consumer.js, amqplib), the mail that
/// reaches a real SMTP server, and the rrm client.
/// </summary>
[Collection("suite")]
public sealed class ImproCaseTests(Suite suite)
{
    [Fact]
    public async Task The_Impro_case_runs_to_resolution_with_its_instructions_on_the_feed_and_its_notifications_delivered()
    {
        // The customs system binds its queue before anything happens (docs/customs-feed.md).
        var queue = "customs-impro";
        var bind = await NodeTool.RunAsync("feed-consumer.js", TimeSpan.FromSeconds(30), "bind", suite.VirtualHost.AmqpUri, queue);
        Assert.True(bind.ExitCode == 0, bind.Error);

        var (facility, petition, contact) = await suite.PetitionAsync(Samples.Impro(), D(2024, 6, 24));
        Assert.Equal(D(2024, 7, 24), petition.ReviewDueDate);
        var opened = await suite.SufficientAsync(petition, D(2024, 7, 24));
        var requested = (await suite.Cases.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest
        {
            CaseId = opened.CaseId, Act = On(2024, 7, 26), SuspendLiquidation = true,
        }, Officer)).Case;
        await suite.Cases.RecordMexicoResponseAsync(new RecordMexicoResponseRequest
        {
            CaseId = opened.CaseId, Act = On(2024, 8, 5, "date assumed"), Response = MexicoResponse.Accepted,
        }, Officer);
        foreach (var action in new[] { "Reinstatement with back pay", "Neutrality statement posted and explained to each worker", "Management training", "Government training" })
            await suite.Cases.RecordRemediationActionAsync(new RecordRemediationActionRequest
            {
                CaseId = opened.CaseId, Act = On(2024, 9, 10), Description = action, Status = ActionStatus.Completed,
            }, Officer);
        await suite.Cases.ResolveCaseAsync(new ResolveCaseRequest { CaseId = opened.CaseId, Act = On(2024, 9, 17) }, Officer);

        // The case: its clocks and its timeline.
        Assert.Equal(D(2024, 8, 5), requested.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoAnswer).DueDate);
        Assert.Equal(D(2024, 9, 9), requested.Deadlines.Single(d => d.Kind == DeadlineKind.MexicoReview).DueDate);
        var resolved = (await suite.Cases.GetCaseAsync(new GetCaseRequest { CaseId = opened.CaseId }, Officer)).Case;
        Assert.Equal(CaseState.Resolved, resolved.State);
        Assert.Equal(D(2024, 7, 26), resolved.Timeline.Single(e => e.Kind == TimelineKind.LiquidationSuspended).EffectiveDate);
        Assert.Equal(D(2024, 9, 17), resolved.Timeline.Single(e => e.Kind == TimelineKind.LiquidationResumed).EffectiveDate);

        // The customs instructions, from the ledger and from the feed, in sequence.
        var ledger = await suite.InstructionsAsync(opened.CaseId, 2);
        Assert.Equal([InstructionKind.LiquidationSuspend, InstructionKind.LiquidationResume], ledger.Select(i => i.Kind));
        Assert.Equal(ledger[0].Sequence + 1, ledger[1].Sequence);
        Assert.All(ledger, i => Assert.Equal(facility.Mids, i.Mids));
        Assert.Equal(D(2024, 7, 26), ledger[0].EffectiveDate);
        Assert.Equal(D(2024, 9, 17), ledger[1].EffectiveDate);
        Assert.Equal(D(2025, 3, 17), ledger[1].LiquidateBy);
        var read = await NodeTool.RunAsync("feed-consumer.js", TimeSpan.FromSeconds(60), "read", suite.VirtualHost.AmqpUri, queue, "2", "30000", opened.CaseId);
        Assert.True(read.ExitCode == 0, $"exit {read.ExitCode}: {read.Error} {read.Output}");
        var feed = read.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["liquidation.suspend", "liquidation.resume"], feed.Select(m => m.GetProperty("routingKey").GetString()));
        Assert.Equal(ledger.Select(i => $"{i.Sequence}"), feed.Select(m => m.GetProperty("headers").GetProperty("sequence").GetString()));
        Assert.Equal(ledger.Select(i => i.InstructionId), feed.Select(m => m.GetProperty("messageId").GetString()));
        Assert.Equal("2025-03-17", LongDate(feed[1].GetProperty("instruction").GetProperty("liquidateBy")));

        // Who was told what: the petitioner and Mexico in Spanish, Treasury and the public in English.
        var ofPetition = await suite.NotifiedAsync(2, petitionId: petition.PetitionId);
        var ofCase = await suite.NotifiedAsync(10, caseId: opened.CaseId);
        Assert.All(ofPetition.Concat(ofCase), n => Assert.Equal(NotificationStatus.Sent, n.Status));
        Assert.Equal(["petition-acknowledgement", "sufficient-determination"], ofPetition.Where(n => n.CaseId.Length == 0).Select(n => n.Template));
        var sequence = ofCase.Where(n => n.Role is RecipientRole.GovernmentOfMexico or RecipientRole.TreasuryCbp or RecipientRole.PublicAnnouncements)
            .Select(n => (n.Template, n.Language)).ToList();
        Assert.Equal([("request-for-review", "es"), ("suspension-direction", "en"), ("request-announcement", "en"),
            ("resumption-direction", "en"), ("resolution-announcement", "en")], sequence);
        var toPetitioner = suite.MailTo(contact);
        Assert.Equal(3, toPetitioner.Count); // the acknowledgement, the request for review, the resolution
        Assert.All(toPetitioner, m => Assert.Equal("es", m.GetProperty("language").GetString()));
        Assert.StartsWith("Recibimos su petición", toPetitioner[0].GetProperty("subject").GetString());
        var toMexico = suite.MailTo("rrm@economia.example").Single(m => m.GetProperty("text").GetString()!.Contains(facility.LegalName)
                                                                      && m.GetProperty("subject").GetString()!.StartsWith("Solicitud de revisión"));
        Assert.Contains("26 de julio de 2024", toMexico.GetProperty("text").GetString());
        Assert.Contains("9 de septiembre de 2024", toMexico.GetProperty("text").GetString());
        var toTreasury = suite.MailTo("liquidation@cbp.example").Select(m => m.GetProperty("subject").GetString()!).Where(s => s.Contains(facility.LegalName)).ToList();
        Assert.Equal([$"Suspend liquidation: goods from {facility.LegalName} (MIDs {facility.Mids[0]})", $"Resume liquidation: goods from {facility.LegalName} (MIDs {facility.Mids[0]})"], toTreasury);
    }

    private static string LongDate(JsonElement date) =>
        $"{date.GetProperty("year").GetInt32():D4}-{date.GetProperty("month").GetInt32():D2}-{date.GetProperty("day").GetInt32():D2}";
}
