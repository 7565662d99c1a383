using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Reference;
using Rrm.TariffLiquidation.Application;
using Rrm.TariffLiquidation.Data;
using Domain = Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Grpc;

/// <summary>
/// The entry gate, proto in and out: its rules are <see cref="Domain.EntryGate"/>'s, its orders the replica's
/// <see cref="OrderBook"/> (docs/adr/0011). Entries as the customs system knows them are answered from memory alone;
/// registered entries by number with one indexed read of their rows.
/// </summary>
internal sealed class EntryGateQueries(LiquidationDbContext db, OrderBook book, IOptions<LiquidationOptions> options, TimeProvider clock)
{
    public const int MaxCheck = 1_000;
    private const int MaxViolations = 100;
    private const int MaxMid = 15;

    public async Task<CheckEntriesResponse> CheckAsync(CheckEntriesRequest request, CancellationToken ct)
    {
        var byNumber = request.EntryNumbers.Count > 0;
        var v = new Validation();
        if (byNumber == request.Entries.Count > 0)
            v.Add(byNumber ? "entries" : "entry_numbers",
                byNumber ? "give entry_numbers or entries, not both" : $"from 1 to {MaxCheck} entry numbers, or from 1 to {MaxCheck} entries");
        var count = byNumber ? request.EntryNumbers.Count : request.Entries.Count;
        if (count > MaxCheck) v.Add(byNumber ? "entry_numbers" : "entries", $"at most {MaxCheck} a call (got {count})");
        if (request.MinLedgerSequence < 0) v.Add("min_ledger_sequence", "must be 0 or a sequence number");
        if (!v.IsValid) v.ThrowIfInvalid();
        return byNumber ? await ByNumberAsync(request, ct) : await AsKnownAsync(request, ct);
    }

    /// <summary>Entries as the customs system knows them: validated, then decided in one pass from the orders in memory.</summary>
    private async ValueTask<CheckEntriesResponse> AsKnownAsync(CheckEntriesRequest request, CancellationToken ct)
    {
        var today = LegalCalendar.Today(clock);
        var v = new Validation();
        var entries = new Domain.CustomsEntry[request.Entries.Count];
        for (var i = 0; i < entries.Length && v.Violations.Count < MaxViolations; i++)
            entries[i] = Validate(request.Entries[i], i, today, v);
        v.ThrowIfInvalid();
        var orders = await book.CurrentAsync(request.MinLedgerSequence, ct);
        var response = new CheckEntriesResponse { LedgerSequence = orders.Sequence };
        response.Entries.Capacity = entries.Length;
        var mapped = new OrderProtos();
        foreach (var entry in entries)
            response.Entries.Add(Domain.EntryGate.Decide(entry, orders.For(entry.Mid)).ToProto(entry, mapped));
        return response;
    }

    private Domain.CustomsEntry Validate(GateEntry e, int index, DateOnly today, Validation v)
    {
        var number = EntryFields.Number(e.EntryNumber, "entries", index, "entry_number", options.Value.EnforceCheckDigit, v);
        var mid = Mid(e.Mid);
        if (mid is null) v.Add($"entries[{index}].mid", $"'{e.Mid}' must be a MID: 1 to {MaxMid} letters and digits");
        var date = EntryFields.EntryDate(e.EntryDate, "entries", index, today, v);
        var liquidated = EntryFields.LiquidationDate(e.LiquidationDate, "entries", index, e.EntryDate is null ? null : date, today, v);
        return new Domain.CustomsEntry { EntryNumber = number ?? "", Mid = mid ?? "", EntryDate = date, LiquidatedOn = liquidated };
    }

    /// <summary>The MID upper-cased and trimmed (without allocating when it already is), or null when it is not one.</summary>
    private static string? Mid(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length is 0 or > MaxMid) return null;
        var upper = trimmed.Length == text.Length;
        foreach (var c in trimmed)
        {
            if (!char.IsAsciiLetterOrDigit(c)) return null;
            upper &= !char.IsAsciiLetterLower(c);
        }
        return upper ? text : trimmed.ToString().ToUpperInvariant();
    }

    /// <summary>Registered entries by number: their rows in one indexed read, the orders from memory; an unknown number is NOT_REGISTERED.</summary>
    private async Task<CheckEntriesResponse> ByNumberAsync(CheckEntriesRequest request, CancellationToken ct)
    {
        var v = new Validation();
        var numbers = new string[request.EntryNumbers.Count];
        for (var i = 0; i < numbers.Length; i++)
        {
            numbers[i] = EntryFields.Number(request.EntryNumbers[i], "entry_numbers", i, "", options.Value.EnforceCheckDigit, v) ?? "";
        }
        v.ThrowIfInvalid();
        var orders = await book.CurrentAsync(request.MinLedgerSequence, ct);
        var entries = await EntriesAsync(numbers, ct);
        var response = new CheckEntriesResponse { LedgerSequence = orders.Sequence };
        var mapped = new OrderProtos();
        foreach (var number in numbers)
            response.Entries.Add(entries.TryGetValue(number, out var entry)
                ? Domain.EntryGate.Decide(entry, orders.For(entry.Mid)).ToProto(entry, mapped)
                : new EntryCheck { EntryNumber = number, Status = EntryStatus.NotRegistered });
        return response;
    }

    /// <summary>The gate's facts of the entries with these numbers (the primary key's index), without the ORM.</summary>
    private async Task<Dictionary<string, Domain.CustomsEntry>> EntriesAsync(string[] numbers, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(
                "SELECT entry_number, mid, entry_date, liquidated_on FROM liquidation.entries WHERE entry_number = ANY($1::bpchar[])", connection)
            {
                Parameters = { new() { Value = numbers } },
            };
            await using var reader = await command.ExecuteReaderAsync(ct);
            var entries = new Dictionary<string, Domain.CustomsEntry>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct))
            {
                var entry = new Domain.CustomsEntry
                {
                    EntryNumber = reader.GetString(0), Mid = reader.GetString(1), EntryDate = reader.GetFieldValue<DateOnly>(2),
                    LiquidatedOn = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateOnly>(3),
                };
                entries[entry.EntryNumber] = entry;
            }
            return entries;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
