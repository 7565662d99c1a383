using Microsoft.EntityFrameworkCore;
using Npgsql;
using Microsoft.Extensions.Options;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Grpc;
using Rrm.TariffLiquidation.Data;
using Rrm.TariffLiquidation.Grpc;
using Domain = Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Application;

/// <summary>
/// Reads: the entry gate, facility status, orders, the instruction ledger and a case's impact. An entry's
/// status is derived from the orders for its MID: nothing is written to entries when an order starts or ends.
/// </summary>
internal sealed class LiquidationQueries(LiquidationDbContext db, DatabaseNotifications notifications, IOptions<LiquidationOptions> options)
{
    public const int MaxCheck = 1_000;
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(2);
    private const int WatchBatch = 500;

    public async Task<CheckEntriesResponse> CheckAsync(IReadOnlyList<string> numbers, CancellationToken ct)
    {
        var v = new Validation();
        if (numbers.Count is 0 or > MaxCheck) v.Add("entry_numbers", $"from 1 to {MaxCheck} entry numbers");
        var normalized = new string[numbers.Count];
        for (var i = 0; i < numbers.Count && i < MaxCheck; i++)
        {
            normalized[i] = Domain.EntryNumber.Normalize(numbers[i], options.Value.EnforceCheckDigit, out var reason) ?? "";
            if (normalized[i].Length == 0) v.Add($"entry_numbers[{i}]", $"'{numbers[i]}' {reason}");
        }
        v.ThrowIfInvalid();

        var (entries, orders) = await GateRowsAsync(normalized, ct);
        var response = new CheckEntriesResponse();
        foreach (var number in normalized)
            response.Entries.Add(entries.TryGetValue(number, out var entry) ? Check(entry, orders) : new EntryCheck { EntryNumber = number, Status = EntryStatus.NotRegistered });
        return response;
    }

