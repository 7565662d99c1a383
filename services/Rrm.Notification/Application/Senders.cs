using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;
using Rrm.Notification.Domain;

namespace Rrm.Notification.Application;

/// <summary>
/// E-mail over SMTP (MailKit), one connection per message: TLS as Notification:Smtp:Security says, AUTH when a user is
/// set (never over a connection without TLS unless allowed), the whole attempt within Notification:SmtpTimeout. The
/// Message-ID is &lt;notification id@sender's domain&gt; on every attempt: a copy re-sent after an attempt that failed
/// once its data had arrived (a timeout, a lost connection) can be recognised and dropped by the receiver.
/// </summary>
internal sealed partial class EmailSender(IOptions<NotificationOptions> options)
{
    // Read once it can be (not cached while it cannot); a file that cannot be read fails each attempt as a fault of
    // the set-up, "internal error (…)" with its type in the log, before anything is sent.
    private readonly Lazy<X509Certificate2Collection?> _trustedCas = new(
        () => options.Value.Smtp.TrustedCaFile is { Length: > 0 } file ? LoadCas(file) : null, LazyThreadSafetyMode.PublicationOnly);

    public async Task SendAsync(Notice notice, string address, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        var trustedCas = _trustedCas.Value;
        using var message = Compose(notice, smtp.From, address);
        using var client = new SmtpClient
        {
            Timeout = (int)options.Value.SmtpTimeout.TotalMilliseconds,
            // Not checked: the pods reach only the SMTP and https ports (k8s network policy), not the http of OCSP and
            // CRLs, and a check that cannot finish would refuse every relay (System.Net.Mail did not check either).
            CheckCertificateRevocation = false,
            ServerCertificateValidationCallback = (_, certificate, chain, errors) => Trusted(certificate, chain, errors, trustedCas),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.SmtpTimeout);
        try
        {
            try
            {
                await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security switch
                {
                    SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                    SmtpSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
                    SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                    _ => SecureSocketOptions.None,
                }, timeout.Token);
            }
            catch (NotSupportedException)
            {
                throw new DeliveryFailedException("smtp tls unavailable"); // StartTls, and the relay does not offer STARTTLS
            }
            if (smtp.User.Length > 0)
            {
                if (!client.IsSecure && !smtp.AllowAuthenticationWithoutTls) throw new DeliveryFailedException("smtp tls unavailable");
                if (!client.Capabilities.HasFlag(SmtpCapabilities.Authentication)) throw new DeliveryFailedException("smtp authentication unavailable");
                try { await client.AuthenticateAsync(smtp.User, smtp.Password, timeout.Token); }
                catch (NotSupportedException) { throw new DeliveryFailedException("smtp authentication unavailable"); } // no mechanism in common
            }
            await client.SendAsync(message, timeout.Token);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (Describe(e) is { } reason)
        {
            // Not wrapped: the exception's message holds the server's reply, which quotes the refused address.
            throw new DeliveryFailedException(reason);
        }
        // Accepted: a failed QUIT changes nothing, and failing the attempt would send the message again.
        try { await client.DisconnectAsync(true, timeout.Token); }
        catch (Exception e) when (e is IOException or SocketException or MailKit.ProtocolException or OperationCanceledException or MailKit.CommandException) { }
    }

    /// <summary>Plain text in UTF-8, with the Message-ID that is the same on every attempt.</summary>
    public static MimeMessage Compose(Notice notice, string from, string to)
    {
        var sender = MailboxAddress.Parse(from);
        var message = new MimeMessage
        {
            MessageId = $"{notice.Id}@{sender.Domain}",
            Subject = notice.Subject,
            Body = new TextPart(TextFormat.Plain) { Text = notice.Body },
        };
        message.From.Add(sender);
        message.To.Add(MailboxAddress.Parse(to));
        message.Headers.Add("Content-Language", notice.Language);
        message.Headers.Add("X-Rrm-Event", notice.EventType);
        return message;
    }

    /// <summary>
    /// The class of a failed SMTP conversation: "smtp 550 5.1.1 recipient refused" (the reply code, whether to try again,
    /// and a class, never the server's text), "smtp connection failed", "smtp timeout", "smtp tls failed"… Null for
    /// anything else (a fault of this code, logged as such by the dispatcher).
    /// </summary>
    public static string? Describe(Exception e) => e switch
    {
        SmtpCommandException c => Describe(c),
        SslHandshakeException => "smtp tls failed", // a certificate not trusted or not for this host, or no protocol in common
        AuthenticationException => "smtp authentication failed", // the credentials were refused
        MailKit.ServiceNotAuthenticatedException => "smtp authentication required", // the relay wants AUTH and no user is set
        OperationCanceledException or TimeoutException or IOException { InnerException: TimeoutException } => "smtp timeout",
        SmtpProtocolException or IOException or SocketException => "smtp connection failed", // no reply: unreachable, lost, DNS
        _ => null,
    };

