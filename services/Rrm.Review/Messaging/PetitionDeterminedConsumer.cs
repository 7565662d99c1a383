using MassTransit;
using Microsoft.EntityFrameworkCore;
using Rrm.Contracts.Events;
using Rrm.Review.Application;
using Rrm.Review.Data;
using Rrm.Review.Domain;
using Rrm.ServiceDefaults.Messaging;

namespace Rrm.Review.Messaging;

/// <summary>
/// A sufficient ILC determination opens a case awaiting the request for review (DOMAIN.md §6, row 4);
/// USTR's 60-day panel decision clock runs from the determination. One case per petition.
/// </summary>
internal sealed class PetitionDeterminedConsumer(ReviewDbContext db, CaseCommands commands, BusinessCalendar calendar, TimeProvider clock,
    ILogger<PetitionDeterminedConsumer> logger) : IdempotentConsumer<PetitionDetermined, ReviewDbContext>(db, logger)
{
    public const string RecordedBy = "petition-service";

    protected override async Task HandleAsync(PetitionDetermined message, ConsumeContext<PetitionDetermined> context)
    {
        if (message.Outcome != "sufficient") return;
        if (await Db.Cases.AnyAsync(c => c.PetitionId == message.PetitionId, context.CancellationToken)) return;
        var ctx = new ActContext(message.DeterminationDate, null, message.Rationale, RecordedBy, clock.GetUtcNow(), calendar);
        var c = EnforcementCase.OpenOnPetition(message.PetitionId, message.Facility.ToCaseFacility(), message.ReceivedDate, ctx);
        Db.Cases.Add(c);
        await commands.StageAsync(c, context.CancellationToken);
    }
}
