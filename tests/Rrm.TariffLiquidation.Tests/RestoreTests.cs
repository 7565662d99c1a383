using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rrm.ServiceDefaults.Data;
using Rrm.TariffLiquidation.Application;
using Rrm.TariffLiquidation.Data;
using Rrm.TariffLiquidation.Domain;
using Rrm.TariffLiquidation.Grpc;
using Rrm.Testing;
using Proto = Rrm.Grpc.Liquidation.V1;

namespace Rrm.TariffLiquidation.Tests;

/// <summary>
/// The restore procedure of docs/operations.md ("Backup and restore") as a drill, on scratch databases of the test server:
/// the service binary's `migrate` and `restore-fence` as operators run them (PostgreSQL settings only), pg_dump and
/// pg_restore, and instructions numbered by the ledger's own code.
/// </summary>
public sealed class RestoreTests
{
    private sealed record Line(long Sequence, Guid Id, string Kind);

    [Fact]
    public async Task After_a_restore_and_its_fence_no_sequence_number_names_two_instructions()
    {
        await using var original = await TestDatabase.CreateAsync();
        var migrate = await RunAsync(original, "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Error);
        await IssueAsync(original, 3);
        using var backup = new TemporaryFile();
        await PostgresToolAsync("pg_dump", "--format=custom", "--file=" + backup.Path, Uri(original));
        await IssueAsync(original, 2); // after the backup: the customs system has applied 4 and 5, the backup does not know them
        var beforeRestore = await LedgerAsync(original);

        // The restore: the old backup into a new database, fenced before anything is issued, then work goes on.
        await using var restored = await TestDatabase.CreateAsync();
        await PostgresToolAsync("pg_restore", "--dbname=" + Uri(restored), backup.Path);
        var fence = await RunAsync(restored, RestoreFence.CommandName);
        Assert.True(fence.ExitCode == 0, fence.Error);
        await IssueAsync(restored, 3);
        var afterRestore = await LedgerAsync(restored);

        Assert.Empty(Clashes(beforeRestore, afterRestore));
        Assert.Equal([1, 2, 3, 4, 5], beforeRestore.Select(l => l.Sequence));
        var marker = afterRestore[3];
        Assert.Equal(nameof(InstructionKind.LedgerRestored), marker.Kind);
        Assert.True(marker.Sequence >= DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), $"the marker's sequence {marker.Sequence} is not the clock");
        Assert.Contains($"ledger.restored is sequence {marker.Sequence}", fence.Output);
        // Gap-free on each side of the marker: the restored ledger's 1–3, then the marker, then on from it.
        Assert.Equal([1, 2, 3, marker.Sequence, marker.Sequence + 1, marker.Sequence + 2, marker.Sequence + 3], afterRestore.Select(l => l.Sequence));

        // What the customs system reads: after its last applied sequence (5), the marker first, saying where the backup ended.
        var proto = await MarkerAsProtoAsync(restored);
        Assert.Equal((Proto.InstructionKind.LedgerRestored, marker.Sequence, 3L, "", ""),
            (proto.Kind, proto.Sequence, proto.RestoredThroughSequence, proto.CaseId, proto.OrderId));
        Assert.Equal("ledger.restored", await restored.ScalarAsync<string>(
            $"SELECT routing_key FROM liquidation.outbox_messages WHERE message_id = '{marker.Id}' AND processed_at IS NULL"));

        // A control: the same backup restored without the fence gives 4 and 5 to new instructions, which the check above sees.
        await using var unfenced = await TestDatabase.CreateAsync();
        await PostgresToolAsync("pg_restore", "--dbname=" + Uri(unfenced), backup.Path);
        await IssueAsync(unfenced, 2);
        Assert.Equal([4, 5], Clashes(beforeRestore, await LedgerAsync(unfenced)));
    }

    [Fact]
    public async Task The_fence_refuses_a_counter_the_clock_does_not_bound_unless_told_the_highest_sequence_seen()
    {
        await using var database = await TestDatabase.CreateAsync();
        Assert.Equal(0, (await RunAsync(database, "migrate")).ExitCode);
        var ahead = DateTimeOffset.UtcNow.AddYears(50).ToUnixTimeMilliseconds(); // a counter a wrong clock left far ahead
        await database.ScalarAsync<int>($"UPDATE liquidation.instruction_counter SET last_sequence = {ahead}");

        var refused = await RunAsync(database, RestoreFence.CommandName);
        var badUsage = await RunAsync(database, RestoreFence.CommandName, "--above", "many");
        var told = await RunAsync(database, RestoreFence.CommandName, "--above", (ahead + 1000).ToString());

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--above", refused.Error);
        Assert.Equal(64, badUsage.ExitCode);
        Assert.True(told.ExitCode == 0, told.Error);
        var ledger = await LedgerAsync(database);
        Assert.Equal((ahead + 1001, nameof(InstructionKind.LedgerRestored)), (ledger.Single().Sequence, ledger.Single().Kind));
    }

