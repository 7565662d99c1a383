using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Rrm.Notification;

/// <summary>The Notification service's settings (section "Notification").</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notification";

    /// <summary>The Petition service, where petitioners' addresses are read at each attempt.</summary>
    [Required(ErrorMessage = "the Petition service's address is required (environment variable Notification__PetitionUrl)")]
    [Url(ErrorMessage = "must be an http(s) URL such as http://127.0.0.1:5101")]
    public string PetitionUrl { get; set; } = "";

    [Required, ValidateObjectMembers] public SmtpSettings Smtp { get; set; } = new();

    /// <summary>Attempts before a notification is dead.</summary>
    [Range(1, 100)] public int MaxAttempts { get; set; } = 6;

    /// <summary>The first retry's delay; each next one doubles, with ±20% jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")] public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00")] public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")] public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")] public TimeSpan SmtpTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a claimed attempt may take before another sender may take the notification (a crashed sender).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the dispatcher looks for due notifications when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")] public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Webhooks may be plain http. Off in production (https only); local development and tests turn it on for their
    /// local listeners.
    /// </summary>
    public bool AllowHttpWebhooks { get; set; }

    /// <summary>
    /// Webhooks may go to loopback, private, link-local and other inside addresses. Off in production, where a webhook
    /// must not reach into the network; local development and tests turn it on for a listener on 127.0.0.1.
    /// </summary>
    public bool AllowPrivateWebhookTargets { get; set; }

    /// <summary>Deliveries in flight at once: a slow recipient does not hold the others up.</summary>
    [Range(1, 256)] public int Parallelism { get; set; } = 16;
}

/// <summary>The SMTP relay e-mail goes through (Notification:Smtp).</summary>
public sealed class SmtpSettings
{
    [Required] public string Host { get; set; } = "127.0.0.1";
    [Range(1, 65535)] public int Port { get; set; } = 25;

    /// <summary>The sender; its domain is also the right-hand side of the Message-ID (&lt;notification id@domain&gt;).</summary>
    [Required, EmailAddress] public string From { get; set; } = "rrm-notifications@localhost";

    /// <summary>
    /// TLS to the relay: StartTls (the default: a relay without STARTTLS is refused), StartTlsWhenAvailable,
    /// SslOnConnect (port 465) or None (plain: the local sinks of development and tests only).
    /// </summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Authenticates as this user when set (AUTH PLAIN, LOGIN or better, as the relay offers).</summary>
    public string User { get; set; } = "";
    public string Password { get; set; } = "";

    /// <summary>Credentials may be sent over a connection without TLS. Off: such a delivery fails with "smtp tls unavailable".</summary>
    public bool AllowAuthenticationWithoutTls { get; set; }

    /// <summary>
    /// A PEM file of CA certificates trusted, besides the system's, for the relay's certificate (a relay with a private
    /// CA). The relay's name must still match its certificate.
    /// </summary>
    public string TrustedCaFile { get; set; } = "";
}

/// <summary>How the connection to the SMTP relay is encrypted.</summary>
public enum SmtpSecurity
{
    /// <summary>STARTTLS after the greeting; a relay that does not offer it is refused.</summary>
    StartTls,
    /// <summary>STARTTLS when the relay offers it, plain otherwise (an attacker on the path can remove the offer).</summary>
    StartTlsWhenAvailable,
    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    SslOnConnect,
    /// <summary>No TLS.</summary>
    None,
}
