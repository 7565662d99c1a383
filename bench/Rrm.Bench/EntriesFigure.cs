using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Bench;

/// <summary>
/// RegisterEntries rows/s for a million entries, against Postgres COPY of the same rows into a table with the
/// same keys, from this process (the best the database does with them).
/// </summary>
internal static class EntriesFigure
{
    private const int Batch = 10_000;

    public static async Task<Figure> RunAsync(Bench bench, CancellationToken ct)
    {
        var count = bench.Scaled(1_000_000);
        var (_, mid) = await Scenario.SuspendedFacilityAsync(bench, "Entries bench plant", ct);
        await RegisterAsync(bench, mid, Scenario.NewFiler(), bench.Scaled(100_000), ct); // warm-up
        await CopyAsync(bench, mid, Scenario.NewFiler(), bench.Scaled(100_000), ct);
        var service = new List<double>();
        var copy = new List<double>();
        for (var run = 0; run < bench.Runs; run++)
        {
            service.Add(await RegisterAsync(bench, mid, Scenario.NewFiler(), count, ct));
            copy.Add(await CopyAsync(bench, mid, Scenario.NewFiler(), count, ct));
            Console.Error.WriteLine($"bench: entries run {run + 1}: RegisterEntries {service[^1]:N0} rows/s, COPY {copy[^1]:N0} rows/s");
        }
        var (rate, baseline) = (Stats.Median(service), Stats.Median(copy));
        var ratio = rate / baseline;
        return new Figure("bulk entries", $"RegisterEntries of {count:N0} entries", $"{rate:N0} rows/s", $"COPY {baseline:N0} rows/s", ratio,
            "≥ 0.7 and ≥ 150,000 rows/s", ratio >= 0.7 && rate >= 150_000)
        { Numbers = { ["rows_per_second"] = rate, ["copy_rows_per_second"] = baseline, ["entries"] = count } };
    }

    public static async Task<double> RegisterAsync(Bench bench, string mid, string filer, int count, CancellationToken ct)
    {
        var client = new LiquidationService.LiquidationServiceClient(Bench.Channel(bench.LiquidationUrl));
        var watch = Stopwatch.StartNew();
        using var call = client.RegisterEntries(bench.Headers(Roles.CustomsSystem), cancellationToken: ct);
        for (var start = 0; start < count; start += Batch)
        {
            var request = new RegisterEntriesRequest();
            for (var n = start; n < Math.Min(count, start + Batch); n++) request.Entries.Add(Scenario.Entry(mid, filer, n));
            await call.RequestStream.WriteAsync(request, ct);
        }
        await call.RequestStream.CompleteAsync();
        var response = await call.ResponseAsync;
        if (response.Stored != count) throw new InvalidOperationException($"RegisterEntries stored {response.Stored} of {count}.");
        return count / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> CopyAsync(Bench bench, string mid, string filer, int count, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(bench.Postgres);
        await connection.OpenAsync(ct);
        await Execute(connection, "CREATE SCHEMA IF NOT EXISTS bench; DROP TABLE IF EXISTS bench.entries_copy; CREATE TABLE bench.entries_copy (LIKE liquidation.entries INCLUDING ALL)", ct);
        var now = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY bench.entries_copy (entry_number, filer_code, importer, mid, country_of_origin, entry_date, entered_value, estimated_duties, tariff_number, usmca_claimed, registered_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var n = 0; n < count; n++)
            {
                var e = Scenario.Entry(mid, filer, n);
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(e.EntryNumber, NpgsqlDbType.Char, ct);
                await copy.WriteAsync(filer, NpgsqlDbType.Char, ct);
                await copy.WriteAsync(e.Importer, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(e.Mid, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(e.CountryOfOrigin, NpgsqlDbType.Char, ct);
                await copy.WriteAsync(new DateOnly(e.EntryDate.Year, e.EntryDate.Month, e.EntryDate.Day), NpgsqlDbType.Date, ct);
                await copy.WriteAsync(decimal.Parse(e.EnteredValue.Value, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(decimal.Parse(e.EstimatedDuties.Value, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(e.TariffNumber, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(e.UsmcaClaimed, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            }
            await copy.CompleteAsync(ct);
        }
        var rate = count / watch.Elapsed.TotalSeconds;
        await Execute(connection, "DROP TABLE bench.entries_copy", ct);
        return rate;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
