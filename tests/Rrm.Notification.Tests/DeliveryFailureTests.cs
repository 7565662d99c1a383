using Rrm.Contracts.Events;
using Rrm.Grpc.Notification.V1;
using Rrm.Notification.Data;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using static Rrm.Notification.Tests.NotificationFixture;

namespace Rrm.Notification.Tests;

/// <summary>Four public-announcement recipients: one that works, one the SMTP server refuses, a webhook answering 500, one too slow to answer.</summary>
public sealed class FailingRecipientsFixture : NotificationFixture
{
    protected override IEnumerable<UpsertRecipientRequest> Directory() =>
    [
        Email("Working press desk", RecipientRole.PublicAnnouncements, "press@ustr.example"),
        Email("Refused press desk", RecipientRole.PublicAnnouncements, "refused@press.example"),
        new() { Name = "Broken hook", Role = RecipientRole.PublicAnnouncements, Channel = Channel.Webhook, Address = Webhooks.Url("/broken"), WebhookSecret = "a-secret-long-enough" },
        new() { Name = "Slow hook", Role = RecipientRole.PublicAnnouncements, Channel = Channel.Webhook, Address = Webhooks.Url("/slow"), WebhookSecret = "a-secret-long-enough" },
    ];
}

/// <summary>Failing recipients are retried with back-off and end dead, visibly, without holding up the others.</summary>
public sealed class DeliveryFailureTests(FailingRecipientsFixture fixture) : IClassFixture<FailingRecipientsFixture>
{
    private static CaseResolved Resolved(CaseRef c) => new()
    {
        Case = c with { LiquidationSuspended = false }, ResolutionDate = new DateOnly(2024, 9, 17), LiquidationResumes = false, Summary = "",
    };

    [Fact]
    public async Task Failing_recipients_end_dead_after_the_retries_and_the_others_are_not_held_up()
    {
        fixture.Webhooks.Answer("/broken", 500);
        fixture.Webhooks.Answer("/slow", 200, TimeSpan.FromSeconds(3)); // longer than the 1 s webhook timeout
        var c = Case(null);
        await fixture.PublishAsync(Resolved(c));

        var settled = await fixture.SettledAsync(4, caseId: c.CaseId.ToString());

        var byName = settled.ToDictionary(n => n.Address);
        var working = byName["press@ustr.example"];
        Assert.Equal((NotificationStatus.Sent, 1), (working.Status, working.Attempts));
        foreach (var failing in new[] { "refused@press.example", fixture.Webhooks.Url("/broken"), fixture.Webhooks.Url("/slow") })
            Assert.Equal((NotificationStatus.Dead, 3), (byName[failing].Status, byName[failing].Attempts));
        Assert.Equal("smtp 550 5.1.1 recipient refused", byName["refused@press.example"].LastError);
        Assert.Equal("webhook http 5xx", byName[fixture.Webhooks.Url("/broken")].LastError);
        Assert.Equal("webhook timeout", byName[fixture.Webhooks.Url("/slow")].LastError);
        // Sent while the slow one was still on its first attempt.
        Assert.True(working.SentAt.ToDateTimeOffset() - working.CreatedAt.ToDateTimeOffset() < TimeSpan.FromSeconds(1),
            $"the working recipient waited {working.SentAt.ToDateTimeOffset() - working.CreatedAt.ToDateTimeOffset()}");
        // Back-off: each retry of the broken webhook waits longer than the one before.
        var attempts = fixture.Webhooks.To("/broken").Where(d => d.Body.Contains(c.CaseId.ToString())).Select(d => d.At).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.True(attempts[2] - attempts[1] > attempts[1] - attempts[0], $"retries at {string.Join(", ", attempts.Select(a => a.ToString("O")))}");
    }

