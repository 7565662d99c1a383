using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rrm.ServiceDefaults.Hosting;
using Rrm.TariffLiquidation.Data;
using Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Application;

/// <summary>
/// After the database is restored from a backup, before the service issues anything: a restored counter does not know
/// the sequence numbers issued after the backup was taken (the customs system may have applied them), so numbering on
/// from it would give one number to two different instructions. The fence moves the counter past every number issued
/// before and issues a <see cref="InstructionKind.LedgerRestored"/> instruction there, which tells consumers why the
/// numbers in between are missing (docs/customs-feed.md, "After a restore").
/// <para>
/// The bound is the wall clock in Unix milliseconds. Before any fence the counter counts instructions, far below it;
/// a fence at time t sets it to t and each instruction adds one, so it stays below the clock unless the ledger issued
/// more than one instruction per millisecond on average since the last fence (it records legal acts: a few a day).
/// Every number ever issued is then below the clock at the next restore. A restored counter already at or past the
/// clock breaks that premise (a wrong clock): refused, unless the operator names the highest number anyone has seen
/// (<c>--above</c>, e.g. the customs system's last applied sequence).
/// </para>
/// </summary>
internal sealed class RestoreFence(LiquidationDbContext db, InstructionLedger ledger, TimeProvider clock, ILogger<RestoreFence> logger)
{
    public const string CommandName = "restore-fence";

    /// <summary><c>restore-fence [--above N]</c>: migrates (a backup may predate this version's schema), then fences.</summary>
    public static readonly ServiceCommand Command = new(CommandName, """
        restore-fence [--above N]
                    after a restore from a backup, before the service runs: apply migrations, move the instruction
                    sequence past every number issued before the backup's end (the clock in ms, or N+1) and issue a
                    ledger.restored instruction there (docs/operations.md, "Backup and restore")
        """, RunAsync);

    public sealed record Result(long RestoredThrough, InstructionRecord Marker);

    /// <summary>Refused: the clock does not bound the numbers issued before (see the class).</summary>
    public sealed class RefusedException(string message) : Exception(message);

    public async Task<Result> FenceAsync(long above, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The counter's row lock: a replica that issues meanwhile waits, then numbers after the marker.
        var last = await db.Database.SqlQuery<long>(
                $"SELECT last_sequence AS \"Value\" FROM liquidation.instruction_counter WHERE id = {InstructionCounter.SingleRow} FOR UPDATE")
            .SingleAsync(ct);
        var now = clock.GetUtcNow();
        var bound = now.ToUnixTimeMilliseconds();
        if (last >= bound && above <= last)
            throw new RefusedException($"the restored instruction counter ({last}) is not below the clock ({bound} ms since 1970): the clock cannot " +
                "bound the numbers issued before the restore. Run again with --above N, N the highest sequence the customs system has seen.");
        var marker = Math.Max(bound, Math.Max(above, last) + 1);
        await db.Database.ExecuteSqlAsync(
            $"UPDATE liquidation.instruction_counter SET last_sequence = {marker - 1} WHERE id = {InstructionCounter.SingleRow}", ct);
        var instruction = CustomsInstructions.Restored(last, now);
        await ledger.IssueAsync(instruction, ct); // numbers it `marker`, and queues it for the feed
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogWarning("Instruction ledger fenced after a restore: it ended at sequence {RestoredThrough}; ledger.restored issued as {Sequence}",
            last, instruction.Sequence);
        return new(last, instruction);
    }

    private static async Task<int> RunAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        long above = 0;
        if (args.Length > 0 && !(args is ["--above", var n] && long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out above)))
        {
            await Console.Error.WriteLineAsync("rrm: usage: restore-fence [--above N], N a sequence number");
            return 64;
        }
        await services.GetRequiredService<IDatabaseMigrator>().MigrateAsync(ct);
        await using var scope = services.CreateAsyncScope();
        try
        {
            var (restoredThrough, marker) = await scope.ServiceProvider.GetRequiredService<RestoreFence>().FenceAsync(above, ct);
            Console.WriteLine($"The ledger ended at sequence {restoredThrough}; ledger.restored is sequence {marker.Sequence} " +
                $"(instruction {marker.Id}); the next instruction is {marker.Sequence + 1}.");
            return 0;
        }
        catch (RefusedException e)
        {
            await Console.Error.WriteLineAsync("rrm: restore-fence refused: " + e.Message);
            return 1;
        }
    }
}