    /// <summary>
    /// The entries with these numbers and every order naming one of their MIDs, in one round trip and without the
    /// ORM: the gate is the hot path of the customs system (bench/README.md, "entry gate").
    /// </summary>
    private async Task<(Dictionary<string, Domain.CustomsEntry> Entries, List<Domain.LiquidationOrder> Orders)> GateRowsAsync(
        string[] numbers, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new("SELECT entry_number, mid, entry_date FROM liquidation.entries WHERE entry_number = ANY($1::bpchar[])") { Parameters = { new() { Value = numbers } } },
                    new("""
                        SELECT id, kind, case_id, invocation_number, facility_id, facility_name, mids, effective_from, lifted_on, directive, remedy_id, description, created_at
                        FROM liquidation.orders WHERE mids && ARRAY(SELECT DISTINCT mid::text FROM liquidation.entries WHERE entry_number = ANY($1::bpchar[]))
                        """) { Parameters = { new() { Value = numbers } } },
                },
            };
            await using var reader = await batch.ExecuteReaderAsync(ct);
            var entries = new Dictionary<string, Domain.CustomsEntry>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct))
            {
                var entry = new Domain.CustomsEntry { EntryNumber = reader.GetString(0), Mid = reader.GetString(1), EntryDate = reader.GetFieldValue<DateOnly>(2) };
                entries[entry.EntryNumber] = entry;
            }
            await reader.NextResultAsync(ct);
            var orders = new List<Domain.LiquidationOrder>();
            while (await reader.ReadAsync(ct))
                orders.Add(Domain.LiquidationOrder.Restore(reader.GetGuid(0), Enum.Parse<Domain.OrderKind>(reader.GetString(1)), reader.GetGuid(2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.GetString(5),
                    [.. reader.GetFieldValue<string[]>(6)], reader.GetFieldValue<DateOnly>(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateOnly>(8),
                    reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetGuid(10), reader.GetString(11), reader.GetFieldValue<DateTimeOffset>(12)));
            return (entries, orders);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static EntryCheck Check(Domain.CustomsEntry entry, List<Domain.LiquidationOrder> orders)
    {
        var forMid = orders.Where(o => o.Mids.Contains(entry.Mid)).ToList();
        var check = new EntryCheck { EntryNumber = entry.EntryNumber, Mid = entry.Mid };
        check.Remedies.AddRange(forMid.Where(o => o.InForce && o.Kind != Domain.OrderKind.LiquidationSuspension).Select(o => o.ToProto()));
        var hold = forMid.Where(o => o.InForce && o.Kind == Domain.OrderKind.LiquidationSuspension).MinBy(o => o.EffectiveFrom);
        if (hold is not null)
        {
            check.Status = EntryStatus.Held;
            check.OrderId = hold.Id.ToString();
            check.CaseId = hold.CaseId.ToString();
            check.HeldSince = (entry.EntryDate > hold.EffectiveFrom ? entry.EntryDate : hold.EffectiveFrom).ToProto();
            return check;
        }
        check.Status = EntryStatus.MayLiquidate;
        // Entered before a suspension ended: CBP has six months from the notice (19 U.S.C. 1504(d)).
        var lifted = forMid.Where(o => o.Kind == Domain.OrderKind.LiquidationSuspension && entry.EntryDate <= o.LiftedOn).MaxBy(o => o.LiftedOn);
        if (lifted is not null) check.LiquidateBy = lifted.LiftedOn!.Value.AddMonths(Domain.InstructionRecord.LiquidateWithinMonths).ToProto();
        return check;
    }

    public async Task<GetFacilityStatusResponse> FacilityStatusAsync(string mid, CancellationToken ct)
    {
        mid = mid.Trim().ToUpperInvariant();
        new Validation().RequiredText("mid", mid, 15).ThrowIfInvalid();
        var known = await db.KnownMids.AsNoTracking().SingleOrDefaultAsync(m => m.Mid == mid, ct)
            ?? throw new NotFoundException($"No facility with an enforcement case has the MID {mid}.");
        var orders = await db.Orders.AsNoTracking().Where(o => o.Mids.Contains(mid)).OrderBy(o => o.EffectiveFrom).ThenBy(o => o.Id).ToListAsync(ct);
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
            HeldEntries = suspended ? await db.Entries.LongCountAsync(e => e.Mid == mid, ct) : 0,
        };
        return response;
    }

    public async Task<ListSuspensionsResponse> SuspensionsAsync(ListSuspensionsRequest request, CancellationToken ct)
    {
        var v = new Validation().OptionalText("mid", request.Mid, 15);
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
        var page = await query.OrderByDescending(o => o.Id).Take(size + 1).ToListAsync(ct);
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
        v.ThrowIfInvalid();
        var size = request.PageSize == 0 ? 100 : request.PageSize;
        var page = await db.Instructions.AsNoTracking().Where(i => i.Sequence > request.AfterSequence).OrderBy(i => i.Sequence).Take(size).ToListAsync(ct);
        var response = new ListInstructionsResponse { LastSequence = await db.Set<InstructionCounter>().Select(c => c.LastSequence).SingleAsync(ct) };
        response.Instructions.AddRange(page.Select(i => i.ToProto()));
        return response;
    }

    public async Task WatchAsync(long afterSequence, Func<CustomsInstruction, Task> write, CancellationToken ct)
    {
        if (afterSequence < 0) Validation.Reject("after_sequence", "must be 0 or a sequence number");
        using var wakeUps = notifications.Listen(InstructionLedger.Channel);
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
        var orders = await db.Orders.AsNoTracking().Where(o => o.CaseId == caseId && o.Kind == Domain.OrderKind.LiquidationSuspension).ToListAsync(ct);
        if (orders.Count == 0 && !await db.Instructions.AnyAsync(i => i.CaseId == caseId, ct))
            throw new NotFoundException($"No suspension of liquidation is recorded for case {caseId}.");
        var months = await db.Database.SqlQuery<MonthRow>($"""
            SELECT extract(year FROM e.entry_date)::int AS "Year", extract(month FROM e.entry_date)::int AS "Month",
                   count(*) AS "Entries", sum(e.entered_value) AS "Value", sum(e.estimated_duties) AS "Duties"
            FROM liquidation.entries e
            WHERE EXISTS (SELECT 1 FROM liquidation.orders o
                          WHERE o.case_id = {caseId} AND o.kind = 'LiquidationSuspension' AND e.mid = ANY (o.mids)
                            AND (o.lifted_on IS NULL OR e.entry_date <= o.lifted_on))
            GROUP BY 1, 2 ORDER BY 1, 2
            """).ToListAsync(ct);
        var response = new GetCaseImpactResponse
        {
            CaseId = caseId.ToString(),
            Entries = months.Sum(m => m.Entries),
            EnteredValue = months.Sum(m => m.Value).ToProto(),
            EstimatedDuties = months.Sum(m => m.Duties).ToProto(),
            SuspensionInForce = orders.Any(o => o.InForce),
        };
        response.ByMonth.AddRange(months.Select(m => new MonthImpact
        {
            Year = m.Year, Month = m.Month, Entries = m.Entries, EnteredValue = m.Value.ToProto(), EstimatedDuties = m.Duties.ToProto(),
        }));
        return response;
    }

    private sealed record MonthRow(int Year, int Month, long Entries, decimal Value, decimal Duties);
}