    [Fact]
    public async Task A_refused_address_is_kept_nowhere_only_the_reply_code_and_a_class()
    {
        var c = Case(null);
        await fixture.PublishAsync(Resolved(c));
        var settled = await fixture.SettledAsync(4, caseId: c.CaseId.ToString());
        var refused = settled.Single(n => n.Address == "refused@press.example");

        // The relay answered "550 5.1.1 <refused@press.example>: Recipient address rejected: …"; none of its text is kept.
        Assert.Equal("smtp 550 5.1.1 recipient refused", refused.LastError);
        foreach (var reader in new[] { Admin, Tokens.For(Roles.Auditor), Tokens.For(Roles.UstrOfficer) })
        {
            var shown = (await fixture.Notifications().GetNotificationAsync(new GetNotificationRequest { NotificationId = refused.NotificationId }, reader)).Notification;
            Assert.Equal("smtp 550 5.1.1 recipient refused", shown.LastError);
        }
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM notification.notifications WHERE last_error LIKE '%press.example%' OR last_error LIKE '%rejected%'"));
        var failures = fixture.Logs.Lines.Where(l => l.Contains(refused.NotificationId)).ToList();
        Assert.Contains(failures, l => l.Contains("smtp 550 5.1.1 recipient refused"));
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains("refused@press.example") || l.Contains("Recipient address rejected"));
    }

    [Fact]
    public async Task A_dead_notification_brought_back_is_delivered_once_the_recipient_works()
    {
        fixture.Webhooks.Answer("/broken", 500);
        var c = Case(null);
        await fixture.PublishAsync(Resolved(c));
        var dead = (await fixture.SettledAsync(4, caseId: c.CaseId.ToString())).Single(n => n.Address == fixture.Webhooks.Url("/broken"));
        Assert.Equal(NotificationStatus.Dead, dead.Status);

        fixture.Webhooks.Answer("/broken", 204);
        var retried = (await fixture.Notifications().RetryNotificationAsync(new RetryNotificationRequest { NotificationId = dead.NotificationId }, Admin)).Notification;
        var sent = await Eventually.GetAsync(async () => (await fixture.Notifications().GetNotificationAsync(
            new GetNotificationRequest { NotificationId = dead.NotificationId }, Admin)).Notification, n => n.Status == NotificationStatus.Sent, what: "the retried delivery");

        Assert.Equal(NotificationStatus.Pending, retried.Status);
        Assert.Equal(1, sent.Attempts);
        var again = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => fixture.Notifications().RetryNotificationAsync(
            new RetryNotificationRequest { NotificationId = dead.NotificationId }, Admin).ResponseAsync);
        Assert.Equal(global::Grpc.Core.StatusCode.FailedPrecondition, again.StatusCode);
    }
}

/// <summary>One slow webhook recipient, for a restart during a delivery.</summary>
public sealed class SlowRecipientFixture : NotificationFixture
{
    // Room for the 800 ms answer on a loaded machine: a timeout would be retried, and the test would see two deliveries.
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Notification:WebhookTimeout"] = "00:00:05";
            return settings;
        }
    }

    protected override IEnumerable<UpsertRecipientRequest> Directory() =>
    [
        new() { Name = "Slow hook", Role = RecipientRole.PublicAnnouncements, Channel = Channel.Webhook, Address = Webhooks.Url("/slow"), WebhookSecret = "a-secret-long-enough" },
    ];
}

public sealed class RestartTests(SlowRecipientFixture fixture) : IClassFixture<SlowRecipientFixture>
{
    [Fact]
    public async Task A_restart_during_a_delivery_sends_nothing_twice()
    {
        fixture.Webhooks.Answer("/slow", 200, TimeSpan.FromMilliseconds(800));
        var c = Case(null);
        await fixture.PublishAsync(new CaseResolved { Case = c, ResolutionDate = new DateOnly(2024, 9, 17), LiquidationResumes = false, Summary = "" });
        await Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM notification.notifications WHERE case_id = '{c.CaseId}' AND status = 'Sending'"),
            n => n == 1, what: "the delivery to be under way");

        await fixture.Service.DisposeAsync(); // stops while the webhook is answering
        await using var restarted = await fixture.StartAsync<NotificationDbContext>(new Dictionary<string, string?>
        {
            ["Notification:PetitionUrl"] = "http://petition.test", ["Notification:PollInterval"] = "00:00:00.100",
            ["Notification:Smtp:Port"] = fixture.Smtp.Port.ToString(), ["Notification:Smtp:Security"] = "None",
            ["Notification:AllowHttpWebhooks"] = "true", ["Notification:AllowPrivateWebhookTargets"] = "true",
        });
        await Task.Delay(1500);

        Assert.Single(fixture.Webhooks.To("/slow"), d => d.Body.Contains(c.CaseId.ToString()));
        Assert.Equal("Sent", await fixture.Database.ScalarAsync<string>($"SELECT status FROM notification.notifications WHERE case_id = '{c.CaseId}'"));
    }
}
