using System.Text.Json;
using Microsoft.Extensions.Options;
using Rrm.Contracts.Events;
using Rrm.Grpc.Notification.V1;
using Rrm.Notification.Application;
using Rrm.Testing;
using static Rrm.Notification.Tests.NotificationFixture;

namespace Rrm.Notification.Tests;

/// <summary>
/// A relay that fails each message's first delivery once its data has arrived: by closing the connection before its
/// reply, by answering 451, or by not answering until the attempt times out (3 s here: room for a loaded machine on
/// the other attempts, and shorter than the lease, as it must be, or the notification would be taken up again while
/// its attempt still waits). One recipient for each.
/// </summary>
public sealed class FlakyRelayFixture : NotificationFixture
{
    protected override Task<SmtpSink> StartSmtpAsync() => SmtpSink.StartAsync(failOnce:
        [(SmtpSink.Failure.Drop, "^dropped@"), (SmtpSink.Failure.Defer, "^deferred@"), (SmtpSink.Failure.Stall, "^stalled@")]);

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Notification:SmtpTimeout"] = "00:00:03";
            settings["Notification:Lease"] = "00:00:20";
            return settings;
        }
    }

    protected override IEnumerable<UpsertRecipientRequest> Directory() =>
    [
        Email("Dropped desk", RecipientRole.PublicAnnouncements, "dropped@press.example"),
        Email("Deferred desk", RecipientRole.PublicAnnouncements, "deferred@press.example"),
        Email("Stalled desk", RecipientRole.PublicAnnouncements, "stalled@press.example"),
    ];
}

/// <summary>A message sent again after a failed attempt is the same message to the receiver: the same Message-ID.</summary>
public sealed class MessageIdTests(FlakyRelayFixture fixture) : IClassFixture<FlakyRelayFixture>
{
    [Fact]
    public async Task A_message_whose_first_attempt_failed_after_its_data_arrived_arrives_again_with_the_same_Message_ID()
    {
        var c = Case(null);
        await fixture.PublishAsync(new CaseResolved
        {
            Case = c with { LiquidationSuspended = false }, ResolutionDate = new DateOnly(2024, 9, 17), LiquidationResumes = false, Summary = "",
        });

        var settled = (await fixture.SettledAsync(3, caseId: c.CaseId.ToString())).ToDictionary(n => n.Address);

        foreach (var (address, outcome, firstError) in new[]
                 {
                     ("dropped@press.example", "dropped", "smtp connection failed"),
                     ("deferred@press.example", "deferred", "smtp 451 4.3.0 temporary failure"),
                     ("stalled@press.example", "stalled", "smtp timeout"),
                 })
        {
            var notice = settled[address];
            var receipts = fixture.Smtp.Received().Where(m => m.GetProperty("to")[0].GetString() == address).ToList();
            Assert.Equal((address, NotificationStatus.Sent, 2), (address, notice.Status, notice.Attempts));
            Assert.Equal([outcome, "accepted"], receipts.Select(m => m.GetProperty("outcome").GetString()));
            // The header itself, as it arrived both times: <notification id@the sender's domain>.
            Assert.All(receipts, m => Assert.Equal($"<{notice.NotificationId}@localhost>", MessageIdHeader(m)));
            // What the operator saw of the first attempt: its class.
            var logged = fixture.Logs.Lines.Single(l => l.Contains(notice.NotificationId) && l.Contains("attempt 1: "));
            Assert.Equal((address, firstError), (address, logged[(logged.IndexOf("attempt 1: ") + "attempt 1: ".Length)..logged.IndexOf("; ")]));
        }
    }

    /// <summary>The value of the one Message-ID header line as received (field names are case-insensitive: "Message-Id").</summary>
    private static string MessageIdHeader(JsonElement message) =>
        message.GetProperty("rawHeaders").EnumerateArray().Select(h => h.GetString()!)
            .Single(h => h.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))["Message-ID:".Length..].Trim();
}

/// <summary>
/// A relay as in production: STARTTLS with a certificate from the organisation's own CA (Notification:Smtp:TrustedCaFile)
/// and AUTH required; the service set to StartTls with a user and password.
/// </summary>
public sealed class SecureRelayFixture : NotificationFixture
{
    public const string User = "rrm-relay", Password = "relay password: not in any log";
    private readonly TestCertificateAuthority _ca = new("RRM test relay CA");
    private readonly string _caFile = Path.Combine(Path.GetTempPath(), $"relay-ca-{Guid.NewGuid():N}.pem");

