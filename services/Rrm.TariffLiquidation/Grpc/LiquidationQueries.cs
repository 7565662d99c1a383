using Microsoft.EntityFrameworkCore;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Grpc;
using Rrm.TariffLiquidation.Application;
using Rrm.TariffLiquidation.Data;
using Domain = Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Grpc;

/// <summary>
/// Reads, proto in and out: facility status, orders, the instruction ledger and a case's impact (the entry gate is
/// <see cref="EntryGateQueries"/>).
/// </summary>
internal sealed class LiquidationQueries(LiquidationDbContext db, DatabaseNotifications notifications)
{
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(2);
    private const int WatchBatch = 500;

    /// <summary>SQL: the suspension <c>o</c> holds (or held) the entry <c>e</c>; the same rule as <see cref="Domain.LiquidationOrder.Holds"/>.</summary>
    private const string HeldSql = """
        o.kind = 'LiquidationSuspension' AND e.mid = ANY (o.mids)
        AND (e.liquidated_on IS NULL OR e.liquidated_on >= o.effective_from)
        AND (o.lifted_on IS NULL OR e.entry_date <= o.lifted_on)
        AND NOT EXISTS (SELECT 1 FROM liquidation.order_mid_additions a WHERE a.order_id = o.id AND a.mid = e.mid AND e.entry_date < a.effective_from)
        """;

    /// <summary>Fills each order's MIDs added after it opened (the ORM does not map them).</summary>
    private async Task<List<Domain.LiquidationOrder>> WithAddedMidsAsync(List<Domain.LiquidationOrder> orders, CancellationToken ct)
    {
        var ids = orders.Select(o => o.Id).ToList();
        foreach (var added in await db.OrderMidAdditions.AsNoTracking().Where(a => ids.Contains(a.OrderId)).ToListAsync(ct))
            orders.First(o => o.Id == added.OrderId).AddedMids[added.Mid] = added.EffectiveFrom;
        return orders;
    }

    public async Task<GetFacilityStatusResponse> FacilityStatusAsync(string mid, CancellationToken ct)
    {
        mid = mid.Trim().ToUpperInvariant();
        new Validation().RequiredLine("mid", mid, 15).ThrowIfInvalid();
        var known = await db.KnownMids.AsNoTracking().SingleOrDefaultAsync(m => m.Mid == mid, ct)
            ?? throw new NotFoundException($"No facility with an enforcement case has the MID {mid}.");
        var orders = await WithAddedMidsAsync(
            await db.Orders.AsNoTracking().Where(o => o.Mids.Contains(mid)).OrderBy(o => o.EffectiveFrom).ThenBy(o => o.Id).ToListAsync(ct), ct);
        var suspended = orders.Any(o => o.InForce && o.Kind == Domain.OrderKind.LiquidationSuspension);
        var response = new GetFacilityStatusResponse
        {
            Mid = mid,
            FacilityMids = { known.FacilityMids },
            FacilityId = known.FacilityId?.ToString() ?? "",
            FacilityName = known.FacilityName,
            LiquidationSuspended = suspended,
            ActiveOrders = { orders.Where(o => o.InForce).Select(o => o.ToProto()) },
            History = { orders.Select(o => o.ToProto()) },
            HeldEntries = suspended ? await db.Database.SqlQueryRaw<long>($$"""
                SELECT count(*) AS "Value" FROM liquidation.entries e
                WHERE e.mid = {0} AND EXISTS (SELECT 1 FROM liquidation.orders o WHERE o.lifted_on IS NULL AND {{HeldSql}})
                """, mid).SingleAsync(ct) : 0,
        };
        return response;
    }

    public async Task<ListSuspensionsResponse> SuspensionsAsync(ListSuspensionsRequest request, CancellationToken ct)
    {
        var v = new Validation().OptionalLine("mid", request.Mid, 15);
        Guid? caseId = string.IsNullOrWhiteSpace(request.CaseId) ? null : request.CaseId.ToId("case_id", v);
        var size = request.Page.PageSize(v);
        var after = request.Page.DecodeToken(1, v) is { } token ? token[0].ToId("page.page_token", v) : (Guid?)null;
        v.ThrowIfInvalid();
        var query = db.Orders.AsNoTracking();
        if (request.ActiveOnly) query = query.Where(o => o.LiftedOn == null);
        if (!string.IsNullOrWhiteSpace(request.Mid))
        {
            var mid = request.Mid.Trim().ToUpperInvariant();
            query = query.Where(o => o.Mids.Contains(mid));
        }
        if (caseId is not null) query = query.Where(o => o.CaseId == caseId);
        if (after is not null) query = query.Where(o => o.Id.CompareTo(after.Value) < 0);
        var page = await WithAddedMidsAsync(await query.OrderByDescending(o => o.Id).Take(size + 1).ToListAsync(ct), ct);
        var response = new ListSuspensionsResponse { Page = new() };
        response.Orders.AddRange(page.Take(size).Select(o => o.ToProto()));
        if (page.Count > size) response.Page.NextPageToken = Paging.EncodeToken(page[size - 1].Id.ToString());
        return response;
    }

