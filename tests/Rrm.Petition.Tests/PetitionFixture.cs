using Rrm.Grpc.Petition.V1;
using Rrm.Petition.Data;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

public sealed class PetitionFixture() : ServiceFixture<PetitionDbContext>(PetitionDbContext.SchemaName)
{
    public PetitionService.PetitionServiceClient Client() => new(Service.CreateChannel());
}
