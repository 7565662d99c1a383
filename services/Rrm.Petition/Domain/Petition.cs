namespace Rrm.Petition.Domain;

public enum PetitionLanguage { English, Spanish }

public enum PetitionStatus { UnderReview }

/// <summary>A petition to the Interagency Labor Committee about a covered facility.</summary>
public sealed class Petition
{
    /// <summary>19 U.S.C. 4646(a): the ILC reviews a petition within 30 calendar days of receipt.</summary>
    public const int IlcReviewCalendarDays = 30;

    public const int MaxFacilityNameLength = 300;
    public const int MaxOrganizationLength = 300;
    public const int MaxEmailLength = 254;
    public const int MaxNarrativeLength = 20_000;
    public const int MaxRequestIdLength = 100;

    public Guid Id { get; private set; }
    public string FacilityName { get; private set; } = "";
    /// <summary>Confidential; empty for an anonymous petition.</summary>
    public string PetitionerOrganization { get; private set; } = "";
    public string? PetitionerEmail { get; private set; }
    public string Narrative { get; private set; } = "";
    public PetitionLanguage Language { get; private set; }
    public DateOnly ReceivedDate { get; private set; }
    public DateOnly ReviewDueDate { get; private set; }
    public PetitionStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>The client's request id and a hash of its payload, for idempotent retries.</summary>
    public string? RequestId { get; private set; }
    public string? RequestHash { get; private set; }
    public uint Version { get; private set; }

    private Petition() { }

    public static Petition Receive(string facilityName, string petitionerOrganization, string? petitionerEmail,
        string narrative, PetitionLanguage language, DateOnly receivedDate, DateTimeOffset now,
        string? requestId, string? requestHash) => new()
    {
        Id = Guid.CreateVersion7(now),
        FacilityName = facilityName,
        PetitionerOrganization = petitionerOrganization,
        PetitionerEmail = petitionerEmail,
        Narrative = narrative,
        Language = language,
        ReceivedDate = receivedDate,
        ReviewDueDate = receivedDate.AddDays(IlcReviewCalendarDays),
        Status = PetitionStatus.UnderReview,
        CreatedAt = now,
        RequestId = requestId,
        RequestHash = requestHash,
    };
}
