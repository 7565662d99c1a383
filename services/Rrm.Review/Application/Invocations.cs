using Microsoft.EntityFrameworkCore;
using Rrm.Review.Data;
using Rrm.Review.Domain;

namespace Rrm.Review.Application;

/// <summary>
/// Invocation numbers are derived, never stored, from the requests for review in date order (then by when they
/// were recorded): a request USTR numbered keeps USTR's ordinal; any other is one more than the request before it,
/// so computed numbers fill the gaps of the public record and continue after the highest announced one. The number
/// within a year is counted as USTR counts ("the seventh time in 2024"): the number minus the highest number of the
/// years before. A backfilled earlier request therefore renumbers the later computed ones.
/// </summary>
/// <remarks>
/// Scoped: an act's numbers are read once, when its events are staged, and its answer shows the same numbers. They are
/// remembered for that case object as long as its request is the same (an act retried on a fresh load reads them again).
/// </remarks>
internal sealed class Invocations(ReviewDbContext db)
{
    public sealed record Numbers(int Number, int NumberInYear, int Year, bool NumberIsUstrs);

    public sealed record Request(Guid Id, DateOnly Date, DateTimeOffset? RecordedAt, int? UstrOrdinal);

    private readonly Dictionary<EnforcementCase, (Request Request, Numbers Numbers)> read = new(ReferenceEqualityComparer.Instance);

    /// <summary>The numbers of <paramref name="c"/> (saved or not) among every recorded request.</summary>
    public async Task<Numbers?> OfAsync(EnforcementCase c, CancellationToken ct)
    {
        if (c.RequestDate is not { } date) return null;
        var request = new Request(c.Id, date, c.RequestRecordedAt, c.UstrOrdinal);
        if (read.TryGetValue(c, out var earlier) && earlier.Request == request) return earlier.Numbers;
        var id = c.Id;
        var others = await RequestsAsync(db.Cases.Where(x => x.Id != id), ct);
        var numbers = Number([.. others, request])[id];
        read[c] = (request, numbers);
        return numbers;
    }

    /// <summary>The numbers of every case with a request, in one query (for lists and statistics).</summary>
    public async Task<Dictionary<Guid, Numbers>> AllAsync(CancellationToken ct) => Number(await RequestsAsync(db.Cases, ct));

    public static Dictionary<Guid, Numbers> Number(IEnumerable<Request> requests)
    {
        var ordered = requests.OrderBy(r => r.Date).ThenBy(r => r.RecordedAt).ThenBy(r => r.Id).ToList();
        var overall = new Dictionary<Guid, int>();
        var last = 0;
        foreach (var r in ordered) overall[r.Id] = last = r.UstrOrdinal ?? last + 1;
        var highestByYear = ordered.GroupBy(r => r.Date.Year).ToDictionary(g => g.Key, g => g.Max(r => overall[r.Id]));
        return ordered.ToDictionary(r => r.Id, r =>
        {
            var before = highestByYear.Where(y => y.Key < r.Date.Year).Select(y => y.Value).DefaultIfEmpty(0).Max();
            return new Numbers(overall[r.Id], overall[r.Id] - before, r.Date.Year, r.UstrOrdinal is not null);
        });
    }

    private static Task<List<Request>> RequestsAsync(IQueryable<EnforcementCase> cases, CancellationToken ct) =>
        cases.AsNoTracking().Where(x => x.RequestDate != null)
            .Select(x => new Request(x.Id, x.RequestDate!.Value, x.RequestRecordedAt, x.UstrOrdinal)).ToListAsync(ct);
}
