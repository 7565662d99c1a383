using System.Data;
using Npgsql;
using Rrm.TariffLiquidation.Data;
using Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Application;

/// <summary>
/// Every order (in force or lifted: lifted ones decide "liquidate by" and "liquidated before the suspension"), with the
/// MIDs added to it, indexed by MID, and the instruction ledger's sequence they reflect. Immutable once loaded: the entry
/// gate answers from it without the database (docs/adr/0011). Registered entries are not held: there may be millions.
/// </summary>
internal sealed class OrderSnapshot
{
    private readonly Dictionary<string, LiquidationOrder[]> _byMid;

    private OrderSnapshot(long sequence, int orders, Dictionary<string, LiquidationOrder[]> byMid) =>
        (Sequence, Orders, _byMid) = (sequence, orders, byMid);

    /// <summary>The ledger's last sequence when loaded: the orders reflect every instruction up to it, none after.</summary>
    public long Sequence { get; }

    public int Orders { get; }

    /// <summary>The orders naming <paramref name="mid"/> (from the start or added later): all the gate needs for an entry under it.</summary>
    public IReadOnlyList<LiquidationOrder> For(string mid) => _byMid.TryGetValue(mid, out var orders) ? orders : [];

    /// <summary>
    /// Loads the orders and the ledger's sequence in one REPEATABLE READ transaction, so they agree: every change to an order
    /// is made in the transaction that issues its instruction (OrderDesk), which moves the sequence.
    /// </summary>
    public static async Task<OrderSnapshot> LoadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new($"SELECT last_sequence FROM liquidation.instruction_counter WHERE id = {InstructionCounter.SingleRow}"),
                new("""
                    SELECT id, kind, case_id, invocation_number, facility_id, facility_name, mids, effective_from, lifted_on, directive, remedy_id,
                           description, created_at, ended_by_remedy_id
                    FROM liquidation.orders
                    """),
                new("SELECT order_id, mid, effective_from FROM liquidation.order_mid_additions"),
            },
        };
        long sequence;
        var orders = new Dictionary<Guid, LiquidationOrder>();
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            sequence = await reader.ReadAsync(ct) ? reader.GetInt64(0) : throw new InvalidOperationException("The instruction counter has no row.");
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var order = ReadOrder(reader);
                orders[order.Id] = order;
            }
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
                if (orders.TryGetValue(reader.GetGuid(0), out var order)) order.AddedMids[reader.GetString(1)] = reader.GetFieldValue<DateOnly>(2);
        }
        await transaction.CommitAsync(ct);
        var byMid = orders.Values
            .SelectMany(o => o.Mids.Distinct().Select(mid => (mid, o)))
            .GroupBy(p => p.mid, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.o).ToArray(), StringComparer.Ordinal);
        return new OrderSnapshot(sequence, orders.Count, byMid);
    }

    private static LiquidationOrder ReadOrder(NpgsqlDataReader r) =>
        LiquidationOrder.Restore(r.GetGuid(0), Enum.Parse<OrderKind>(r.GetString(1)), r.GetGuid(2),
            r.IsDBNull(3) ? null : r.GetInt32(3), r.IsDBNull(4) ? null : r.GetGuid(4), r.GetString(5),
            [.. r.GetFieldValue<string[]>(6)], r.GetFieldValue<DateOnly>(7), r.IsDBNull(8) ? null : r.GetFieldValue<DateOnly>(8),
            r.GetString(9), r.IsDBNull(10) ? null : r.GetGuid(10), r.GetString(11), r.GetFieldValue<DateTimeOffset>(12),
            r.IsDBNull(13) ? null : r.GetGuid(13));
}
