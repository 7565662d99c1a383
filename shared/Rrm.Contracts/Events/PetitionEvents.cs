namespace Rrm.Contracts.Events;

/// <summary>A covered facility as events carry it, so consumers need not call back.</summary>
public sealed record FacilitySnapshot
{
    public required Guid FacilityId { get; init; }
    public required string LegalName { get; init; }
    public required string CommonName { get; init; }
    public required string StreetAddress { get; init; }
    public required string City { get; init; }
    /// <summary>ISO 3166-2:MX code, e.g. "SLP".</summary>
    public required string StateCode { get; init; }
    public required string StateName { get; init; }
    /// <summary>"manufacturing", "services" or "mining".</summary>
    public required string Sector { get; init; }
    public required string Subsector { get; init; }
    public required string Owner { get; init; }
    /// <summary>0 when unknown.</summary>
    public required int ApproximateWorkers { get; init; }
    public required IReadOnlyList<string> Mids { get; init; }
}

/// <summary>
/// The ILC determined a petition: "sufficient" (USTR may request a review by Mexico) or "insufficient"
/// (certified to the Senate Finance and House Ways and Means committees and the petitioner).
/// </summary>
public sealed record PetitionDetermined
{
    public required Guid PetitionId { get; init; }
    /// <summary>"sufficient" or "insufficient".</summary>
    public required string Outcome { get; init; }
    public required DateOnly DeterminationDate { get; init; }
    public required DateOnly ReceivedDate { get; init; }
    public required DateOnly ReviewDueDate { get; init; }
    /// <summary>Made on or before the review due date.</summary>
    public required bool Timely { get; init; }
    public required string Rationale { get; init; }
    public required string Language { get; init; }
    public required bool PetitionerContactable { get; init; }
    public required FacilitySnapshot Facility { get; init; }
}

/// <summary>A petition was withdrawn before a determination.</summary>
public sealed record PetitionWithdrawn
{
    public required Guid PetitionId { get; init; }
    public required Guid FacilityId { get; init; }
    public required DateOnly WithdrawalDate { get; init; }
}

/// <summary>The ILC review of a petition is due soon and no determination is recorded.</summary>
public sealed record IlcReviewDeadlineApproaching
{
    public required Guid PetitionId { get; init; }
    public required string FacilityName { get; init; }
    public required DateOnly DueDate { get; init; }
    public required int DaysLeft { get; init; }
}

/// <summary>The ILC review's due date has passed with no determination recorded.</summary>
public sealed record IlcReviewOverdue
{
    public required Guid PetitionId { get; init; }
    public required string FacilityName { get; init; }
    public required DateOnly DueDate { get; init; }
}

/// <summary>
/// A MID was added to a registered facility (e.g. a spelling variant found on entries). Orders in force
/// for the facility extend to it from <see cref="EffectiveDate"/>.
/// </summary>
public sealed record FacilityMidAdded
{
    public required Guid FacilityId { get; init; }
    public required string Mid { get; init; }
    /// <summary>All the facility's MIDs after the addition.</summary>
    public required IReadOnlyList<string> Mids { get; init; }
    public required DateOnly EffectiveDate { get; init; }
}
