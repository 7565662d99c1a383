namespace Rrm.Contracts.Events;

/// <summary>A petition reached the Department of Labor; the ILC's 30-day review has started.</summary>
/// <remarks>Carries no petitioner identity: consumers that need it ask the Petition service.</remarks>
public sealed record PetitionReceived
{
    public required Guid PetitionId { get; init; }
    public required string FacilityName { get; init; }
    public required string Language { get; init; }
    public required DateOnly ReceivedDate { get; init; }
    public required DateOnly ReviewDueDate { get; init; }
}
