using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Bench;

/// <summary>
/// SubmitPetition per second at 16 concurrent callers, against inserting the same rows (the petition, its outbox
/// event and its two ILC clock rows, as the service wrote them for one petition) directly with Npgsql at the
/// same concurrency, one transaction per petition, into copies of the tables.
/// </summary>
internal static class IntakeFigure
{
    private const int Callers = 16;
    private static readonly string[] Tables = ["petitions", "outbox_messages", "scheduled_deadlines"];

    public static async Task<Figure> RunAsync(Bench bench, CancellationToken ct)
    {
        var count = bench.Scaled(5_000);
        var facility = (await new FacilityService.FacilityServiceClient(Bench.Channel(bench.PetitionUrl)).RegisterFacilityAsync(new RegisterFacilityRequest
        {
            LegalName = $"Intake bench plant {Guid.NewGuid():N}", StreetAddress = "Calle Bench 1", City = "Saltillo", State = "COA",
            Sector = Sector.Manufacturing, Subsector = Subsector.AutoParts,
        }, bench.Headers(Roles.IlcAnalyst), cancellationToken: ct)).Facility;
        await SubmitAsync(bench, facility.FacilityId, bench.Scaled(500), ct); // warm-up
        var template = await TemplateAsync(bench, facility.FacilityId, ct);

        var service = new List<double>();
        var direct = new List<double>();
        for (var run = 0; run < bench.Runs; run++)
        {
            service.Add(await SubmitAsync(bench, facility.FacilityId, count, ct));
            direct.Add(await InsertAsync(bench, template, count, ct));
            Console.Error.WriteLine($"bench: intake run {run + 1}: SubmitPetition {service[^1]:N0}/s, direct inserts {direct[^1]:N0}/s");
        }
        var (rate, baseline) = (Stats.Median(service), Stats.Median(direct));
        return new Figure("petition intake", $"SubmitPetition, {Callers} callers, {count:N0} petitions", $"{rate:N0} petitions/s",
            $"Npgsql inserts of the same rows {baseline:N0}/s", rate / baseline, "≥ 0.5", rate / baseline >= 0.5)
        { Numbers = { ["petitions_per_second"] = rate, ["direct_per_second"] = baseline } };
    }

    private static async Task<double> SubmitAsync(Bench bench, string facilityId, int count, CancellationToken ct)
    {
        var client = new PetitionService.PetitionServiceClient(Bench.Channel(bench.PetitionUrl));
        var headers = bench.Headers(Roles.IlcAnalyst);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1));
        var next = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                var request = new SubmitPetitionRequest
                {
                    FacilityId = facilityId,
                    // Anonymous, so that no one is mailed while the figures run.
                    Petitioner = new Petitioner { Anonymous = true },
                    Narrative = "A worker was dismissed for organising an independent union.",
                    Language = PetitionLanguage.Es,
                    ReceivedDate = new Date { Year = today.Year, Month = today.Month, Day = today.Day },
                    AllegationCategories = { AllegationCategory.Retaliation },
                };
                await client.SubmitPetitionAsync(request, headers, cancellationToken: ct);
            }
        }));
        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The rows one SubmitPetition wrote, as JSON, by table.</summary>
    private static async Task<List<(string Table, JsonObject Row)>> TemplateAsync(Bench bench, string facilityId, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(bench.Postgres);
        await connection.OpenAsync(ct);
        var id = await Scalar<Guid>(connection, $"SELECT id FROM petition.petitions WHERE facility_id = '{facilityId}' ORDER BY created_at DESC LIMIT 1", ct);
        var rows = new List<(string, JsonObject)>();
        foreach (var (table, where) in new[]
                 {
                     ("petitions", $"id = '{id}'"), ("outbox_messages", $"payload->>'petitionId' = '{id}'"), ("scheduled_deadlines", $"key LIKE '%{id}%'"),
                 })
        {
            await using var command = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM petition.{table} t WHERE {where}", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) rows.Add((table, JsonNode.Parse(reader.GetString(0))!.AsObject()));
        }
        await Execute(connection, "CREATE SCHEMA IF NOT EXISTS bench;"
            + string.Concat(Tables.Select(t => $"DROP TABLE IF EXISTS bench.{t}; CREATE TABLE bench.{t} (LIKE petition.{t} INCLUDING ALL);")), ct);
        return rows;
    }

    private static async Task<double> InsertAsync(Bench bench, List<(string Table, JsonObject Row)> template, int count, CancellationToken ct)
    {
        await using (var connection = new NpgsqlConnection(bench.Postgres))
        {
            await connection.OpenAsync(ct);
            await Execute(connection, string.Concat(Tables.Select(t => $"TRUNCATE bench.{t};")), ct);
        }
        long next = 0, serial = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(bench.Postgres);
            await connection.OpenAsync(ct);
            while (Interlocked.Increment(ref next) <= count)
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                var batch = new NpgsqlBatch(connection, transaction);
                foreach (var (table, row) in template)
                {
                    var copy = Fresh(row, Interlocked.Increment(ref serial));
                    batch.BatchCommands.Add(new NpgsqlBatchCommand($"INSERT INTO bench.{table} SELECT * FROM jsonb_populate_record(NULL::bench.{table}, $1::jsonb)")
                    {
                        Parameters = { new NpgsqlParameter { Value = copy.ToJsonString() } },
                    });
                }
                await batch.ExecuteNonQueryAsync(ct);
                await transaction.CommitAsync(ct);
            }
        }));
        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The row with new values in its unique columns.</summary>
    private static JsonObject Fresh(JsonObject row, long serial)
    {
        var copy = row.DeepClone().AsObject();
        if (copy["id"] is JsonValue id) copy["id"] = id.TryGetValue<long>(out _) ? JsonValue.Create(serial) : JsonValue.Create(Guid.NewGuid());
        if (copy.ContainsKey("message_id")) copy["message_id"] = Guid.NewGuid();
        if (copy.ContainsKey("key")) copy["key"] = $"{copy["key"]}-{serial}";
        if (copy.ContainsKey("request_id")) copy["request_id"] = null;
        return copy;
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
