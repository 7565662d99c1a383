namespace Rrm.Contracts.Events;

/// <summary>A petition reached the Department of Labor; the ILC's 30-day review has started.</summary>
/// <remarks>Carries no petitioner identity: it is confidential to ILC analysts.</remarks>
public sealed record PetitionReceived
{
    public required Guid PetitionId { get; init; }
    public Guid FacilityId { get; init; }
    public required string FacilityName { get; init; }
    public string FacilityStateCode { get; init; } = "";
    /// <summary>"en" or "es".</summary>
    public required string Language { get; init; }
    public required DateOnly ReceivedDate { get; init; }
    public required DateOnly ReviewDueDate { get; init; }
    /// <summary>Whether the petitioner left a way to be contacted (an acknowledgement is owed).</summary>
    public bool PetitionerContactable { get; init; }
}
