using Grpc.Core;
using Rrm.Grpc.Petition.V1;
using Rrm.Notification.Application;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Notification.Grpc;

/// <summary>
/// Petitioners' addresses from the Petition service. The service shows its own token (<see cref="ServiceToken"/>) with
/// the read-only role petition.contact-reader, which allows GetPetition and nothing else: the one in
/// Auth:ServiceTokenFile, or in development one minted with the local key (docs/security.md).
/// </summary>
internal sealed class PetitionerContacts(PetitionService.PetitionServiceClient petitions, ServiceToken token) : IPetitionerContacts
{
    public async Task<string?> EmailAsync(Guid petitionId, CancellationToken ct)
    {
        Metadata headers;
        try { headers = token.Headers(); }
        catch (ServiceTokenUnavailableException) { throw new DeliveryFailedException("petition service token unavailable"); }
        try
        {
            var petition = (await petitions.GetPetitionAsync(new GetPetitionRequest { PetitionId = petitionId.ToString() }, headers,
                DateTime.UtcNow.AddSeconds(10), ct)).Petition;
            return petition.Petitioner is { Anonymous: false, ContactEmail.Length: > 0 } p ? p.ContactEmail : null;
        }
        catch (RpcException e)
        {
            throw new DeliveryFailedException($"petition service {e.StatusCode}");
        }
    }
}
