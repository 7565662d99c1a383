using Microsoft.EntityFrameworkCore;
using Rrm.Review.Data;
using Rrm.Review.Domain;

namespace Rrm.Review.Application;

/// <summary>
/// Invocation numbers follow from the requests for review in date order (then by when they were recorded): a request
/// USTR numbered keeps USTR's ordinal; any other is one more than the request before it, so computed numbers fill the
/// gaps of the public record and continue after the highest announced one. The number within a year is counted as USTR
/// counts ("the seventh time in 2024"): the number minus the highest number of the years before. A backfilled earlier
/// request therefore renumbers the later computed ones.
/// </summary>
/// <remarks>
/// The numbers are stored on the case (<see cref="ReviewDbContext.InvocationColumns"/>), so that a read costs nothing
/// more and a new request reads only the request before it and those after it (none, for the usual request dated
/// today). Numbering a request takes a transaction-scoped lock (<see cref="LockKey"/>), so two requests recorded at
/// the same time are numbered one after the other. Scoped: an act's numbers are read once, when its events are staged,
/// and its answer shows the same numbers.
/// </remarks>
internal sealed class Invocations(ReviewDbContext db)
{
    /// <summary>The CommandRunner's serializeOn key of acts that number a request (and the lock <see cref="StoreAsync"/> takes).</summary>
    public const string LockKey = "review-invocations";

    public sealed record Numbers(int Number, int NumberInYear, int Year, bool NumberIsUstrs);

    public sealed record Request(Guid Id, DateOnly Date, DateTimeOffset? RecordedAt, int? UstrOrdinal);

    /// <summary>Where a numbering continues: the number of the request before, the highest number so far, the year and the highest number of the years before it.</summary>
    public sealed record Start(int Last, int Highest, int Year, int HighestBeforeYear)
    {
        public static readonly Start None = new(0, 0, 0, 0);
    }

    /// <summary>A request's numbers and the highest number up to it (stored, for the numbering to continue from it).</summary>
    public sealed record Numbered(Request Request, Numbers Numbers, int Highest);

    private readonly Dictionary<EnforcementCase, (Request Request, Numbers Numbers)> read = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<EnforcementCase, List<Numbered>> placed = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// The numbers of <paramref name="c"/> (saved or not) among every recorded request: stored, or for a request not
    /// stored yet, placed after the one before it (in the act's transaction, under the lock; <see cref="StoreAsync"/> saves them).
    /// </summary>
    public async Task<Numbers?> OfAsync(EnforcementCase c, CancellationToken ct)
    {
        if (c.RequestDate is not { } date) return null;
        var request = new Request(c.Id, date, c.RequestRecordedAt, c.UstrOrdinal);
        if (read.TryGetValue(c, out var earlier) && earlier.Request == request) return earlier.Numbers;
        var numbers = await StoredAsync(request, ct) ?? await PlaceAsync(c, request, ct);
        read[c] = (request, numbers);
        return numbers;
    }

    /// <summary>Saves the numbers of a request placed by this act, and renumbers the requests after it (in the unit of work's transaction).</summary>
    public async Task StoreAsync(EnforcementCase c, CancellationToken ct)
    {
        if (await OfAsync(c, ct) is null || !placed.Remove(c, out var numbered)) return;
        var entry = db.Entry(c);
        var own = numbered[0];
        entry.Property<int?>(ReviewDbContext.InvocationColumns.Number).CurrentValue = own.Numbers.Number;
        entry.Property<int?>(ReviewDbContext.InvocationColumns.NumberInYear).CurrentValue = own.Numbers.NumberInYear;
        entry.Property<int?>(ReviewDbContext.InvocationColumns.Highest).CurrentValue = own.Highest;
        if (numbered.Count == 1) return;
        var after = numbered.Skip(1).ToList();
        await db.Database.ExecuteSqlAsync($"""
            UPDATE review.cases c SET invocation_number = n.number, invocation_number_in_year = n.in_year, invocation_highest = n.highest
            FROM unnest({after.Select(n => n.Request.Id).ToArray()}, {after.Select(n => n.Numbers.Number).ToArray()},
                        {after.Select(n => n.Numbers.NumberInYear).ToArray()}, {after.Select(n => n.Highest).ToArray()}) AS n(id, number, in_year, highest)
            WHERE c.id = n.id
            """, ct);
    }

