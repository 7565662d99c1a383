using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Rrm.Petition.Data;
using Rrm.Petition.Domain;
using Rrm.ServiceDefaults.Commands;
using Rrm.ServiceDefaults.Errors;

namespace Rrm.Petition.Application;

/// <summary>Registering facilities and their MIDs, through the one command path (<see cref="CommandRunner"/>).</summary>
internal sealed class FacilityCommands(PetitionDbContext db, CommandRunner runner, ILogger<FacilityCommands> logger)
{
    /// <summary>Saves the facility <paramref name="register"/> builds, unless one with its legal name and address exists.</summary>
    public Task<Facility> RegisterAsync(IMessage request, Func<Facility> register, CancellationToken ct) =>
        runner.RunAsync(requestId: null, request,
            load: async () =>
            {
                var facility = register();
                // Checked again on fresh state when a concurrent registration took the unique key first.
                await ThrowIfDuplicateAsync(facility.DuplicateKey, ct);
                return db.Facilities.Add(facility).Entity;
            },
            apply: _ => Task.FromResult(true),
            stage: f =>
            {
                logger.LogInformation("Facility {FacilityId} registered with MIDs {Mids}", f.Id, f.Mids);
                return Task.CompletedTask;
            },
            idOf: f => f.Id, earlier: id => LoadAsync(id, tracked: false, ct), ct);

    /// <summary>Adds a MID to the facility; false when it had it already (nothing changed).</summary>
    public async Task<(Facility Facility, bool Added)> AddMidAsync(Guid facilityId, IMessage request, string mid, DateOnly effectiveDate, CancellationToken ct)
    {
        var added = false;
        var facility = await runner.RunAsync(requestId: null, request,
            load: () => LoadAsync(facilityId, tracked: true, ct),
            apply: async f => added = f.AddMid(mid, await HolderAsync(facilityId, mid, ct)),
            stage: f =>
            {
                db.AddEvent(IntegrationEvents.MidAdded(f, mid, effectiveDate));
                logger.LogInformation("Facility {FacilityId} MID {Mid} added, effective {EffectiveDate}", f.Id, mid, effectiveDate);
                return Task.CompletedTask;
            },
            idOf: f => f.Id, earlier: id => LoadAsync(id, tracked: false, ct), ct,
            // A MID names one facility: additions of the same MID wait for each other, so two facilities cannot both take it.
            serializeOn: "petition.mid:" + mid);
        return (facility, added);
    }

    public async Task<Facility> LoadAsync(Guid facilityId, bool tracked, CancellationToken ct)
    {
        var query = tracked ? db.Facilities : db.Facilities.AsNoTracking();
        return await query.SingleOrDefaultAsync(f => f.Id == facilityId, ct) ?? throw new NotFoundException($"No facility has id {facilityId}.");
    }

    private async Task<(Guid Id, string LegalName)?> HolderAsync(Guid facilityId, string mid, CancellationToken ct)
    {
        var holder = await db.Facilities.AsNoTracking().Where(f => f.Id != facilityId && f.Mids.Contains(mid))
            .OrderBy(f => f.Id).Select(f => new { f.Id, f.LegalName }).FirstOrDefaultAsync(ct);
        return holder is null ? null : (holder.Id, holder.LegalName);
    }

    private async Task ThrowIfDuplicateAsync(string duplicateKey, CancellationToken ct)
    {
        var existing = await db.Facilities.AsNoTracking().Where(f => f.DuplicateKey == duplicateKey).Select(f => (Guid?)f.Id).SingleOrDefaultAsync(ct);
        if (existing is not null)
            throw new AlreadyExistsException($"A facility with this legal name and address is already registered: facility_id {existing}.");
    }
}
