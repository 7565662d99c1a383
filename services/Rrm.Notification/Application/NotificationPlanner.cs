using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rrm.Notification.Data;
using Rrm.Notification.Domain;

namespace Rrm.Notification.Application;

/// <summary>
/// Turns one event into its notifications, by the service's rules: each matching rule gives one notice per
/// active recipient of its role, rendered now in the recipient's language; a petitioner is written to only
/// when the petition left a contact. Runs in the consumer's transaction, with the event recorded in the inbox.
/// </summary>
internal sealed class NotificationPlanner(NotificationDbContext db, TemplateRenderer renderer, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web);

    public async Task PlanAsync(string eventType, Guid messageId, object @event, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(@event, @event.GetType(), EventJson);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var caseId = GuidAt(root, "case.caseId");
        var petitionId = GuidAt(root, "petitionId") ?? GuidAt(root, "case.petitionId");
        var replayed = ValueAt(root, "case.replayed") == "true";
        var now = clock.GetUtcNow();
        db.ReceivedEvents.Add(ReceivedEvent.Record(messageId, eventType, caseId, petitionId, Summary(eventType, root), json, replayed, now));
        if (eventType == "PetitionReceived" && petitionId is { } received && await db.KnownPetitions.FindAsync([received], ct) is null)
            db.KnownPetitions.Add(new KnownPetition
            {
                PetitionId = received, Contactable = ValueAt(root, "petitionerContactable") == "true", Language = ValueAt(root, "language") ?? "en",
            });
        if (replayed) return;

        var rules = await db.Rules.AsNoTracking().Where(r => r.EventType == eventType).OrderBy(r => r.Id).ToListAsync(ct);
        var recipients = await db.Recipients.AsNoTracking().Where(r => r.Active).OrderBy(r => r.Name).ToListAsync(ct);
        var earlier = await EarlierEventsAsync(caseId, ct);
        var position = 0;
        foreach (var rule in rules.Where(r => Matches(r.Condition, root, earlier.Keys)))
        {
            if (rule.Role == RecipientRole.Petitioner)
            {
                if (petitionId is null || await PetitionerLanguageAsync(petitionId.Value, root, ct) is not { } language) continue;
                var rendered = renderer.Render(rule.Template, language, eventType, json, earlier);
                db.Notices.Add(Notice.Create(messageId, eventType, caseId, petitionId, position++, rule.Role, null, petitionId, rendered.Language,
                    rule.Template, rendered.Subject, rendered.Body, now));
                continue;
            }
            foreach (var recipient in recipients.Where(r => r.Role == rule.Role))
            {
                var rendered = renderer.Render(rule.Template, recipient.Language, eventType, json, earlier);
                db.Notices.Add(Notice.Create(messageId, eventType, caseId, petitionId, position++, rule.Role, recipient, null, rendered.Language,
                    rule.Template, rendered.Subject, rendered.Body, now));
            }
        }
    }

    /// <summary>The petitioner's language when the petition left a way to be contacted; null otherwise (anonymous, no contact).</summary>
    private async Task<string?> PetitionerLanguageAsync(Guid petitionId, JsonElement root, CancellationToken ct)
    {
        if (ValueAt(root, "petitionerContactable") is { } contactable)
            return contactable == "true" ? ValueAt(root, "language") ?? "en" : null;
        var known = db.KnownPetitions.Local.FirstOrDefault(p => p.PetitionId == petitionId)
            ?? await db.KnownPetitions.AsNoTracking().SingleOrDefaultAsync(p => p.PetitionId == petitionId, ct);
        return known is { Contactable: true } ? known.Language : null;
    }

    /// <summary>
    /// The events received earlier for the case, the latest of each type (as JSON): what a rule's "!EventType" asks
    /// about, and what a notice may quote (a certification names the remediation plan agreed before it). Replayed
    /// events count: an imported history's panel request is still a panel request.
    /// </summary>
    private async Task<Dictionary<string, string>> EarlierEventsAsync(Guid? caseId, CancellationToken ct)
    {
        if (caseId is null) return [];
        var events = await db.ReceivedEvents.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Id)
            .Select(e => new { e.EventType, e.Payload }).ToListAsync(ct);
        return events.GroupBy(e => e.EventType).ToDictionary(g => g.Key, g => g.Last().Payload);
    }

    /// <summary>
    /// "outcome=insufficient&amp;petitionerContactable=true": every "path=value" holds (empty: always); "!PanelRequested":
    /// no event of that type is among <paramref name="earlierEventTypes"/>.
    /// </summary>
    public static bool Matches(string condition, JsonElement root, IEnumerable<string>? earlierEventTypes = null) =>
        condition.Length == 0 || condition.Split('&').All(part =>
        {
            if (part.StartsWith('!')) return earlierEventTypes?.Contains(part[1..]) != true;
            var (path, value) = (part.Split('=', 2)[0], part.Split('=', 2).ElementAtOrDefault(1) ?? "");
            return ValueAt(root, path) == value;
        });

    /// <summary>The value at a dotted path as text ("true"/"false" for booleans); null when absent or null.</summary>
    public static string? ValueAt(JsonElement root, string path)
    {
        var e = root;
        foreach (var name in path.Split('.'))
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e)) return null;
        return e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => e.GetRawText(),
        };
    }

    private static Guid? GuidAt(JsonElement root, string path) => Guid.TryParse(ValueAt(root, path), out var id) ? id : null;

    private static string Summary(string eventType, JsonElement root) => eventType == "PetitionReceived"
        ? $"Petition about {ValueAt(root, "facilityName")} received {ValueAt(root, "receivedDate")}; ILC review due {ValueAt(root, "reviewDueDate")}"
        : $"{eventType}: {ValueAt(root, "case.facility.legalName") ?? ValueAt(root, "facility.legalName") ?? ValueAt(root, "facilityName") ?? ""}".TrimEnd(' ', ':');
}
