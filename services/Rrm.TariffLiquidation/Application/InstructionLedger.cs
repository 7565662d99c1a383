using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Rrm.TariffLiquidation.Data;
using Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Application;

/// <summary>
/// An instruction as the feed carries it: the proto's canonical JSON (docs/customs-feed.md). Proto types live in Grpc/ only,
/// so the module hands Grpc's formatter in.
/// </summary>
internal delegate string FeedBody(InstructionRecord instruction);

/// <summary>
/// Issues customs instructions: numbers each in the caller's transaction (gap-free: a rolled-back number
/// is given again; only a restore's fence jumps ahead, <see cref="RestoreFence"/>), stores it in the ledger and queues
/// it for the feed through the outbox (DESIGN.md §4).
/// </summary>
internal sealed class InstructionLedger(LiquidationDbContext db, FeedBody body)
{
    public const string Exchange = "rrm.customs.instructions";
    public const string Schema = "rrm.liquidation.v1.CustomsInstruction";

    /// <summary>Must run inside a transaction: the counter's row lock is held until it commits.</summary>
    public async Task IssueAsync(InstructionRecord instruction, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("Instructions are issued inside a transaction.");
        var connection = db.Database.GetDbConnection();
        await using (var next = connection.CreateCommand())
        {
            next.Transaction = transaction.GetDbTransaction();
            next.CommandText = $"UPDATE \"{LiquidationDbContext.SchemaName}\".instruction_counter SET last_sequence = last_sequence + 1 WHERE id = {InstructionCounter.SingleRow} RETURNING last_sequence";
            instruction.Sequence = (long)(await next.ExecuteScalarAsync(ct))!;
        }
        db.Instructions.Add(instruction);
        var sequence = instruction.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        db.AddFeedMessage(instruction.Id, Exchange, instruction.RoutingKey, Schema, body(instruction),
            new Dictionary<string, string> { ["message-id"] = instruction.Id.ToString(), ["schema"] = Schema, ["sequence"] = sequence });
    }
}