    protected override Task<SmtpSink> StartSmtpAsync()
    {
        File.WriteAllText(_caFile, _ca.CertificatePem);
        return SmtpSink.StartAsync(certificate: _ca.Issue("127.0.0.1", "localhost"), login: (User, Password));
    }

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Notification:Smtp:Security"] = "StartTls";
            settings["Notification:Smtp:User"] = User;
            settings["Notification:Smtp:Password"] = Password;
            settings["Notification:Smtp:TrustedCaFile"] = _caFile;
            settings["Notification:Smtp:From"] = "rrm-notifications@ustr.example";
            return settings;
        }
    }

    protected override IEnumerable<UpsertRecipientRequest> Directory() => [Email("USTR press office", RecipientRole.PublicAnnouncements, "press@ustr.example")];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _ca.Dispose();
        File.Delete(_caFile);
    }
}

public sealed class SecureRelayTests(SecureRelayFixture fixture) : IClassFixture<SecureRelayFixture>
{
    [Fact]
    public async Task Mail_goes_over_STARTTLS_and_authenticates_only_once_encrypted()
    {
        var c = Case(null);
        await fixture.PublishAsync(new CaseResolved
        {
            Case = c with { LiquidationSuspended = false }, ResolutionDate = new DateOnly(2024, 9, 17), LiquidationResumes = false, Summary = "",
        });

        var notice = Assert.Single(await fixture.SettledAsync(1, caseId: c.CaseId.ToString()));

        Assert.Equal((NotificationStatus.Sent, 1), (notice.Status, notice.Attempts));
        var message = Assert.Single(fixture.MailTo("press@ustr.example"), m => m.GetProperty("messageId").GetString() == $"<{notice.NotificationId}@ustr.example>");
        Assert.True(message.GetProperty("tls").GetBoolean(), "the message went over a plain connection");
        Assert.Equal(SecureRelayFixture.User, message.GetProperty("user").GetString());
        // Every AUTH the relay was given came after STARTTLS, and carried the configured credentials.
        var logins = fixture.Smtp.Authentications();
        Assert.NotEmpty(logins);
        Assert.All(logins, a => Assert.Equal((true, SecureRelayFixture.User, true),
            (a.GetProperty("tls").GetBoolean(), a.GetProperty("user").GetString(), a.GetProperty("accepted").GetBoolean())));
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains(SecureRelayFixture.Password));
    }
}

/// <summary>
/// The sender against relays that do not offer what it is set to require: each attempt ends with a class of failure
/// (what the notification shows as its last error), and no credentials leave over a connection without TLS.
/// </summary>
public sealed class SmtpSecurityTests : IDisposable
{
    private const string User = "rrm-relay", Password = "relay password";
    private readonly TestCertificateAuthority _ca = new("RRM test relay CA");
    private readonly string _caFile = Path.Combine(Path.GetTempPath(), $"relay-ca-{Guid.NewGuid():N}.pem");

    public SmtpSecurityTests() => File.WriteAllText(_caFile, _ca.CertificatePem);

    public void Dispose()
    {
        _ca.Dispose();
        File.Delete(_caFile);
    }

    private static Domain.Notice NewNotice() => Domain.Notice.Create(Guid.NewGuid(), "CaseResolved", Guid.NewGuid(), null, 0, Domain.RecipientRole.PublicAnnouncements,
        null, null, "en", "case-resolved", "Case resolved", "The case is resolved.", DateTimeOffset.UtcNow);

    private EmailSender Sender(SmtpSink sink, SmtpSecurity security, bool trustCa = true, string user = "", string password = "", bool allowPlain = false) =>
        new(Options.Create(new NotificationOptions
        {
            SmtpTimeout = TimeSpan.FromSeconds(10),
            Smtp = new SmtpSettings
            {
                Port = sink.Port, Security = security, User = user, Password = password, AllowAuthenticationWithoutTls = allowPlain,
                TrustedCaFile = trustCa ? _caFile : "",
            },
        }));

    /// <summary>The class the attempt failed with, as the notification keeps it.</summary>
    private static async Task<string> FailureAsync(EmailSender sender)
    {
        var failure = await Assert.ThrowsAsync<DeliveryFailedException>(() => sender.SendAsync(NewNotice(), "press@ustr.example", CancellationToken.None));
        return DeliveryFailedException.Describe(failure);
    }

    [Fact]
    public async Task StartTls_refuses_a_relay_that_does_not_offer_it()
    {
        await using var plain = await SmtpSink.StartAsync();

        Assert.Equal("smtp tls unavailable", await FailureAsync(Sender(plain, SmtpSecurity.StartTls)));
        Assert.Empty(plain.Received());

        // Plain is what the setting None (and StartTlsWhenAvailable, here) is for.
        await Sender(plain, SmtpSecurity.StartTlsWhenAvailable).SendAsync(NewNotice(), "press@ustr.example", CancellationToken.None);
        Assert.False(Assert.Single(plain.Messages()).GetProperty("tls").GetBoolean());
    }

