using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Rrm.Contracts.Events;
using Rrm.Grpc.Notification.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using static Rrm.Notification.Tests.NotificationFixture;

namespace Rrm.Notification.Tests;

/// <summary>
/// What readers of notifications and recipients learn (docs/security.md): nothing of petitioners unless they are the
/// ILC, not even whether a petition is anonymous; nothing of what a refusing mail server said; no webhook credentials.
/// </summary>
public sealed class ConfidentialityTests(NotificationFixture fixture) : IClassFixture<NotificationFixture>
{
    private static readonly Metadata Ustr = Tokens.For(Roles.UstrOfficer);
    private static readonly Metadata Auditor = Tokens.For(Roles.Auditor);

    private static ReviewRequested Requested(CaseRef c) => new()
    {
        Case = c, RequestDate = new DateOnly(2024, 7, 26), SuspendLiquidation = true, AnswerDueDate = new DateOnly(2024, 8, 5),
        ReviewDueDate = new DateOnly(2024, 9, 9),
    };

    /// <summary>(event, role, template, status) of each notification, in order: what a list says about a petition.</summary>
    private static List<string> Shape(IEnumerable<Rrm.Grpc.Notification.V1.Notification> notices) =>
        notices.Select(n => $"{n.EventType} {n.Role} {n.Template} {n.Status}").ToList();

    [Fact]
    public async Task Whether_a_petition_is_anonymous_shows_to_no_one_but_the_ilc()
    {
        var named = await fixture.SubmitPetitionAsync("lsom-named@lsom.example");
        var anonymous = await fixture.SubmitPetitionAsync(email: null);
        // Both petitions known here before their cases' events, as in life (the ILC determines before USTR requests a review).
        await fixture.SettledAsync(1, petitionId: named.PetitionId);
        await Eventually.GetAsync(() => fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM notification.received_events WHERE petition_id = '{anonymous.PetitionId}'"), n => n == 1, what: "the anonymous petition to be heard of");
        foreach (var petition in new[] { named, anonymous })
            await fixture.PublishAsync(Requested(Case(Guid.Parse(petition.PetitionId))));
        var namedNotices = await fixture.SettledAsync(7, petitionId: named.PetitionId);
        var anonymousNotices = await fixture.SettledAsync(5, petitionId: anonymous.PetitionId);
        var acknowledgement = namedNotices.First(n => n.Role == RecipientRole.Petitioner);

        // The ILC sees the petitioner's notices (and so which petition has none).
        Assert.Equal(2, namedNotices.Count(n => n.Role == RecipientRole.Petitioner));
        Assert.DoesNotContain(anonymousNotices, n => n.Role == RecipientRole.Petitioner);
        foreach (var reader in new[] { Ustr, Auditor, Admin })
        {
            var ofNamed = await fixture.ListAsync(petitionId: named.PetitionId, reader: reader);
            var ofAnonymous = await fixture.ListAsync(petitionId: anonymous.PetitionId, reader: reader);
            Assert.Equal(5, ofNamed.Count);
            Assert.Equal(Shape(ofAnonymous), Shape(ofNamed));
            Assert.DoesNotContain(await fixture.ListAsync(reader: reader), n => n.Role == RecipientRole.Petitioner);
            var shown = await Assert.ThrowsAsync<RpcException>(() => fixture.Notifications().GetNotificationAsync(
                new GetNotificationRequest { NotificationId = acknowledgement.NotificationId }, reader).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, shown.StatusCode);
        }
        var retried = await Assert.ThrowsAsync<RpcException>(() => fixture.Notifications().RetryNotificationAsync(
            new RetryNotificationRequest { NotificationId = acknowledgement.NotificationId }, Admin).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, retried.StatusCode);
        Assert.Equal(acknowledgement.NotificationId, (await fixture.Notifications().GetNotificationAsync(
            new GetNotificationRequest { NotificationId = acknowledgement.NotificationId }, Analyst)).Notification.NotificationId);
    }

    [Fact]
    public async Task A_petitioner_address_the_mail_server_refuses_is_kept_nowhere()
    {
        // The relay answers "550 5.1.1 <refused-rosa@lsom.example>: Recipient address rejected: …" at each attempt.
        var petition = await fixture.SubmitPetitionAsync("refused-rosa@lsom.example");

        var dead = Assert.Single(await fixture.SettledAsync(1, petitionId: petition.PetitionId));

        Assert.Equal((NotificationStatus.Dead, 3), (dead.Status, dead.Attempts));
        Assert.Equal("smtp 550 5.1.1 recipient refused", dead.LastError);
        Assert.DoesNotContain("rosa", dead.ToString());
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM notification.notifications WHERE last_error LIKE '%rosa%'"));
        Assert.Contains(fixture.Logs.Lines, l => l.Contains(dead.NotificationId) && l.Contains("smtp 550 5.1.1 recipient refused"));
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains("rosa", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Webhook_credentials_and_query_strings_are_never_shown_but_are_kept_for_sending()
    {
        const string address = "https://rrm:hunter2-password@hooks.lac.example/rrm/in?token=abc123#part";
        const string shown = "https://***@hooks.lac.example/rrm/in?***#***";
        var saved = (await fixture.Notifications().UpsertRecipientAsync(new UpsertRecipientRequest
        {
            Name = "Labor Advisory Committee hook", Role = RecipientRole.LaborAdvisoryCommittee, Channel = Channel.Webhook,
            Address = address, WebhookSecret = "a-secret-long-enough",
        }, Admin)).Recipient;
        try
        {
            var c = Case(null);
            await fixture.PublishAsync(new PanelDetermined { Case = c, DeterminationDate = new DateOnly(2024, 12, 2), DenialFound = false });
            var notice = (await fixture.SettledAsync(6, caseId: c.CaseId.ToString())).Single(n => n.RecipientId == saved.RecipientId);

            Assert.Equal(shown, saved.Address);
            Assert.Equal(shown, notice.Address);
            foreach (var reader in new[] { Admin, Analyst, Ustr, Auditor })
            {
                var listed = await fixture.Notifications().ListRecipientsAsync(new ListRecipientsRequest { Role = RecipientRole.LaborAdvisoryCommittee }, reader);
                Assert.Equal(shown, listed.Recipients.Single(r => r.RecipientId == saved.RecipientId).Address);
                Assert.DoesNotContain("hunter2", listed.ToString());
                Assert.DoesNotContain("abc123", listed.ToString());
                Assert.Equal(shown, (await fixture.Notifications().GetNotificationAsync(new GetNotificationRequest { NotificationId = notice.NotificationId }, reader))
                    .Notification.Address);
            }
            await using var db = fixture.Service.CreateDbContext();
            Assert.Equal(address, (await db.Recipients.SingleAsync(r => r.Id == Guid.Parse(saved.RecipientId))).Address);
            // E-mail addresses are shown as they are.
            Assert.Contains((await fixture.Notifications().ListRecipientsAsync(new ListRecipientsRequest(), Auditor)).Recipients, r => r.Address == "lac@dol.example");
        }
        finally
        {
            await fixture.Notifications().DeactivateRecipientAsync(new DeactivateRecipientRequest { RecipientId = saved.RecipientId }, Admin);
        }
    }
}
