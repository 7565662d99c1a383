using System.Globalization;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Hosting;
using Rrm.TariffLiquidation.Data;
using Domain = Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Application;

/// <summary>
/// Bulk registration of customs entries: every entry of a stream is validated and copied (Postgres binary
/// COPY) into a staging table, then moved into the entries table in one statement, all in one transaction.
/// One bad entry fails the stream and stores nothing.
/// </summary>
internal sealed class EntryRegistry(LiquidationDbContext db, IOptions<LiquidationOptions> options, TimeProvider clock)
{
    public const int MaxBatch = 10_000;
    private const int MaxViolations = 100;
    private const decimal MaxAmount = 9_999_999_999_999_999.99m;
    private static readonly DateOnly EntryIntoForce = new(2020, 7, 1);

    public async Task<RegisterEntriesResponse> RegisterAsync(IAsyncStreamReader<RegisterEntriesRequest> stream, CancellationToken ct)
    {
        var known = (await db.KnownMids.AsNoTracking().Select(m => m.Mid).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var today = LegalCalendar.Today(clock);
        var now = clock.GetUtcNow();
        var violations = new List<FieldViolation>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await Execute(connection, """
            CREATE TEMP TABLE staging_entries (LIKE liquidation.entries) ON COMMIT DROP
            """, ct);
        long received = 0;
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY staging_entries (entry_number, filer_code, importer, mid, country_of_origin, entry_date, entered_value, estimated_duties, tariff_number, usmca_claimed, registered_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            while (await stream.MoveNext(ct))
            {
                if (stream.Current.Entries.Count > MaxBatch)
                    throw new RequestValidationException([new("entries", $"a message carries at most {MaxBatch} entries (message with entry {received} has {stream.Current.Entries.Count})")]);
                foreach (var entry in stream.Current.Entries)
                {
                    var row = Validate(entry, received++, known, today, violations);
                    if (violations.Count >= MaxViolations) throw new RequestValidationException(violations);
                    if (row is not null && violations.Count == 0) await WriteAsync(copy, row, now, ct);
                }
            }
            if (violations.Count > 0) throw new RequestValidationException(violations);
            if (received == 0) throw new RequestValidationException([new("entries", "the stream carried no entries")]);
            await copy.CompleteAsync(ct);
        }
        // One entry number is one entry: the first copy of a number in the stream wins, a registered one stays.
        var stored = await Execute(connection, """
            INSERT INTO liquidation.entries
            SELECT DISTINCT ON (entry_number) * FROM staging_entries ORDER BY entry_number
            ON CONFLICT (entry_number) DO NOTHING
            """, ct);
        await transaction.CommitAsync(ct);
        return new RegisterEntriesResponse { Received = received, Stored = stored, AlreadyRegistered = received - stored };
    }

    private Domain.CustomsEntry? Validate(CustomsEntry e, long index, HashSet<string> knownMids, DateOnly today, List<FieldViolation> violations)
    {
        var f = $"entries[{index}].";
        var v = new Validation();
        var number = Domain.EntryNumber.Normalize(e.EntryNumber, options.Value.EnforceCheckDigit, out var reason);
        if (number is null) v.Add(f + "entry_number", $"'{e.EntryNumber}' {reason}");
        var filer = e.FilerCode.Trim().ToUpperInvariant();
        if (number is not null && filer.Length > 0 && filer != number[..3]) v.Add(f + "filer_code", $"'{e.FilerCode}' is not the entry number's filer code ({number[..3]})");
        var importer = e.Importer.Trim();
        if (importer.Length is 0 or > 40) v.Add(f + "importer", "must be 1 to 40 characters");
        var mid = e.Mid.Trim().ToUpperInvariant();
        if (!knownMids.Contains(mid)) v.Add(f + "mid", $"'{e.Mid}' is not the MID of a facility with an enforcement case");
        var country = e.CountryOfOrigin.Trim().ToUpperInvariant();
        if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)) v.Add(f + "country_of_origin", "must be a two-letter ISO country code such as MX");
        var date = today;
        if (e.EntryDate is null) v.Add(f + "entry_date", "is required");
        else date = e.EntryDate.ToActDate(f + "entry_date", today, v);
        if (date < EntryIntoForce) v.Add(f + "entry_date", $"must not be before USMCA's entry into force ({EntryIntoForce:yyyy-MM-dd})");
        var value = e.EnteredValue.ToDecimal(f + "entered_value", v);
        var duties = e.EstimatedDuties.ToDecimal(f + "estimated_duties", v);
        if (value > MaxAmount) v.Add(f + "entered_value", "is too large");
        if (duties > MaxAmount) v.Add(f + "estimated_duties", "is too large");
        var tariff = e.TariffNumber.Replace(".", "").Trim();
        if (tariff.Length is not (8 or 10) || !tariff.All(char.IsAsciiDigit)) v.Add(f + "tariff_number", "must be an HTSUS number of 8 or 10 digits, such as 8708.99.8180");
        if (!v.IsValid)
        {
            violations.AddRange(v.Violations);
            return null;
        }
        return new Domain.CustomsEntry
        {
            EntryNumber = number!, FilerCode = number![..3], Importer = importer, Mid = mid, CountryOfOrigin = country, EntryDate = date,
            EnteredValue = value, EstimatedDuties = duties, TariffNumber = tariff, UsmcaClaimed = e.UsmcaClaimed,
        };
    }

    private static async Task WriteAsync(NpgsqlBinaryImporter copy, Domain.CustomsEntry e, DateTimeOffset now, CancellationToken ct)
    {
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(e.EntryNumber, NpgsqlDbType.Char, ct);
        await copy.WriteAsync(e.FilerCode, NpgsqlDbType.Char, ct);
        await copy.WriteAsync(e.Importer, NpgsqlDbType.Varchar, ct);
        await copy.WriteAsync(e.Mid, NpgsqlDbType.Varchar, ct);
        await copy.WriteAsync(e.CountryOfOrigin, NpgsqlDbType.Char, ct);
        await copy.WriteAsync(e.EntryDate, NpgsqlDbType.Date, ct);
        await copy.WriteAsync(e.EnteredValue, NpgsqlDbType.Numeric, ct);
        await copy.WriteAsync(e.EstimatedDuties, NpgsqlDbType.Numeric, ct);
        await copy.WriteAsync(e.TariffNumber, NpgsqlDbType.Varchar, ct);
        await copy.WriteAsync(e.UsmcaClaimed, NpgsqlDbType.Boolean, ct);
        await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
    }

    private static async Task<int> Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(ct);
    }
}