    [Fact]
    public async Task A_certificate_the_sender_does_not_trust_or_for_another_name_is_refused()
    {
        using var strangers = new TestCertificateAuthority("Someone else's CA");
        await using var unknownCa = await SmtpSink.StartAsync(certificate: strangers.Issue("127.0.0.1", "localhost"));
        await using var otherName = await SmtpSink.StartAsync(certificate: _ca.Issue("relay.example"));
        await using var trusted = await SmtpSink.StartAsync(certificate: _ca.Issue("127.0.0.1", "localhost"));

        Assert.Equal("smtp tls failed", await FailureAsync(Sender(unknownCa, SmtpSecurity.StartTls)));
        Assert.Equal("smtp tls failed", await FailureAsync(Sender(otherName, SmtpSecurity.StartTls)));
        Assert.Equal("smtp tls failed", await FailureAsync(Sender(trusted, SmtpSecurity.StartTls, trustCa: false))); // the system's CAs only
        Assert.Empty(unknownCa.Received());
        Assert.Empty(otherName.Received());
        Assert.Empty(trusted.Received());

        await Sender(trusted, SmtpSecurity.StartTls).SendAsync(NewNotice(), "press@ustr.example", CancellationToken.None);
        Assert.True(Assert.Single(trusted.Messages()).GetProperty("tls").GetBoolean());
    }

    [Fact]
    public async Task Credentials_are_not_sent_over_a_connection_without_TLS_unless_allowed()
    {
        await using var plainWithAuth = await SmtpSink.StartAsync(login: (User, Password));

        Assert.Equal("smtp tls unavailable", await FailureAsync(Sender(plainWithAuth, SmtpSecurity.StartTlsWhenAvailable, user: User, password: Password)));
        Assert.Equal("smtp tls unavailable", await FailureAsync(Sender(plainWithAuth, SmtpSecurity.None, user: User, password: Password)));
        Assert.Empty(plainWithAuth.Authentications());
        Assert.Empty(plainWithAuth.Received());

        await Sender(plainWithAuth, SmtpSecurity.None, user: User, password: Password, allowPlain: true)
            .SendAsync(NewNotice(), "press@ustr.example", CancellationToken.None);
        var login = Assert.Single(plainWithAuth.Authentications());
        Assert.Equal((false, User, true), (login.GetProperty("tls").GetBoolean(), login.GetProperty("user").GetString(), login.GetProperty("accepted").GetBoolean()));
        Assert.Single(plainWithAuth.Messages());
    }

    [Fact]
    public async Task Refused_or_missing_credentials_are_told_apart_without_the_relays_text()
    {
        await using var relay = await SmtpSink.StartAsync(certificate: _ca.Issue("127.0.0.1"), login: (User, Password));

        Assert.Equal("smtp authentication failed", await FailureAsync(Sender(relay, SmtpSecurity.StartTls, user: User, password: "wrong")));
        Assert.Equal("smtp authentication required", await FailureAsync(Sender(relay, SmtpSecurity.StartTls)));
        // The wrong password, refused (once per mechanism the relay offers, PLAIN then LOGIN); none without a user.
        var attempts = relay.Authentications();
        Assert.NotEmpty(attempts);
        Assert.All(attempts, a => Assert.Equal((true, User, false), (a.GetProperty("tls").GetBoolean(), a.GetProperty("user").GetString(), a.GetProperty("accepted").GetBoolean())));
        Assert.Empty(relay.Received());
    }

    [Fact]
    public async Task SslOnConnect_speaks_TLS_from_the_first_byte()
    {
        await using var smtps = await SmtpSink.StartAsync(certificate: _ca.Issue("127.0.0.1"), tlsOnConnect: true, login: (User, Password));

        await Sender(smtps, SmtpSecurity.SslOnConnect, user: User, password: Password).SendAsync(NewNotice(), "press@ustr.example", CancellationToken.None);

        var message = Assert.Single(smtps.Messages());
        Assert.Equal((true, User), (message.GetProperty("tls").GetBoolean(), message.GetProperty("user").GetString()));
    }

    [Fact]
    public async Task A_relay_that_is_not_there_is_a_connection_failure()
    {
        var sender = new EmailSender(Options.Create(new NotificationOptions { Smtp = new SmtpSettings { Port = SmtpSink.FreePort(), Security = SmtpSecurity.None } }));

        Assert.Equal("smtp connection failed", await FailureAsync(sender));
    }
}
