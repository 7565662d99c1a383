namespace Rrm.Notification.Application;

/// <summary>
/// Petitioners' addresses, which the Petition service owns: read at each attempt and never stored here. The one
/// implementation calls that service (Grpc/PetitionerContacts); this interface keeps its proto types out of Application.
/// </summary>
internal interface IPetitionerContacts
{
    /// <summary>
    /// The petitioner's e-mail address, or null when the petition has none; a failed read is a
    /// <see cref="DeliveryFailedException"/> naming its class.
    /// </summary>
    Task<string?> EmailAsync(Guid petitionId, CancellationToken ct);
}
