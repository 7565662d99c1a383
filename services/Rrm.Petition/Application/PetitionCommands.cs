using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rrm.Petition.Data;
using Rrm.Petition.Domain;
using Rrm.ServiceDefaults.Commands;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Errors;

namespace Rrm.Petition.Application;

/// <summary>
/// Every act on a petition, through the one command path (<see cref="CommandRunner"/>): the domain act, then in
/// one transaction the petition, its review clock's rows, its events (outbox) and the request id.
/// </summary>
internal sealed class PetitionCommands(PetitionDbContext db, CommandRunner runner, TimeProvider clock, IOptions<DeadlineOptions> deadlines,
    ILogger<PetitionCommands> logger)
{
    /// <summary>Records a petition about a registered facility; a retried request id gets the first petition.</summary>
    public Task<Domain.Petition> SubmitAsync(string? requestId, IMessage request, Guid facilityId,
        Func<Facility, DateTimeOffset, Domain.Petition> receive, CancellationToken ct) =>
        runner.RunAsync(requestId, request,
            load: async () =>
            {
                var facility = await db.Facilities.AsNoTracking().SingleOrDefaultAsync(f => f.Id == facilityId, ct)
                    ?? throw new RequestValidationException([new("facility_id", $"no facility {facilityId} is registered (FacilityService.RegisterFacility)")]);
                return db.Petitions.Add(receive(facility, clock.GetUtcNow())).Entity;
            },
            apply: _ => Task.FromResult(true), // Receive was the act
            stage: p => StageAsync(p, ct), idOf: p => p.Id, earlier: id => LoadAsync(id, tracked: false, ct), ct);

    public Task<Domain.Petition> DetermineAsync(Guid petitionId, IMessage request, bool sufficient, DateOnly date, string rationale, CancellationToken ct) =>
        ActAsync(petitionId, request, p => p.Determine(sufficient, date, rationale), ct);

    public Task<Domain.Petition> WithdrawAsync(Guid petitionId, IMessage request, DateOnly date, string reason, CancellationToken ct) =>
        ActAsync(petitionId, request, p => p.Withdraw(date, reason), ct);

    public async Task<Domain.Petition> LoadAsync(Guid petitionId, bool tracked, CancellationToken ct)
    {
        var query = tracked ? db.Petitions : db.Petitions.AsNoTracking();
        return await query.SingleOrDefaultAsync(p => p.Id == petitionId, ct) ?? throw new NotFoundException($"No petition has id {petitionId}.");
    }

    /// <summary>These requests carry no request id: repeating an act with the same data is itself the no-op.</summary>
    private Task<Domain.Petition> ActAsync(Guid petitionId, IMessage request, Func<Domain.Petition, bool> act, CancellationToken ct) =>
        runner.RunAsync(requestId: null, request,
            load: () => LoadAsync(petitionId, tracked: true, ct),
            apply: p => Task.FromResult(act(p)),
            stage: p => StageAsync(p, ct), idOf: p => p.Id, earlier: id => LoadAsync(id, tracked: false, ct), ct);

    /// <summary>Adds what the petition's new acts did besides the petition itself (clock rows, events), unsaved.</summary>
    private async Task StageAsync(Domain.Petition p, CancellationToken ct)
    {
        await IlcReviewDeadlines.SyncAsync(db, p, clock.GetUtcNow(), deadlines.Value.BackfillGrace, ct);
        foreach (var act in p.NewActs)
        {
            switch (act)
            {
                case PetitionAct.BeginReview:
                    db.AddEvent(IntegrationEvents.Received(p));
                    logger.LogInformation("Petition {PetitionId} about facility {FacilityId} received {ReceivedDate}; ILC review due {ReviewDueDate}",
                        p.Id, p.FacilityId, p.ReceivedDate, p.ReviewDueDate);
                    break;
                case PetitionAct.FindSufficient or PetitionAct.FindInsufficient:
                    var facility = await db.Facilities.AsNoTracking().SingleAsync(f => f.Id == p.FacilityId, ct);
                    db.AddEvent(IntegrationEvents.Determined(p, facility));
                    logger.LogInformation("Petition {PetitionId} determined {Status} on {DeterminationDate} ({Timeliness})",
                        p.Id, p.Status, p.DeterminationDate, p.DeterminationTimely == true ? "timely" : "late");
                    break;
                case PetitionAct.Withdraw:
                    db.AddEvent(IntegrationEvents.Withdrawn(p));
                    logger.LogInformation("Petition {PetitionId} withdrawn on {WithdrawalDate}", p.Id, p.WithdrawalDate);
                    break;
            }
        }
    }
}