    [Fact]
    public async Task Migrate_runs_without_the_broker_setting_and_serving_stops_naming_it()
    {
        await using var database = await TestDatabase.CreateAsync();

        var migrate = await RunAsync(database, "migrate");
        var serve = await RunAsync(database);
        var help = await RunAsync(database, "help");

        Assert.True(migrate.ExitCode == 0, migrate.Error);
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns " +
            "WHERE table_schema = 'liquidation' AND table_name = 'instructions' AND column_name = 'restored_through_sequence'"));
        Assert.Equal(2, serve.ExitCode);
        Assert.Contains("Configuration key 'ConnectionStrings:RabbitMq'", serve.Error);
        Assert.Contains(RestoreFence.CommandName + " [--above N]", help.Output);
    }

    /// <summary>Sequence numbers given to different instructions in the two ledgers.</summary>
    private static List<long> Clashes(IEnumerable<Line> first, IEnumerable<Line> second) =>
        first.Concat(second).GroupBy(l => l.Sequence).Where(g => g.Select(l => l.Id).Distinct().Count() > 1).Select(g => g.Key).Order().ToList();

    /// <summary>Instructions issued as the service issues them: an order opened and its instruction numbered, in one transaction each.</summary>
    private static async Task IssueAsync(TestDatabase database, int count)
    {
        await using var db = Context(database);
        for (var n = 0; n < count; n++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var now = DateTimeOffset.UtcNow;
            var facts = new CaseFacts(Guid.NewGuid(), 25, Guid.NewGuid(), "Impro Industries Mexico, S. de R.L. de C.V.", [LiquidationFixture.NewMid()], false);
            var order = LiquidationOrder.Open(OrderKind.LiquidationSuspension, facts, new DateOnly(2024, 7, 26), "USTR letter of 2024-07-26", null, "", now);
            db.Orders.Add(order);
            await new InstructionLedger(db, Mapping.ToFeedJson).IssueAsync(CustomsInstructions.Opening(order, replayed: false, now), CancellationToken.None);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
    }

    private static async Task<List<Line>> LedgerAsync(TestDatabase database)
    {
        await using var db = Context(database);
        return (await db.Instructions.AsNoTracking().OrderBy(i => i.Sequence).Select(i => new { i.Sequence, i.Id, i.Kind }).ToListAsync())
            .Select(i => new Line(i.Sequence, i.Id, i.Kind.ToString())).ToList();
    }

    private static async Task<Proto.CustomsInstruction> MarkerAsProtoAsync(TestDatabase database)
    {
        await using var db = Context(database);
        return (await db.Instructions.AsNoTracking().SingleAsync(i => i.Kind == InstructionKind.LedgerRestored)).ToProto();
    }

    private static LiquidationDbContext Context(TestDatabase database) =>
        new(DatabaseSetup.OptionsFor<LiquidationDbContext>(database.ConnectionString, LiquidationDbContext.SchemaName));

    /// <summary>A libpq URI of the scratch database, for pg_dump and pg_restore.</summary>
    private static string Uri(TestDatabase database)
    {
        var c = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        return $"postgresql://{System.Uri.EscapeDataString(c.Username!)}:{System.Uri.EscapeDataString(c.Password!)}@{c.Host}:{c.Port}/{c.Database}";
    }

    private static async Task PostgresToolAsync(string tool, params string[] args)
    {
        var run = await Command.RunAsync(tool, args);
        Assert.True(run.ExitCode == 0, $"{tool}: {run.Error}");
    }

    /// <summary>The service binary as operators run it, with the database's connection string and nothing else.</summary>
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(TestDatabase database, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Repository.Built(Path.Combine("services", "Rrm.TariffLiquidation"), "Rrm.TariffLiquidation.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__") || k.StartsWith("Auth__")).ToList())
            start.Environment.Remove(key);
        start.Environment["ConnectionStrings__Postgres"] = database.ConnectionString;
        // Only where the service would serve: everything it needs but the broker, so that is what it names.
        if (args.Length == 0) (start.Environment["Auth__SigningKey"], start.Environment["Urls"]) = (TestEnvironment.SigningKey, "http://127.0.0.1:0");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // a service that started serving instead of stopping
            throw new TimeoutException($"Rrm.TariffLiquidation {string.Join(' ', args)} did not end within 60 s");
        }
        return (process.ExitCode, await output, await error);
    }

    private sealed class TemporaryFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"rrm-restore-{Guid.NewGuid():N}.dump");

        public void Dispose() => File.Delete(Path);
    }
}