    /// <summary>The numbers of the requests given, numbered from the first (used where all requests are at hand, and by tests as the rule itself).</summary>
    public static Dictionary<Guid, Numbers> Number(IEnumerable<Request> requests) =>
        Continue(requests, Start.None).ToDictionary(n => n.Request.Id, n => n.Numbers);

    /// <summary>Numbers <paramref name="requests"/> in order, continuing from <paramref name="start"/>.</summary>
    public static List<Numbered> Continue(IEnumerable<Request> requests, Start start)
    {
        var (last, highest, year, before) = start;
        var numbered = new List<Numbered>();
        foreach (var r in requests.OrderBy(r => r.Date).ThenBy(r => r.RecordedAt).ThenBy(r => r.Id))
        {
            if (r.Date.Year != year) (year, before) = (r.Date.Year, highest);
            last = r.UstrOrdinal ?? last + 1;
            highest = Math.Max(highest, last);
            numbered.Add(new Numbered(r, new Numbers(last, last - before, year, r.UstrOrdinal is not null), highest));
        }
        return numbered;
    }

    private async Task<Numbers?> StoredAsync(Request request, CancellationToken ct)
    {
        var stored = await db.Cases.AsNoTracking()
            .Where(x => x.Id == request.Id && x.RequestDate == request.Date && x.RequestRecordedAt == request.RecordedAt && x.UstrOrdinal == request.UstrOrdinal)
            .Select(x => new { Number = EF.Property<int?>(x, ReviewDbContext.InvocationColumns.Number), InYear = EF.Property<int?>(x, ReviewDbContext.InvocationColumns.NumberInYear) })
            .SingleOrDefaultAsync(ct);
        return stored is { Number: { } number, InYear: { } inYear } ? new Numbers(number, inYear, request.Date.Year, request.UstrOrdinal is not null) : null;
    }

    /// <summary>Numbers a request not stored yet: from the request before it, with the requests after it renumbered.</summary>
    private async Task<Numbers> PlaceAsync(EnforcementCase c, Request request, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException($"A request for review is numbered in its act's transaction: run the act with serializeOn {LockKey}.");
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({LockKey}, 0))", ct);
        var (date, recordedAt, id) = (request.Date, request.RecordedAt ?? DateTimeOffset.MinValue, request.Id);
        var before = await db.Database.SqlQuery<StoredRow>($"""
            SELECT request_date AS date, invocation_number AS number, invocation_number_in_year AS in_year, invocation_highest AS highest
            FROM review.cases
            WHERE request_date IS NOT NULL AND id <> {id} AND (request_date, request_recorded_at, id) < ({date}, {recordedAt}, {id})
            ORDER BY request_date DESC, request_recorded_at DESC, id DESC LIMIT 1
            """).SingleOrDefaultAsync(ct);
        var after = await db.Database.SqlQuery<Request>($"""
            SELECT id, request_date AS date, request_recorded_at AS recorded_at, ustr_ordinal
            FROM review.cases
            WHERE request_date IS NOT NULL AND id <> {id} AND (request_date, request_recorded_at, id) > ({date}, {recordedAt}, {id})
            """).ToListAsync(ct);
        var start = before is null ? Start.None
            : new Start(before.Number, before.Highest, before.Date.Year, before.Number - before.InYear);
        var numbered = Continue([request, .. after], start);
        placed[c] = numbered;
        return numbered[0].Numbers;
    }

    private sealed record StoredRow(DateOnly Date, int Number, int InYear, int Highest);
}
