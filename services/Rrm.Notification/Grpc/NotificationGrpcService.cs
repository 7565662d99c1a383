using System.Net.Mail;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Rrm.Grpc.Notification.V1;
using Rrm.Notification.Application;
using Rrm.Notification.Data;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Security;
using Domain = Rrm.Notification.Domain;

namespace Rrm.Notification.Grpc;

internal sealed class NotificationGrpcService(NotificationDbContext db, TemplateRenderer renderer, WebhookTargets webhooks, TimeProvider clock,
    ILogger<NotificationGrpcService> logger)
    : NotificationService.NotificationServiceBase
{
    public override async Task<ListNotificationsResponse> ListNotifications(ListNotificationsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        Guid? caseId = string.IsNullOrWhiteSpace(request.CaseId) ? null : request.CaseId.ToId("case_id", v);
        Guid? petitionId = string.IsNullOrWhiteSpace(request.PetitionId) ? null : request.PetitionId.ToId("petition_id", v);
        Guid? recipientId = string.IsNullOrWhiteSpace(request.RecipientId) ? null : request.RecipientId.ToId("recipient_id", v);
        var status = request.Status == NotificationStatus.Unspecified ? null : request.Status.ToDomain<Domain.NoticeStatus>();
        if (request.Status != NotificationStatus.Unspecified && status is null) v.Add("status", "is not a notification status");
        var size = new Rrm.Grpc.Common.V1.PageRequest { PageSize = request.PageSize }.PageSize(v);
        var after = new Rrm.Grpc.Common.V1.PageRequest { PageToken = request.PageToken }.DecodeToken(3, v);
        DateTimeOffset afterTime = default;
        int afterPosition = 0;
        Guid afterId = default;
        if (after is not null && !(DateTimeOffset.TryParse(after[0], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out afterTime)
                                   && int.TryParse(after[1], out afterPosition) && Guid.TryParse(after[2], out afterId)))
            v.Add("page_token", "is not a token returned by this list");
        v.ThrowIfInvalid();

        // Oldest first; a notice's position orders the notices of one event (the order of the rules).
        var query = Visible(db.Notices.AsNoTracking(), context);
        if (caseId is not null) query = query.Where(n => n.CaseId == caseId);
        if (petitionId is not null) query = query.Where(n => n.PetitionId == petitionId);
        if (recipientId is not null) query = query.Where(n => n.RecipientId == recipientId);
        if (status is not null) query = query.Where(n => n.Status == status);
        if (after is not null)
            query = query.Where(n => n.CreatedAt > afterTime || (n.CreatedAt == afterTime && (n.Position > afterPosition || (n.Position == afterPosition && n.Id.CompareTo(afterId) > 0))));
        var page = await query.OrderBy(n => n.CreatedAt).ThenBy(n => n.Position).ThenBy(n => n.Id).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new ListNotificationsResponse();
        response.Notifications.AddRange(page.Take(size).Select(n => n.ToProto()));
        if (page.Count > size)
        {
            var last = page[size - 1];
            response.NextPageToken = Paging.EncodeToken(last.CreatedAt.ToString("O"), last.Position.ToString(), last.Id.ToString());
        }
        return response;
    }

    public override async Task<GetNotificationResponse> GetNotification(GetNotificationRequest request, ServerCallContext context) =>
        new() { Notification = (await LoadAsync(request.NotificationId, tracked: false, context)).ToProto() };

    public override async Task<RetryNotificationResponse> RetryNotification(RetryNotificationRequest request, ServerCallContext context)
    {
        var notice = await LoadAsync(request.NotificationId, tracked: true, context);
        notice.Retry(clock.GetUtcNow());
        await db.SaveChangesAsync(context.CancellationToken);
        logger.LogInformation("Notification {NotificationId} brought back for another round of attempts", notice.Id);
        return new RetryNotificationResponse { Notification = notice.ToProto() };
    }

    public override async Task<PreviewNotificationResponse> PreviewNotification(PreviewNotificationRequest request, ServerCallContext context)
    {
        var v = new Validation().RequiredLine("event_type", request.EventType, 200).OptionalLine("template", request.Template, 100);
        var role = request.Role.ToDomain<Domain.RecipientRole>();
        if (role is null && request.Template.Length == 0) v.Add("role", "give a role (or a template)");
        var language = request.Language.Length == 0 ? "en" : request.Language;
        if (language is not ("en" or "es")) v.Add("language", "must be en or es");
        var json = request.EventJson.Length > 0 ? request.EventJson : SampleEvents.Json(request.EventType);
        if (json is null) v.Add("event_json", $"is required: there is no sample of '{request.EventType}' (samples: {string.Join(", ", SampleEvents.Types)})");
        var template = request.Template;
        if (template.Length == 0 && role is not null && json is not null)
        {
            template = await db.Rules.AsNoTracking().Where(r => r.EventType == request.EventType && r.Role == role).OrderBy(r => r.Id)
                .Select(r => r.Template).FirstOrDefaultAsync(context.CancellationToken) ?? "";
            if (template.Length == 0) v.Add("role", $"the rules send nothing of {request.EventType} to {role}");
        }
        if (template.Length > 0 && !TemplateRenderer.Names.Any(n => n.StartsWith(template + "."))) v.Add("template", $"there is no template '{template}'");
        v.ThrowIfInvalid();
        Rendered rendered;
        try { rendered = renderer.Render(template, language, request.EventType, json!); }
        catch (System.Text.Json.JsonException e) { throw new RequestValidationException([new("event_json", "is not JSON: " + e.Message)]); }
        return new PreviewNotificationResponse { Subject = rendered.Subject, Body = rendered.Body, Template = rendered.Template, Language = rendered.Language };
    }

    public override async Task<UpsertRecipientResponse> UpsertRecipient(UpsertRecipientRequest request, ServerCallContext context)
    {
        var v = new Validation()
            .RequiredLine("name", request.Name, Domain.Recipient.MaxNameLength)
            .RequiredLine("address", request.Address, Domain.Recipient.MaxAddressLength);
        Guid? id = string.IsNullOrWhiteSpace(request.RecipientId) ? null : request.RecipientId.ToId("recipient_id", v);
        var role = request.Role.ToDomain<Domain.RecipientRole>();
        if (role is null) v.Add("role", "is required");
        else if (role == Domain.RecipientRole.Petitioner) v.Add("role", "petitioners are written to at their petition's address; they are not in the directory");
        var channel = request.Channel.ToDomain<Domain.Channel>();
        if (channel is null) v.Add("channel", "must be CHANNEL_EMAIL or CHANNEL_WEBHOOK");
        var address = request.Address.Trim();
        if (channel == Domain.Channel.Email && address.Length > 0 && !MailAddress.TryCreate(address, out _)) v.Add("address", "is not an e-mail address");
        if (channel == Domain.Channel.Webhook && address.Length is > 0 and <= Domain.Recipient.MaxAddressLength
            && await webhooks.ProblemAsync(address, context.CancellationToken) is { } problem)
            v.Add("address", problem);
        var language = request.Language.Length == 0 ? "en" : request.Language;
        if (language is not ("en" or "es")) v.Add("language", "must be en or es");
        var secret = request.WebhookSecret.Trim();
        if (secret.Length is > 0 and < 16 or > 200) v.Add("webhook_secret", "must be 16 to 200 characters");
        v.ThrowIfInvalid();

        var recipient = id is null ? null : await db.Recipients.SingleOrDefaultAsync(r => r.Id == id, context.CancellationToken);
        if (id is not null && recipient is null) throw new NotFoundException($"No recipient has id {id}.");
        if (channel == Domain.Channel.Webhook && secret.Length == 0 && recipient?.WebhookSecret is not { Length: > 0 })
            Validation.Reject("webhook_secret", "is required for a webhook recipient");
        var now = clock.GetUtcNow();
        if (recipient is null) db.Recipients.Add(recipient = Domain.Recipient.Create(Guid.CreateVersion7(now), now));
        recipient.Update(request.Name.Trim(), role!.Value, channel!.Value, address, language, secret, now);
        await db.SaveChangesAsync(context.CancellationToken);
        logger.LogInformation("Recipient {RecipientId} ({RecipientRole}) saved", recipient.Id, recipient.Role);
        return new UpsertRecipientResponse { Recipient = recipient.ToProto() };
    }

    public override async Task<ListRecipientsResponse> ListRecipients(ListRecipientsRequest request, ServerCallContext context)
    {
        var role = request.Role.ToDomain<Domain.RecipientRole>();
        if (request.Role != RecipientRole.Unspecified && role is null) Validation.Reject("role", "is not a recipient role");
        var query = db.Recipients.AsNoTracking();
        if (role is not null) query = query.Where(r => r.Role == role);
        if (!request.IncludeInactive) query = query.Where(r => r.Active);
        var response = new ListRecipientsResponse();
        response.Recipients.AddRange((await query.OrderBy(r => r.Name).ToListAsync(context.CancellationToken)).Select(r => r.ToProto()));
        return response;
    }

    public override async Task<DeactivateRecipientResponse> DeactivateRecipient(DeactivateRecipientRequest request, ServerCallContext context)
    {
        var id = ProtoMapping.ParseId(request.RecipientId, "recipient_id");
        var recipient = await db.Recipients.SingleOrDefaultAsync(r => r.Id == id, context.CancellationToken) ?? throw new NotFoundException($"No recipient has id {id}.");
        recipient.Deactivate(clock.GetUtcNow());
        await db.SaveChangesAsync(context.CancellationToken);
        return new DeactivateRecipientResponse { Recipient = recipient.ToProto() };
    }

    /// <summary>A notification the caller may see; another is "not found", so that its existence shows nothing either.</summary>
    private async Task<Domain.Notice> LoadAsync(string id, bool tracked, ServerCallContext context)
    {
        var noticeId = ProtoMapping.ParseId(id, "notification_id");
        var query = Visible(tracked ? db.Notices : db.Notices.AsNoTracking(), context);
        return await query.SingleOrDefaultAsync(n => n.Id == noticeId, context.CancellationToken) ?? throw new NotFoundException($"No notification has id {id}.");
    }

    /// <summary>
    /// Notices to petitioners are the ILC's alone: whether a petition has them tells that it is not anonymous, which
    /// is confidential to the ILC (docs/security.md). For every other role they do not exist.
    /// </summary>
    private static IQueryable<Domain.Notice> Visible(IQueryable<Domain.Notice> notices, ServerCallContext context) =>
        context.GetHttpContext().User.IsInRole(Roles.IlcAnalyst) ? notices : notices.Where(n => n.Role != Domain.RecipientRole.Petitioner);
}

