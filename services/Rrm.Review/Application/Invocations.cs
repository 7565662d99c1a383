using Microsoft.EntityFrameworkCore;
using Rrm.Review.Data;
using Rrm.Review.Domain;

namespace Rrm.Review.Application;

/// <summary>
/// Invocation numbers are derived, never stored: a case's rank among all requests for review by request
/// date (then by when it was recorded), overall and within its calendar year. A backfilled earlier request
/// therefore renumbers the later ones.
/// </summary>
internal static class Invocations
{
    public sealed record Numbers(int Number, int NumberInYear, int Year);

    public static async Task<Numbers?> OfAsync(ReviewDbContext db, EnforcementCase c, CancellationToken ct)
    {
        if (c.RequestDate is not { } date || c.RequestRecordedAt is not { } at) return null;
        var id = c.Id;
        var earlier = db.Cases.AsNoTracking().Where(x => x.Id != id && x.RequestDate != null &&
            (x.RequestDate < date || (x.RequestDate == date && (x.RequestRecordedAt < at || (x.RequestRecordedAt == at && x.Id.CompareTo(id) < 0)))));
        var yearStart = new DateOnly(date.Year, 1, 1);
        return new Numbers(await earlier.CountAsync(ct) + 1, await earlier.CountAsync(x => x.RequestDate >= yearStart, ct) + 1, date.Year);
    }

    /// <summary>The numbers of every case with a request, in one query (for lists).</summary>
    public static async Task<Dictionary<Guid, Numbers>> AllAsync(ReviewDbContext db, CancellationToken ct)
    {
        var requests = await db.Cases.AsNoTracking().Where(x => x.RequestDate != null)
            .Select(x => new { x.Id, Date = x.RequestDate!.Value, At = x.RequestRecordedAt })
            .ToListAsync(ct);
        var ordered = requests.OrderBy(x => x.Date).ThenBy(x => x.At).ThenBy(x => x.Id).ToList();
        var inYear = new Dictionary<int, int>();
        var numbers = new Dictionary<Guid, Numbers>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var year = ordered[i].Date.Year;
            inYear[year] = inYear.GetValueOrDefault(year) + 1;
            numbers[ordered[i].Id] = new Numbers(i + 1, inYear[year], year);
        }
        return numbers;
    }
}
