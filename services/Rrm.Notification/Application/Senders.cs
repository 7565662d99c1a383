using System.Net.Http.Headers;
using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Rrm.Grpc.Petition.V1;
using Rrm.Notification.Domain;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Notification.Application;

/// <summary>E-mail over SMTP (System.Net.Mail). The notification id is the Message-ID, the same on every attempt.</summary>
internal sealed partial class EmailSender(IOptions<NotificationOptions> options)
{
    public async Task SendAsync(Notice notice, string address, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient(smtp.Host, smtp.Port) { EnableSsl = smtp.EnableSsl, DeliveryMethod = SmtpDeliveryMethod.Network };
        if (smtp.User.Length > 0) client.Credentials = new System.Net.NetworkCredential(smtp.User, smtp.Password);
        using var message = new MailMessage(smtp.From, address)
        {
            Subject = notice.Subject,
            Body = notice.Body,
            SubjectEncoding = Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
        };
        message.Headers.Add("Message-ID", $"<{notice.Id}@rrm.services>");
        message.Headers.Add("Content-Language", notice.Language);
        message.Headers.Add("X-Rrm-Event", notice.EventType);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.SmtpTimeout);
        try
        {
            await client.SendMailAsync(message, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DeliveryFailedException("smtp timeout");
        }
        catch (SmtpException e)
        {
            // Not wrapped: the exception's message holds the server's reply, which quotes the refused address.
            throw new DeliveryFailedException(Describe(e));
        }
    }

    /// <summary>"smtp 550 5.1.1 recipient refused": the reply code (whether to try again) and a class, never the server's text.</summary>
    public static string Describe(SmtpException e)
    {
        var code = (int)e.StatusCode;
        if (e.StatusCode == SmtpStatusCode.GeneralFailure) return "smtp connection failed"; // no reply: unreachable, TLS, DNS
        var what = e is SmtpFailedRecipientException
            ? code >= 500 ? "recipient refused" : "recipient deferred"
            : code >= 500 ? "refused" : "temporary failure";
        var enhanced = EnhancedCode().Match(e.Message);
        return enhanced.Success ? $"smtp {code} {enhanced.Groups[1].Value} {what}" : $"smtp {code} {what}";
    }

    /// <summary>The RFC 3463 code at the start of the reply System.Net.Mail quotes (e.g. "5.1.1"); only digits are kept.</summary>
    [GeneratedRegex(@"The server response was: ([245]\.\d{1,3}\.\d{1,3})(?!\S)")]
    private static partial Regex EnhancedCode();
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
        RpcException r => $"petition service {r.StatusCode}", // reading the petitioner's address
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

/// <summary>
/// Petitioners' addresses, read from the Petition service at each attempt and never stored here. The service shows its
/// own token (<see cref="ServiceToken"/>) with the read-only role petition.contact-reader, which allows GetPetition and
/// nothing else: the one in Auth:ServiceTokenFile, or in development one minted with the local key (docs/security.md).
/// </summary>
internal sealed class PetitionerContacts(PetitionService.PetitionServiceClient petitions, ServiceToken token)
{
    /// <summary>The petitioner's e-mail address, or null when the petition has none.</summary>
    public async Task<string?> EmailAsync(Guid petitionId, CancellationToken ct)
    {
        Metadata headers;
        try { headers = token.Headers(); }
        catch (ServiceTokenUnavailableException) { throw new DeliveryFailedException("petition service token unavailable"); }
        var petition = (await petitions.GetPetitionAsync(new GetPetitionRequest { PetitionId = petitionId.ToString() }, headers,
            DateTime.UtcNow.AddSeconds(10), ct)).Petition;
        return petition.Petitioner is { Anonymous: false, ContactEmail.Length: > 0 } p ? p.ContactEmail : null;
    }
}
