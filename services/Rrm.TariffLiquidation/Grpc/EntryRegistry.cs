using System.Globalization;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Configuration;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Reference;
using Rrm.TariffLiquidation.Data;
using Domain = Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Grpc;

/// <summary>
/// Bulk registration of customs entries: every entry of a stream is validated and copied (Postgres binary
/// COPY) straight into the entries table, in one transaction. An entry number seen before, earlier in the
/// stream or already registered (looked up per message on a second connection), is counted and skipped, so
/// the first copy of a number wins and a registered entry stays. One bad entry fails the stream and stores
/// nothing. The connections are opened when the first message arrives; how long a stream may take and how many run
/// at once is bounded by <see cref="EntryStreamLimits"/>.
/// </summary>
internal sealed class EntryRegistry(LiquidationDbContext db, IOptions<LiquidationOptions> options, IOptions<ConnectionStringOptions> connections,
    TimeProvider clock, ILogger<EntryRegistry> logger)
{
    public const int MaxBatch = 10_000;
    private const int LargeLoad = 100_000;
    private const int MaxViolations = 100;
    private const decimal MaxAmount = 9_999_999_999_999_999.99m;

    public async Task<RegisterEntriesResponse> RegisterAsync(IAsyncStreamReader<RegisterEntriesRequest> stream, CancellationToken ct)
    {
        // Nothing is opened before the first message: a stream that sends nothing holds no connection (docs/security.md, "Limits").
        if (!await stream.MoveNext(ct)) throw new RequestValidationException([new("entries", "the stream carried no entries")]);
        var known = (await db.KnownMids.AsNoTracking().Select(m => m.Mid).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var lookup = new NpgsqlConnection(connections.Value.Postgres);
        await lookup.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        long received, stored;
        try
        {
            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY liquidation.entries (entry_number, filer_code, importer, mid, country_of_origin, entry_date, entered_value, estimated_duties, tariff_number, usmca_claimed, registered_at, duties_without_preference, liquidated_on) FROM STDIN (FORMAT BINARY)", ct))
            {
                (received, stored) = await CopyAsync(stream, copy, lookup, known, ct);
                await copy.CompleteAsync(ct);
            }
            await transaction.CommitAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another stream registered some of these numbers after they were looked up: nothing of this one is stored.
            throw new ConcurrencyConflictException("some of these entries were registered by another stream at the same time; nothing was stored: send the stream again");
        }
        logger.LogInformation("Registered {Stored} of {Received} entries in {Seconds:N1} s", stored, received, watch.Elapsed.TotalSeconds);
        // A bulk load of this size grows the heap by hundreds of MB that the GC would otherwise keep for good;
        // bulk loads are rare, so give the memory back to the node at once (bench/README.md, "footprint").
        if (received >= LargeLoad) GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return new RegisterEntriesResponse { Received = received, Stored = stored, AlreadyRegistered = received - stored };
    }

    /// <summary>
    /// Validates the stream and copies each new entry; throws with the violations when there are any. Two stages
    /// run at once, so that PostgreSQL is never left waiting: one reads, validates and looks up a message while
    /// the other copies the one before (bench/README.md, "bulk entries").
    /// </summary>
    private async Task<(long Received, long Stored)> CopyAsync(IAsyncStreamReader<RegisterEntriesRequest> stream, NpgsqlBinaryImporter copy,
        NpgsqlConnection lookup, HashSet<string> known, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ready = Channel.CreateBounded<List<Domain.CustomsEntry>>(2);
        var copier = Task.Run(async () =>
        {
            long stored = 0;
            try
            {
                await foreach (var rows in ready.Reader.ReadAllAsync(ct))
                    foreach (var row in rows)
                    {
                        Write(copy, row, now);
                        stored++;
                    }
                return stored;
            }
            catch (Exception e)
            {
                ready.Writer.TryComplete(e); // stops the reader too
                throw;
            }
        }, ct);
        long received;
        try
        {
            received = await ReadAsync(stream, lookup, known, ready.Writer, ct);
            ready.Writer.TryComplete();
        }
        catch (Exception e)
        {
            ready.Writer.TryComplete(e);
            try { await copier; } catch (Exception) when (e is not ChannelClosedException) { } // the reader's error is the one to report
            throw;
        }
        return (received, await copier);
    }

    private async Task<long> ReadAsync(IAsyncStreamReader<RegisterEntriesRequest> stream, NpgsqlConnection lookup, HashSet<string> known,
        ChannelWriter<List<Domain.CustomsEntry>> ready, CancellationToken ct)
    {
        var today = LegalCalendar.Today(clock);
        var violations = new List<FieldViolation>();
        var seen = new HashSet<long>();
        long received = 0;
        do // the first message was read before the connections were opened
        {
            if (stream.Current.Entries.Count > MaxBatch)
                throw new RequestValidationException([new("entries", $"a message carries at most {MaxBatch} entries (message with entry {received} has {stream.Current.Entries.Count})")]);
            var rows = new List<Domain.CustomsEntry>(stream.Current.Entries.Count);
            foreach (var entry in stream.Current.Entries)
            {
                var row = Validate(entry, received++, known, today, violations);
                if (violations.Count >= MaxViolations) throw new RequestValidationException(violations);
                if (row is not null && seen.Add(Domain.EntryNumber.Key(row.EntryNumber))) rows.Add(row);
            }
            if (violations.Count > 0) continue; // read on to report every bad entry (up to MaxViolations); nothing is stored
            var registered = await RegisteredAsync(lookup, rows, ct);
            await ready.WriteAsync(registered.Count == 0 ? rows : rows.Where(r => !registered.Contains(r.EntryNumber)).ToList(), ct);
        }
        while (await stream.MoveNext(ct));
        if (violations.Count > 0) throw new RequestValidationException(violations);
        if (received == 0) throw new RequestValidationException([new("entries", "the stream carried no entries")]);
        return received;
    }

    /// <summary>
    /// Which of these entry numbers are registered already (committed by earlier streams). A batch of new numbers
    /// (the usual case) costs one index range check, not a probe per number: the probes run only when some
    /// registered number lies between the batch's lowest and highest.
    /// </summary>
    private static async Task<HashSet<string>> RegisteredAsync(NpgsqlConnection lookup, List<Domain.CustomsEntry> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        await using var command = new NpgsqlCommand("""
            SELECT entry_number FROM liquidation.entries
            WHERE EXISTS (SELECT 1 FROM liquidation.entries
                          WHERE entry_number BETWEEN (SELECT min(n) FROM unnest($1::bpchar[]) n) AND (SELECT max(n) FROM unnest($1::bpchar[]) n))
              AND entry_number = ANY($1::bpchar[])
            """, lookup)
        {
            Parameters = { new() { Value = rows.Select(r => r.EntryNumber).ToArray() } },
        };
        var registered = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) registered.Add(reader.GetString(0));
        return registered;
    }

    private Domain.CustomsEntry? Validate(CustomsEntry e, long index, HashSet<string> knownMids, DateOnly today, List<FieldViolation> violations)
    {
        var f = $"entries[{index}].";
        var v = new Validation();
        var number = EntryFields.Number(e.EntryNumber, "entries", index, "entry_number", options.Value.EnforceCheckDigit, v);
        var filer = e.FilerCode.Trim().ToUpperInvariant();
        if (number is not null && filer.Length > 0 && filer != number[..3]) v.Add(f + "filer_code", $"'{e.FilerCode}' is not the entry number's filer code ({number[..3]})");
        var importer = e.Importer.Trim();
        if (importer.Length is 0 or > 40) v.Add(f + "importer", "must be 1 to 40 characters");
        var mid = e.Mid.Trim().ToUpperInvariant();
        if (!knownMids.Contains(mid)) v.Add(f + "mid", $"'{e.Mid}' is not the MID of a facility with an enforcement case");
        var country = e.CountryOfOrigin.Trim().ToUpperInvariant();
        if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)) v.Add(f + "country_of_origin", "must be a two-letter ISO country code such as MX");
        var date = EntryFields.EntryDate(e.EntryDate, "entries", index, today, v);
        var value = e.EnteredValue.ToDecimal(f + "entered_value", v);
        var duties = e.EstimatedDuties.ToDecimal(f + "estimated_duties", v);
        if (value > MaxAmount) v.Add(f + "entered_value", "is too large");
        if (duties > MaxAmount) v.Add(f + "estimated_duties", "is too large");
        decimal? general = null;
        if (e.UsmcaClaimed && e.DutiesWithoutPreference is not null && e.DutiesWithoutPreference.Value.Length > 0)
        {
            general = e.DutiesWithoutPreference.ToDecimal(f + "duties_without_preference", v);
            if (general > MaxAmount) v.Add(f + "duties_without_preference", "is too large");
        }
        var liquidated = EntryFields.LiquidationDate(e.LiquidationDate, "entries", index, date, today, v);
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
            DutiesWithoutPreference = general, LiquidatedOn = liquidated,
        };
    }

    /// <summary>
    /// One row. Synchronous on purpose: the importer only touches the socket when its buffer fills, and the
    /// per-field async state machines cost more than those rare flushes (bench/README.md, "bulk entries").
    /// </summary>
    private static void Write(NpgsqlBinaryImporter copy, Domain.CustomsEntry e, DateTimeOffset now)
    {
        copy.StartRow();
        copy.Write(e.EntryNumber, NpgsqlDbType.Char);
        copy.Write(e.FilerCode, NpgsqlDbType.Char);
        copy.Write(e.Importer, NpgsqlDbType.Varchar);
        copy.Write(e.Mid, NpgsqlDbType.Varchar);
        copy.Write(e.CountryOfOrigin, NpgsqlDbType.Char);
        copy.Write(e.EntryDate, NpgsqlDbType.Date);
        copy.Write(e.EnteredValue, NpgsqlDbType.Numeric);
        copy.Write(e.EstimatedDuties, NpgsqlDbType.Numeric);
        copy.Write(e.TariffNumber, NpgsqlDbType.Varchar);
        copy.Write(e.UsmcaClaimed, NpgsqlDbType.Boolean);
        copy.Write(now, NpgsqlDbType.TimestampTz);
        if (e.DutiesWithoutPreference is { } general) copy.Write(general, NpgsqlDbType.Numeric);
        else copy.WriteNull();
        if (e.LiquidatedOn is { } liquidated) copy.Write(liquidated, NpgsqlDbType.Date);
        else copy.WriteNull();
    }

    public const int MaxReport = 1_000;

    /// <summary>
    /// Records the liquidation of registered entries, all or nothing. The rows are locked while checked, so two reports
    /// of one entry cannot both record a date.
    /// </summary>
    public async Task<ReportEntriesLiquidatedResponse> ReportLiquidatedAsync(ReportEntriesLiquidatedRequest request, CancellationToken ct)
    {
        var today = LegalCalendar.Today(clock);
        var v = new Validation();
        if (request.Entries.Count is 0 or > MaxReport) v.Add("entries", $"from 1 to {MaxReport} entries");
        var items = new List<(int Index, string Number, DateOnly Date)>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < request.Entries.Count && i < MaxReport; i++)
        {
            var e = request.Entries[i];
            var f = $"entries[{i}].";
            var number = EntryFields.Number(e.EntryNumber, "entries", i, "entry_number", options.Value.EnforceCheckDigit, v);
            if (number is not null && !positions.TryAdd(number, i)) v.Add(f + "entry_number", $"{number} is also at entries[{positions[number]}]; report each entry once");
            if (e.LiquidationDate is null) v.Add(f + "liquidation_date", "is required");
            var date = e.LiquidationDate.ToActDate(f + "liquidation_date", today, v);
            if (number is not null) items.Add((i, number, date));
        }
        v.ThrowIfInvalid();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var numbers = items.Select(x => x.Number).ToArray();
        var stored = await db.Entries.FromSql($"SELECT * FROM liquidation.entries WHERE entry_number = ANY({numbers}::bpchar[]) FOR UPDATE")
            .ToDictionaryAsync(e => e.EntryNumber, StringComparer.Ordinal, ct);
        long recorded = 0, already = 0;
        foreach (var (index, number, date) in items)
        {
            var f = $"entries[{index}].";
            if (!stored.TryGetValue(number, out var entry)) v.Add(f + "entry_number", $"{number} is not registered");
            else if (date < entry.EntryDate) v.Add(f + "liquidation_date", $"must not be before the entry date ({entry.EntryDate:yyyy-MM-dd})");
            else if (entry.LiquidatedOn is { } earlier && earlier != date)
                v.Add(f + "liquidation_date", $"the entry was reported liquidated on {earlier:yyyy-MM-dd}; a liquidation is reported once");
            else if (entry.LiquidatedOn is null)
            {
                entry.LiquidatedOn = date;
                recorded++;
            }
            else already++;
        }
        v.ThrowIfInvalid(); // the transaction rolls back: nothing changes
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Recorded {Recorded} entries liquidated ({Already} already recorded)", recorded, already);
        return new ReportEntriesLiquidatedResponse { Recorded = recorded, AlreadyRecorded = already };
    }
}