internal static class Mapping
{
    public static Rrm.Grpc.Notification.V1.Notification ToProto(this Domain.Notice n) => new()
    {
        NotificationId = n.Id.ToString(),
        EventId = n.EventId.ToString(),
        EventType = n.EventType,
        CaseId = n.CaseId?.ToString() ?? "",
        PetitionId = n.PetitionId?.ToString() ?? "",
        Role = n.Role.ByName<RecipientRole>(),
        RecipientId = n.RecipientId?.ToString() ?? "",
        Channel = n.Channel.ByName<Channel>(),
        Address = n.Channel == Domain.Channel.Webhook ? Redacted(n.Address) : n.Address,
        Language = n.Language,
        Template = n.Template,
        Subject = n.Subject,
        Body = n.Body,
        Status = n.Status.ByName<NotificationStatus>(),
        Attempts = n.Attempts,
        NextAttemptAt = Timestamp.FromDateTimeOffset(n.NextAttemptAt),
        LastError = n.LastError,
        CreatedAt = Timestamp.FromDateTimeOffset(n.CreatedAt),
        SentAt = n.SentAt is { } sent ? Timestamp.FromDateTimeOffset(sent) : null,
    };

    public static Recipient ToProto(this Domain.Recipient r) => new()
    {
        RecipientId = r.Id.ToString(),
        Name = r.Name,
        Role = r.Role.ByName<RecipientRole>(),
        Channel = r.Channel.ByName<Channel>(),
        Address = r.Channel == Domain.Channel.Webhook ? Redacted(r.Address) : r.Address,
        Language = r.Language,
        HasWebhookSecret = r.WebhookSecret.Length > 0,
        Active = r.Active,
    };

    /// <summary>
    /// A webhook URL as it is shown: credentials, query and fragment replaced by *** (they often carry a token), e.g.
    /// https://***@hooks.example/path?***. The stored address is unchanged and is what is called.
    /// </summary>
    public static string Redacted(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var url)) return "***";
        return url.Scheme + "://" + (url.UserInfo.Length > 0 ? "***@" : "") + url.Authority + url.AbsolutePath
            + (url.Query.Length > 0 ? "?***" : "") + (url.Fragment.Length > 0 ? "#***" : "");
    }
}
