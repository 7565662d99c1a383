using Rrm.ServiceDefaults.Errors;

namespace Rrm.Petition.Domain;

public enum PetitionLanguage { English, Spanish }

public enum AllegationCategory { FreedomOfAssociation, CollectiveBargaining, Retaliation, ElectionInterference, ProtectionContract, Other }

/// <summary>Who filed a petition. Confidential: shown only to ILC analysts, never put in events or logs.</summary>
public sealed class Petitioner
{
    public const int MaxOrganizationLength = 300;
    public const int MaxContactNameLength = 200;
    public const int MaxEmailLength = 254;
    public const int MaxPhoneLength = 40;

    public bool Anonymous { get; init; }
    public string Organization { get; init; } = "";
    public string ContactName { get; init; } = "";
    public string ContactEmail { get; init; } = "";
    public string ContactPhone { get; init; } = "";

    public bool HasContact => !Anonymous && (ContactEmail.Length > 0 || ContactPhone.Length > 0);
}

public sealed record EvidenceReference(string Title, string MediaType, string Sha256, string Location);

/// <summary>A petition to the Interagency Labor Committee about a covered facility.</summary>
public sealed class Petition
{
    public const int MaxNarrativeLength = 20_000;
    public const int MaxLaws = 50;
    public const int MaxLawLength = 300;
    public const int MaxEvidence = 100;
    public const int MaxRationaleLength = 10_000;
    public const int MaxWithdrawalReasonLength = 2_000;

    public Guid Id { get; private set; }
    public Guid FacilityId { get; private set; }
    /// <summary>The facility's names and place as they were when the petition arrived (for lists and filters).</summary>
    public string FacilityLegalName { get; private set; } = "";
    public string FacilityCommonName { get; private set; } = "";
    public string FacilityCity { get; private set; } = "";
    public string FacilityStateCode { get; private set; } = "";
    public Petitioner Petitioner { get; private set; } = new();
    public List<AllegationCategory> AllegationCategories { get; private set; } = [];
    public string Narrative { get; private set; } = "";
    public List<string> MexicanLawsCited { get; private set; } = [];
    public List<EvidenceReference> Evidence { get; private set; } = [];
    public PetitionLanguage Language { get; private set; }
    public DateOnly ReceivedDate { get; private set; }
    public DateOnly ReviewDueDate { get; private set; }
    public PetitionStatus Status { get; private set; }
    public DateOnly? DeterminationDate { get; private set; }
    public string? DeterminationRationale { get; private set; }
    public DateOnly? WithdrawalDate { get; private set; }
    public string? WithdrawalReason { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public uint Version { get; private set; }

    private readonly List<PetitionAct> _newActs = [];

    /// <summary>The acts applied since the petition was loaded or received: what the command saves, clocks and announces.</summary>
    public IReadOnlyList<PetitionAct> NewActs => _newActs;

    /// <summary>Made on or before the due date (the statute's 30 days); null until determined.</summary>
    public bool? DeterminationTimely => DeterminationDate is { } d ? d <= ReviewDueDate : null;

    private Petition() { }

    /// <summary>
    /// A petition as the Department of Labor received it. The ILC's clock runs from receipt
    /// (19 U.S.C. 4646(b)(1)), so the review begins at once: RECEIVED is only the state before that act.
    /// </summary>
    public static Petition Receive(Facility facility, Petitioner petitioner, IEnumerable<AllegationCategory> categories,
        string narrative, IEnumerable<string> lawsCited, IEnumerable<EvidenceReference> evidence, PetitionLanguage language,
        DateOnly receivedDate, DateTimeOffset now)
    {
        var petition = new Petition
        {
            Id = Guid.CreateVersion7(now),
            FacilityId = facility.Id,
            FacilityLegalName = facility.LegalName,
            FacilityCommonName = facility.CommonName,
            FacilityCity = facility.City,
            FacilityStateCode = facility.StateCode,
            Petitioner = petitioner,
            AllegationCategories = categories.Distinct().ToList(),
            Narrative = narrative,
            MexicanLawsCited = lawsCited.ToList(),
            Evidence = evidence.ToList(),
            Language = language,
            ReceivedDate = receivedDate,
            ReviewDueDate = IlcReviewClock.DueDate(receivedDate),
            Status = PetitionStatus.Received,
            CreatedAt = now,
        };
        petition.Apply(PetitionAct.BeginReview);
        return petition;
    }

    /// <summary>Records the ILC's determination. Returns false when the same determination was already recorded.</summary>
    public bool Determine(bool sufficient, DateOnly date, string rationale)
    {
        NotBeforeReceipt("determination_date", date);
        var outcome = sufficient ? PetitionStatus.Sufficient : PetitionStatus.Insufficient;
        if (Status == outcome && DeterminationDate == date && DeterminationRationale == rationale) return false;
        Apply(sufficient ? PetitionAct.FindSufficient : PetitionAct.FindInsufficient);
        DeterminationDate = date;
        DeterminationRationale = rationale;
        return true;
    }

    /// <summary>Withdraws the petition. Returns false when it was already withdrawn with the same date and reason.</summary>
    public bool Withdraw(DateOnly date, string reason)
    {
        NotBeforeReceipt("withdrawal_date", date);
        if (Status == PetitionStatus.Withdrawn && WithdrawalDate == date && WithdrawalReason == reason) return false;
        Apply(PetitionAct.Withdraw);
        WithdrawalDate = date;
        WithdrawalReason = reason;
        return true;
    }

    private void NotBeforeReceipt(string field, DateOnly date)
    {
        if (date < ReceivedDate)
            throw new RequestValidationException([new(field, $"must not be before the petition was received ({ReceivedDate:yyyy-MM-dd})")]);
    }

    private void Apply(PetitionAct act)
    {
        Status = PetitionStateMachine.Next(Status, act);
        _newActs.Add(act);
    }
}
