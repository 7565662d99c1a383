using System.CommandLine;
using Rrm.Grpc.Notification.V1;

namespace Rrm.Cli;

/// <summary>Who was told what (the Notification service), and the directory of recipients.</summary>
internal static class NotificationCommands
{
    public static Command Create() => new("notification", "Notifications to petitioners, Mexico, Treasury, Congress and the public")
    {
        Verb.Create<ListNotificationsRequest, ListNotificationsResponse>("list", "List notifications, oldest first (all pages)",
            (cli, r) =>
            {
                r.PageSize = 500;
                return Pages.AllAsync(token =>
                {
                    r.PageToken = token;
                    return cli.Notifications.ListNotificationsAsync(r, cli.Call()).ResponseAsync;
                }, page => page.Notifications, page => page.NextPageToken);
            },
            r => Table.Print(["NOTIFICATION", "EVENT", "TO", "LANG", "STATUS", "TRIES", "SUBJECT"], r.Notifications.Select(n => new[]
            {
                n.NotificationId, n.EventType, To(n), n.Language, Enums.Text(n.Status), $"{n.Attempts}", n.Subject,
            })),
            i =>
            [
                i.Text("--case-id", "Only this case's notifications", (r, v) => r.CaseId = v),
                i.Text("--petition-id", "Only this petition's notifications", (r, v) => r.PetitionId = v),
                i.Text("--recipient-id", "Only this recipient's notifications", (r, v) => r.RecipientId = v),
                i.Choice<NotificationStatus>("--status", "Only notifications in this status", (r, v) => r.Status = v),
            ]),
        Verb.Create<GetNotificationRequest, GetNotificationResponse>("show", "Show one notification: its text, attempts and last error",
            cli => cli.Notifications.GetNotificationAsync, r => Print(r.Notification),
            i => [i.Id("notification-id", "The notification's id", (r, v) => r.NotificationId = v)]),
        Verb.Create<RetryNotificationRequest, RetryNotificationResponse>("retry", "Bring a dead notification back for another round of attempts",
            cli => cli.Notifications.RetryNotificationAsync, r => Print(r.Notification),
            i => [i.Id("notification-id", "The notification's id", (r, v) => r.NotificationId = v)]),
        Verb.Create<PreviewNotificationRequest, PreviewNotificationResponse>("preview", "Render a notification without sending it",
            cli => cli.Notifications.PreviewNotificationAsync,
            r =>
            {
                Console.WriteLine($"Template  {r.Template} ({r.Language})");
                Console.WriteLine($"Subject   {r.Subject}");
                Console.WriteLine();
                Console.Write(r.Body);
            },
            i =>
            [
                i.Text("--event-type", "The event, e.g. ReviewRequested", (r, v) => r.EventType = v),
                i.Text("--event-json", "The event as JSON (default: the Impro case's)", (r, v) => r.EventJson = v),
                i.Text("--template", "The template (default: the one the rules give the role)", (r, v) => r.Template = v),
                i.Choice<RecipientRole>("--role", "The recipient's role", (r, v) => r.Role = v),
                i.Text("--language", "en or es", (r, v) => r.Language = v),
            ]),
        new Command("recipients", "The directory of recipients")
        {
            Verb.Create<ListRecipientsRequest, ListRecipientsResponse>("list", "List recipients",
                cli => cli.Notifications.ListRecipientsAsync,
                r => Table.Print(["RECIPIENT", "NAME", "ROLE", "CHANNEL", "ADDRESS", "LANG", "ACTIVE"], r.Recipients.Select(p => new[]
                {
                    p.RecipientId, p.Name, Enums.Text(p.Role), Enums.Text(p.Channel), p.Address, p.Language, p.Active ? "yes" : "no",
                })),
                i =>
                [
                    i.Choice<RecipientRole>("--role", "Only this role", (r, v) => r.Role = v),
                    i.Flag("--all", "Include deactivated recipients", r => r.IncludeInactive = true),
                ]),
            Verb.Create<UpsertRecipientRequest, UpsertRecipientResponse>("save", "Add a recipient, or change one with --id",
                cli => cli.Notifications.UpsertRecipientAsync, r => Print(r.Recipient), i =>
                [
                    i.Text("--id", "The recipient to change (none: a new recipient)", (r, v) => r.RecipientId = v),
                    i.Text("--name", "Who it is, e.g. Senate Committee on Finance", (r, v) => r.Name = v),
                    i.Choice<RecipientRole>("--role", "The role it is told as", (r, v) => r.Role = v),
                    i.Choice<Channel>("--channel", "How it is told", (r, v) => r.Channel = v),
                    i.Text("--address", "The e-mail address, or the webhook's URL", (r, v) => r.Address = v),
                    i.Text("--language", "en or es", (r, v) => r.Language = v),
                    i.Text("--webhook-secret", "The webhook's signing secret (never shown again)", (r, v) => r.WebhookSecret = v),
                ]),
            Verb.Create<DeactivateRecipientRequest, DeactivateRecipientResponse>("deactivate", "Stop telling a recipient anything new",
                cli => cli.Notifications.DeactivateRecipientAsync, r => Print(r.Recipient),
                i => [i.Id("recipient-id", "The recipient's id", (r, v) => r.RecipientId = v)]),
        },
    };

    private static string To(Notification n) => n.Address.Length > 0 ? $"{Enums.Text(n.Role)} <{n.Address}>" : Enums.Text(n.Role);

    private static void Print(Notification n)
    {
        Console.WriteLine($"Notification  {n.NotificationId}");
        Console.WriteLine($"Event         {n.EventType} {n.EventId}");
        if (n.CaseId.Length > 0) Console.WriteLine($"Case          {n.CaseId}");
        if (n.PetitionId.Length > 0) Console.WriteLine($"Petition      {n.PetitionId}");
        Console.WriteLine($"To            {To(n)} by {Enums.Text(n.Channel)}, in {n.Language}");
        Console.WriteLine($"Status        {Enums.Text(n.Status)} after {n.Attempts} attempt(s)"
            + (n.SentAt is { } sent ? $", sent {sent.ToDateTimeOffset():u}" : "")
            + (n.Status is NotificationStatus.Pending or NotificationStatus.Failed && n.NextAttemptAt is { } next ? $", next attempt {next.ToDateTimeOffset():u}" : ""));
        if (n.LastError.Length > 0) Console.WriteLine($"Last error    {n.LastError}");
        Console.WriteLine($"Subject       {n.Subject}");
        Console.WriteLine();
        Console.Write(n.Body);
    }

    private static void Print(Recipient r)
    {
        Console.WriteLine($"Recipient     {r.RecipientId}");
        Console.WriteLine($"Name          {r.Name}");
        Console.WriteLine($"Role          {Enums.Text(r.Role)}");
        Console.WriteLine($"Channel       {Enums.Text(r.Channel)} {r.Address}{(r.HasWebhookSecret ? " (signed)" : "")}");
        Console.WriteLine($"Language      {r.Language}");
        Console.WriteLine($"Active        {(r.Active ? "yes" : "no")}");
    }
}
