using System.Data;
using Microsoft.EntityFrameworkCore;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Grpc;
using Rrm.TariffLiquidation.Data;
using Rrm.TariffLiquidation.Grpc;
using Domain = Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Tests;

/// <summary>
/// The entry gate asked as a customs system that consumed the feed asks it: at the ledger's last sequence
/// (<c>min_ledger_sequence</c>), both by number and as it knows each registered entry (<see cref="GateEntry"/>). Both
/// answers must be the verdict the rules give on the orders and entries as the database holds them at that sequence.
/// </summary>
internal static class GateAgreement
{
    public static async Task<IList<EntryCheck>> CheckAsync(this LiquidationFixture fixture, params string[] numbers)
    {
        var client = fixture.Client();
        for (var attempt = 1; ; attempt++)
        {
            var (sequence, expected, known) = await FromDatabaseAsync(fixture, numbers);
            var byNumber = await client.CheckEntriesAsync(
                new CheckEntriesRequest { EntryNumbers = { numbers }, MinLedgerSequence = sequence }, LiquidationFixture.Customs);
            var asKnown = known.Count == 0 ? null : await client.CheckEntriesAsync(
                new CheckEntriesRequest { Entries = { known }, MinLedgerSequence = sequence }, LiquidationFixture.Customs);
            // An instruction issued in between (a consumer still at work) moves the ledger on: compare again at the new sequence.
            if (attempt < 5 && (byNumber.LedgerSequence != sequence || (asKnown is not null && asKnown.LedgerSequence != sequence))) continue;

            Assert.Equal(sequence, byNumber.LedgerSequence);
            Assert.Equal(expected, byNumber.Entries);
            if (asKnown is not null)
            {
                Assert.Equal(sequence, asKnown.LedgerSequence);
                Assert.Equal(expected.Where(e => e.Status != EntryStatus.NotRegistered), asKnown.Entries);
            }
            return byNumber.Entries;
        }
    }

    /// <summary>The ledger's sequence, the verdicts from the rows and the registered entries as GateEntry, in one snapshot.</summary>
    private static async Task<(long Sequence, List<EntryCheck> Expected, List<GateEntry> Known)> FromDatabaseAsync(LiquidationFixture fixture, string[] numbers)
    {
        await using var db = fixture.Service.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        var sequence = await db.Set<InstructionCounter>().Select(c => c.LastSequence).SingleAsync();
        var orders = await db.Orders.AsNoTracking().ToListAsync();
        foreach (var added in await db.OrderMidAdditions.AsNoTracking().ToListAsync())
            orders.Single(o => o.Id == added.OrderId).AddedMids[added.Mid] = added.EffectiveFrom;
        var normalized = numbers.Select(n => Domain.EntryNumber.Normalize(n, enforceCheckDigit: true, out _)!).ToArray();
        var entries = await db.Entries.AsNoTracking().Where(e => normalized.Contains(e.EntryNumber)).ToDictionaryAsync(e => e.EntryNumber);
        var expected = new List<EntryCheck>();
        var known = new List<GateEntry>();
        foreach (var number in normalized)
        {
            if (!entries.TryGetValue(number, out var entry))
            {
                expected.Add(new EntryCheck { EntryNumber = number, Status = EntryStatus.NotRegistered });
                continue;
            }
            // The orders naming the entry's MID: what the gate read from the database per call before it answered from memory.
            expected.Add(Domain.EntryGate.Decide(entry, [.. orders.Where(o => o.Mids.Contains(entry.Mid))]).ToProto(entry, new OrderProtos()));
            known.Add(new GateEntry { EntryNumber = entry.EntryNumber, Mid = entry.Mid, EntryDate = entry.EntryDate.ToProto(), LiquidationDate = entry.LiquidatedOn?.ToProto() });
        }
        return (sequence, expected, known);
    }
}