    public async Task<ListInstructionsResponse> InstructionsAsync(ListInstructionsRequest request, CancellationToken ct)
    {
        var v = new Validation();
        if (request.AfterSequence < 0) v.Add("after_sequence", "must be 0 or a sequence number");
        if (request.PageSize is < 0 or > 1000) v.Add("page_size", "must be from 1 to 1000 (0 for 100)");
        Guid? caseId = string.IsNullOrWhiteSpace(request.CaseId) ? null : request.CaseId.ToId("case_id", v);
        v.ThrowIfInvalid();
        var size = request.PageSize == 0 ? 100 : request.PageSize;
        var query = db.Instructions.AsNoTracking().Where(i => i.Sequence > request.AfterSequence);
        if (caseId is { } id) query = query.Where(i => i.CaseId == id);
        var page = await query.OrderBy(i => i.Sequence).Take(size).ToListAsync(ct);
        var response = new ListInstructionsResponse { LastSequence = await db.Set<InstructionCounter>().Select(c => c.LastSequence).SingleAsync(ct) };
        response.Instructions.AddRange(page.Select(i => i.ToProto()));
        return response;
    }

    public async Task WatchAsync(long afterSequence, Func<CustomsInstruction, Task> write, CancellationToken ct)
    {
        if (afterSequence < 0) Validation.Reject("after_sequence", "must be 0 or a sequence number");
        using var wakeUps = notifications.Listen(LiquidationDbContext.InstructionsChannel);
        var position = afterSequence;
        while (!ct.IsCancellationRequested)
        {
            var page = await db.Instructions.AsNoTracking().Where(i => i.Sequence > position).OrderBy(i => i.Sequence).Take(WatchBatch).ToListAsync(ct);
            foreach (var instruction in page)
            {
                await write(instruction.ToProto());
                position = instruction.Sequence;
            }
            if (page.Count < WatchBatch) await wakeUps.WaitAsync(WatchPoll, ct);
        }
    }

    public async Task<GetCaseImpactResponse> CaseImpactAsync(string caseIdText, CancellationToken ct)
    {
        var caseId = ProtoMapping.ParseId(caseIdText, "case_id");
        var orders = await db.Orders.AsNoTracking().Where(o => o.CaseId == caseId).ToListAsync(ct);
        var suspensions = orders.Where(o => o.IsSuspension).ToList();
        if (suspensions.Count == 0 && !await db.Instructions.AnyAsync(i => i.CaseId == caseId, ct))
            throw new NotFoundException($"No suspension of liquidation is recorded for case {caseId}.");
        var months = await db.Database.SqlQueryRaw<MonthRow>($$"""
            SELECT extract(year FROM e.entry_date)::int AS "Year", extract(month FROM e.entry_date)::int AS "Month",
                   count(*) AS "Entries", sum(e.entered_value) AS "Value", sum(e.estimated_duties) AS "Duties"
            FROM liquidation.entries e
            WHERE EXISTS (SELECT 1 FROM liquidation.orders o WHERE o.case_id = {0} AND {{HeldSql}})
            GROUP BY 1, 2 ORDER BY 1, 2
            """, caseId).ToListAsync(ct);
        var response = new GetCaseImpactResponse
        {
            CaseId = caseId.ToString(),
            Entries = months.Sum(m => m.Entries),
            EnteredValue = months.Sum(m => m.Value).ToProto(),
            EstimatedDuties = months.Sum(m => m.Duties).ToProto(),
            SuspensionInForce = suspensions.Any(o => o.InForce),
        };
        response.ByMonth.AddRange(months.Select(m => new MonthImpact
        {
            Year = m.Year, Month = m.Month, Entries = m.Entries, EnteredValue = m.Value.ToProto(), EstimatedDuties = m.Duties.ToProto(),
        }));
        // Each duty remedy that reached held entries (19 U.S.C. 4693(a)(1)(B)), over the entries of the suspensions ended by a remedy by its date.
        var remedies = suspensions.Where(s => s.EndedByRemedyId is not null).SelectMany(s => s.RemediesReaching(orders))
            .DistinctBy(o => o.Id).OrderBy(o => o.EffectiveFrom).ToList();
        foreach (var remedy in remedies)
        {
            var preference = remedy.Kind == Domain.OrderKind.PreferenceSuspension;
            // Composed by EF (SingleAsync): the columns go by the model's snake_case names.
            var row = await db.Database.SqlQueryRaw<RemedyRow>($$"""
                SELECT count(*) AS entries, coalesce(sum(e.entered_value), 0) AS value, coalesce(sum(e.estimated_duties), 0) AS duties,
                       coalesce(sum(CASE WHEN {1} AND e.usmca_claimed THEN coalesce(e.duties_without_preference, e.estimated_duties) ELSE e.estimated_duties END), 0) AS with_remedy,
                       count(*) FILTER (WHERE {1} AND e.usmca_claimed AND e.duties_without_preference IS NULL) AS unknown
                FROM liquidation.entries e
                WHERE EXISTS (SELECT 1 FROM liquidation.orders o
                              WHERE o.case_id = {0} AND o.ended_by_remedy_id IS NOT NULL AND o.lifted_on <= {2} AND {{HeldSql}})
                """, caseId, preference, remedy.EffectiveFrom).SingleAsync(ct);
            response.Remedies.Add(new RemedyImpact
            {
                RemedyId = remedy.RemedyId?.ToString() ?? "", Kind = remedy.Kind.ByName<OrderKind>(), Description = remedy.Description,
                ImposedOn = remedy.EffectiveFrom.ToProto(), Entries = row.Entries, EnteredValue = row.Value.ToProto(), EstimatedDuties = row.Duties.ToProto(),
                DutiesWithRemedy = row.WithRemedy.ToProto(), AdditionalDuties = (row.WithRemedy - row.Duties).ToProto(), EntriesWithoutGeneralDuties = row.Unknown,
            });
        }
        return response;
    }

    private sealed record RemedyRow(long Entries, decimal Value, decimal Duties, decimal WithRemedy, long Unknown);

    private sealed record MonthRow(int Year, int Month, long Entries, decimal Value, decimal Duties);
}