    private static string Describe(SmtpCommandException e)
    {
        var code = (int)e.StatusCode;
        var what = e.ErrorCode == SmtpErrorCode.RecipientNotAccepted
            ? code >= 500 ? "recipient refused" : "recipient deferred"
            : code >= 500 ? "refused" : "temporary failure";
        var enhanced = EnhancedCode().Match(e.Message);
        return enhanced.Success ? $"smtp {code} {enhanced.Groups[1].Value} {what}" : $"smtp {code} {what}";
    }

    /// <summary>The RFC 3463 code that starts the reply's text (e.g. "5.1.1"); only digits are kept.</summary>
    [GeneratedRegex(@"^([245]\.\d{1,3}\.\d{1,3})(?!\S)")]
    private static partial Regex EnhancedCode();

    /// <summary>The system's validation, or, where only the chain failed, a chain to one of the trusted CAs (the name still checked).</summary>
    private static bool Trusted(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection? trustedCas)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null || trustedCas is not { } cas) return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(cas);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1")); // server authentication
        if (chain is not null)
            foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    private static X509Certificate2Collection LoadCas(string file)
    {
        var cas = new X509Certificate2Collection();
        cas.ImportFromPemFile(file);
        return cas.Count > 0 ? cas : throw new InvalidOperationException($"Notification:Smtp:TrustedCaFile {file} holds no certificate");
    }
}

/// <summary>
/// A failed delivery, as the service keeps and shows it: a class only ("smtp 550 5.1.1 recipient refused",
/// "webhook http 5xx"). What a mail server or a webhook answered can quote a petitioner's address or describe the
/// inside of the network, so it is kept nowhere: not in the notification, not in the log.
/// </summary>
internal sealed class DeliveryFailedException(string reason) : Exception(reason)
{
    /// <summary>The class of any failure of an attempt, for the notification's last error and the log.</summary>
    public static string Describe(Exception e) => e switch
    {
        DeliveryFailedException d => d.Message,
        OperationCanceledException or TimeoutException => "timeout",
        _ => $"internal error ({e.GetType().Name})",
    };
}

/// <summary>
/// Webhooks: an HTTP POST of JSON, signed with HMAC-SHA256 of "&lt;timestamp&gt;.&lt;body&gt;" under the recipient's secret
/// (the contract is in notification.proto). Any 2xx answer is success. Only to the destinations <see cref="WebhookTargets"/>
/// allows, and redirects are not followed (the "webhooks" client, NotificationModule).
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory http, IOptions<NotificationOptions> options, TimeProvider clock)
{
    public const string ClientName = "webhooks";

    public async Task SendAsync(Notice notice, Recipient recipient, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new
        {
            notificationId = notice.Id,
            eventId = notice.EventId,
            eventType = notice.EventType,
            caseId = notice.CaseId,
            petitionId = notice.PetitionId,
            language = notice.Language,
            subject = notice.Subject,
            body = notice.Body,
            createdAt = notice.CreatedAt,
        });
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, recipient.Address) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Rrm-Delivery", notice.Id.ToString());
        request.Headers.Add("X-Rrm-Timestamp", timestamp);
        request.Headers.Add("X-Rrm-Signature", "sha256=" + Sign(recipient.WebhookSecret, timestamp, body));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("rrm-notification", "1"));
        if (recipient.Address.StartsWith("http:", StringComparison.OrdinalIgnoreCase) && !options.Value.AllowHttpWebhooks)
            throw new DeliveryFailedException("webhook refused: https required"); // saved before https was required
        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(ClientName).SendAsync(request, ct);
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookDestinationRefusedException)
        {
            throw new DeliveryFailedException("webhook refused: destination not allowed");
        }
        catch (HttpRequestException)
        {
            throw new DeliveryFailedException("webhook connection failed"); // not which error: that would map the network
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DeliveryFailedException("webhook timeout");
        }
        using (response)
        {
            // Redirects are not followed (they could lead inside the network): a 3xx is a failure like a 4xx.
            if (!response.IsSuccessStatusCode) throw new DeliveryFailedException($"webhook http {(int)response.StatusCode / 100}xx");
        }
    }

    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}
