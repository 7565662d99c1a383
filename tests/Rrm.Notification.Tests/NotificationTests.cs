using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Rrm.Contracts.Events;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using static Rrm.Notification.Tests.NotificationFixture;

namespace Rrm.Notification.Tests;

/// <summary>Who hears of what, delivered for real: e-mail through an SMTP server, webhooks to an HTTP listener.</summary>
public sealed class NotificationTests(NotificationFixture fixture) : IClassFixture<NotificationFixture>
{
    private static ReviewRequested Requested(CaseRef c) => new()
    {
        Case = c, RequestDate = new DateOnly(2024, 7, 26), SuspendLiquidation = true, AnswerDueDate = new DateOnly(2024, 8, 5),
        ReviewDueDate = new DateOnly(2024, 9, 9),
    };

    private static CaseResolved Resolved(CaseRef c) => new()
    {
        Case = c with { LiquidationSuspended = false }, ResolutionDate = new DateOnly(2024, 9, 17), LiquidationResumes = true, Summary = "",
    };

    [Fact]
    public async Task The_seed_case_notifies_each_stakeholder_in_order_in_their_language()
    {
        var petition = await fixture.SubmitPetitionAsync("lsom-seed@lsom.example");
        var petitionId = Guid.Parse(petition.PetitionId);
        await fixture.SettledAsync(1, petitionId: petition.PetitionId);
        var c = Case(petitionId);
        await fixture.PublishAsync(Requested(c));
        await fixture.SettledAsync(6, caseId: c.CaseId.ToString());
        await fixture.PublishAsync(Resolved(c));

        var all = await Eventually.GetAsync(async () => (await fixture.ListAsync(petitionId: petition.PetitionId)),
            list => list.Count(n => n.EventType == "CaseResolved") == 5 && list.All(n => n.Status == NotificationStatus.Sent), what: "every notification sent");
        var order = all.Select(n => (n.EventType, n.Role)).ToList();
        Assert.Equal(
        [
            ("PetitionReceived", RecipientRole.Petitioner),
            ("ReviewRequested", RecipientRole.GovernmentOfMexico),
            ("ReviewRequested", RecipientRole.TreasuryCbp),
            ("ReviewRequested", RecipientRole.PublicAnnouncements),
            ("ReviewRequested", RecipientRole.Petitioner),
            ("ReviewRequested", RecipientRole.SenateFinanceCommittee),
            ("ReviewRequested", RecipientRole.HouseWaysAndMeansCommittee),
            ("CaseResolved", RecipientRole.TreasuryCbp),
            ("CaseResolved", RecipientRole.PublicAnnouncements),
            ("CaseResolved", RecipientRole.Petitioner),
            // USTR's decision not to request a panel, certified (19 U.S.C. 4646(b)(4)).
            ("CaseResolved", RecipientRole.SenateFinanceCommittee),
            ("CaseResolved", RecipientRole.HouseWaysAndMeansCommittee),
        ], order);

        var petitioner = fixture.MailTo("lsom-seed@lsom.example");
        Assert.Equal(3, petitioner.Count);
        Assert.Equal("Recibimos su petición sobre Impro Industries Mexico, S. de R.L. de C.V.", petitioner[0].GetProperty("subject").GetString());
        Assert.Contains("24 de julio de 2024", petitioner[0].GetProperty("text").GetString());
        Assert.Equal("es", petitioner[0].GetProperty("language").GetString());
        var toMexico = fixture.MailTo("rrm@economia.gob.example").Last();
        Assert.StartsWith("Solicitud de revisión conforme al Anexo 31-A", toMexico.GetProperty("subject").GetString());
        Assert.Contains("5 de agosto de 2024", toMexico.GetProperty("text").GetString());
        Assert.Contains("9 de septiembre de 2024", toMexico.GetProperty("text").GetString());
        var press = fixture.MailTo("press@ustr.example").TakeLast(2).ToList();
        Assert.Contains("25th use of the mechanism, the 7th of 2024", press[0].GetProperty("text").GetString());
        Assert.StartsWith("United States announces successful resolution", press[1].GetProperty("subject").GetString());

        var treasury = fixture.Webhooks.To("/treasury").Where(d => d.Body.Contains(c.CaseId.ToString())).ToList();
        Assert.Equal(2, treasury.Count);
        foreach (var delivery in treasury)
        {
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(TreasurySecret),
                Encoding.UTF8.GetBytes($"{delivery.Headers["X-Rrm-Timestamp"]}.{delivery.Body}")));
            Assert.Equal(expected, delivery.Headers["X-Rrm-Signature"]);
        }
        var suspend = JsonDocument.Parse(treasury[0].Body).RootElement;
        Assert.StartsWith("Suspend liquidation: goods from Impro Industries Mexico", suspend.GetProperty("subject").GetString());
        Assert.Contains("MXIMPIND1250VIL", suspend.GetProperty("body").GetString());
        Assert.Contains("July 26, 2024", suspend.GetProperty("body").GetString());
        Assert.Equal(treasury[0].Headers["X-Rrm-Delivery"], suspend.GetProperty("notificationId").GetString());
        var resume = JsonDocument.Parse(treasury[1].Body).RootElement;
        Assert.StartsWith("Resume liquidation", resume.GetProperty("subject").GetString());
        Assert.Contains("September 17, 2024", resume.GetProperty("body").GetString());
    }

    [Fact]
    public async Task An_insufficient_determination_is_certified_to_both_committees_and_the_petitioner()
    {
        var petition = await fixture.SubmitPetitionAsync("lsom-insufficient@lsom.example");
        await fixture.SettledAsync(1, petitionId: petition.PetitionId);
        await new PetitionService.PetitionServiceClient(fixture.Petition.CreateChannel()).RecordDeterminationAsync(new RecordDeterminationRequest
        {
            PetitionId = petition.PetitionId, Outcome = DeterminationOutcome.Insufficient,
            DeterminationDate = new Rrm.Grpc.Common.V1.Date { Year = 2024, Month = 7, Day = 20 }, Rationale = "The evidence does not show a denial of rights.",
        }, Analyst);

        var settled = await fixture.SettledAsync(4, petitionId: petition.PetitionId);

        var certifications = settled.Where(n => n.EventType == "PetitionDetermined").ToList();
        Assert.Equal([RecipientRole.Petitioner, RecipientRole.SenateFinanceCommittee, RecipientRole.HouseWaysAndMeansCommittee], certifications.Select(n => n.Role));
        Assert.All(certifications, n => Assert.Equal(NotificationStatus.Sent, n.Status));
        var senate = fixture.MailTo("finance@senate.example").Last();
        Assert.StartsWith("Certification: the petition about Impro Industries Mexico", senate.GetProperty("subject").GetString());
        Assert.Contains("19 U.S.C. 4646(b)(2)", senate.GetProperty("text").GetString());
        Assert.Contains("The evidence does not show a denial of rights.", senate.GetProperty("text").GetString());
        Assert.StartsWith("Certificación", fixture.MailTo("lsom-insufficient@lsom.example").Last().GetProperty("subject").GetString());
    }

    [Fact]
    public async Task A_redelivered_event_sends_nothing_twice()
    {
        var c = Case(null);
        var message = Guid.NewGuid();

        await fixture.PublishAsync(Requested(c), message);
        var first = await fixture.SettledAsync(5, caseId: c.CaseId.ToString());
        await fixture.PublishAsync(Requested(c), message);
        await Task.Delay(1500);

        Assert.Equal(first.Count, (await fixture.ListAsync(caseId: c.CaseId.ToString())).Count);
        Assert.Single(fixture.Webhooks.To("/treasury"), d => d.Body.Contains(c.CaseId.ToString()));
        Assert.Single(fixture.MailTo("finance@senate.example"), m => m.GetProperty("text").GetString()!.Contains("July 26, 2024") &&
            m.GetProperty("messageId").GetString()!.Contains(first.Single(n => n.Role == RecipientRole.SenateFinanceCommittee).NotificationId));
    }

    [Fact]
    public async Task Events_replayed_from_an_imported_history_notify_nobody()
    {
        var c = Case(null, replayed: true);

        await fixture.PublishAsync(Requested(c));
        await Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM notification.received_events WHERE case_id = '{c.CaseId}'"),
            n => n == 1, what: "the event to be recorded");

        Assert.Empty(await fixture.ListAsync(caseId: c.CaseId.ToString()));
    }

    [Fact]
    public async Task A_preview_renders_without_sending()
    {
        var before = await fixture.CountAsync("notifications");

        var preview = await fixture.Notifications().PreviewNotificationAsync(new PreviewNotificationRequest
        {
            EventType = "ReviewRequested", Role = RecipientRole.GovernmentOfMexico, Language = "es",
        }, Admin);
        var english = await fixture.Notifications().PreviewNotificationAsync(new PreviewNotificationRequest
        {
            EventType = "ReviewRequested", Template = "suspension-direction", Language = "es",
        }, Admin);

        Assert.Equal(("request-for-review", "es"), (preview.Template, preview.Language));
        Assert.Contains("26 de julio de 2024", preview.Body);
        Assert.Equal("en", english.Language); // no Spanish version: English
        Assert.Contains("MXIMPIND1250VIL", english.Subject);
        Assert.Equal(before, await fixture.CountAsync("notifications"));
    }

    public static TheoryData<string, UpsertRecipientRequest> BadRecipients => new()
    {
        { "name", Email("", RecipientRole.PublicAnnouncements, "press@example.org") },
        { "address", Email("Press", RecipientRole.PublicAnnouncements, "not an address") },
        { "role", Email("A petitioner", RecipientRole.Petitioner, "someone@example.org") },
        { "role", Email("Nobody", RecipientRole.Unspecified, "someone@example.org") },
        { "language", Email("Press", RecipientRole.PublicAnnouncements, "press@example.org", "fr") },
        { "webhook_secret", new UpsertRecipientRequest { Name = "Hook", Role = RecipientRole.TreasuryCbp, Channel = Channel.Webhook, Address = "https://cbp.example/hook" } },
        { "address", new UpsertRecipientRequest { Name = "Hook", Role = RecipientRole.TreasuryCbp, Channel = Channel.Webhook, Address = "ftp://cbp.example", WebhookSecret = "a-secret-long-enough" } },
        { "channel", new UpsertRecipientRequest { Name = "Hook", Role = RecipientRole.TreasuryCbp, Address = "https://cbp.example" } },
    };

    [Theory]
    [MemberData(nameof(BadRecipients))]
    public async Task A_bad_recipient_is_InvalidArgument_naming_the_field_and_stores_nothing(string field, UpsertRecipientRequest request)
    {
        var before = await fixture.CountAsync("recipients");

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Notifications().UpsertRecipientAsync(request, Admin).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field + ":", error.Status.Detail);
        Assert.Equal(before, await fixture.CountAsync("recipients"));
    }

    [Fact]
    public async Task Recipients_are_managed_by_notification_admins_and_webhook_secrets_never_come_back()
    {
        var denied = await Assert.ThrowsAsync<RpcException>(() => fixture.Notifications().UpsertRecipientAsync(
            Email("Press", RecipientRole.PublicAnnouncements, "other@example.org"), Tokens.For(Roles.UstrOfficer)).ResponseAsync);
        var customs = await Assert.ThrowsAsync<RpcException>(() => fixture.Notifications().ListNotificationsAsync(new ListNotificationsRequest(), Tokens.For(Roles.CustomsSystem)).ResponseAsync);
        var listed = await fixture.Notifications().ListRecipientsAsync(new ListRecipientsRequest { Role = RecipientRole.TreasuryCbp }, Tokens.For(Roles.Auditor));

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, customs.StatusCode);
        Assert.True(Assert.Single(listed.Recipients).HasWebhookSecret);
        Assert.DoesNotContain(TreasurySecret, listed.ToString());
    }

    [Fact]
    public async Task A_petitioner_notification_never_shows_the_address()
    {
        var petition = await fixture.SubmitPetitionAsync("lsom-private@lsom.example");

        var settled = await fixture.SettledAsync(1, petitionId: petition.PetitionId);

        var ack = Assert.Single(settled, n => n.Role == RecipientRole.Petitioner);
        Assert.Equal(NotificationStatus.Sent, ack.Status);
        Assert.Equal("", ack.Address);
        Assert.DoesNotContain("lsom-private", ack.ToString());
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM notification.notifications WHERE address LIKE '%lsom%' OR body LIKE '%lsom%'"));
        Assert.Single(fixture.MailTo("lsom-private@lsom.example"));
    }
}
