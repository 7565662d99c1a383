namespace Rrm.Notification.Domain;

/// <summary>Who hears of what (DOMAIN.md §7).</summary>
public enum RecipientRole
{
    /// <summary>The petition's contact; never in the directory: the address comes from the petition, confidential.</summary>
    Petitioner,
    /// <summary>Secretaría de Economía / STPS.</summary>
    GovernmentOfMexico,
    TreasuryCbp,
    SenateFinanceCommittee,
    HouseWaysAndMeansCommittee,
    LaborAdvisoryCommittee,
    PublicAnnouncements,
    IlcCaseOfficer,
    UstrCaseOfficer,
}

public enum Channel { Email, Webhook }

/// <summary>An entry of the stakeholder directory.</summary>
public sealed class Recipient
{
    public const int MaxNameLength = 200;
    public const int MaxAddressLength = 2000;

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public RecipientRole Role { get; private set; }
    public Channel Channel { get; private set; }
    /// <summary>An e-mail address, or the webhook's https/http URL.</summary>
    public string Address { get; private set; } = "";
    /// <summary>"en" or "es".</summary>
    public string Language { get; private set; } = "en";
    /// <summary>The HMAC-SHA256 key webhook deliveries are signed with; never returned by the API.</summary>
    public string WebhookSecret { get; private set; } = "";
    public bool Active { get; private set; } = true;
    public DateTimeOffset UpdatedAt { get; private set; }

    private Recipient() { }

    public static Recipient Create(Guid id, DateTimeOffset now) => new() { Id = id, UpdatedAt = now };

    /// <summary>Sets everything; a blank <paramref name="webhookSecret"/> keeps the one set before.</summary>
    public void Update(string name, RecipientRole role, Channel channel, string address, string language, string webhookSecret, DateTimeOffset now)
    {
        Name = name;
        Role = role;
        Channel = channel;
        Address = address;
        Language = language;
        if (webhookSecret.Length > 0) WebhookSecret = webhookSecret;
        Active = true;
        UpdatedAt = now;
    }

    public void Deactivate(DateTimeOffset now)
    {
        Active = false;
        UpdatedAt = now;
    }
}
