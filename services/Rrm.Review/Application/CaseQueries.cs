using Microsoft.EntityFrameworkCore;
using Rrm.Review.Data;
using Rrm.Review.Domain;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Errors;

namespace Rrm.Review.Application;

/// <summary>A case as the reads show it: with its invocation numbers and, for one case read whole, its timeline.</summary>
internal sealed record CaseView(EnforcementCase Case, Invocations.Numbers? Invocation, IReadOnlyList<TimelineEntry>? Timeline = null);

/// <summary>Which cases a list shows (a null or empty filter shows all), newest first: <see cref="PageSize"/> after the case <see cref="After"/>.</summary>
internal sealed record CaseFilter(CaseState? State, Guid? FacilityId, string? MexicanStateCode, string Sector, int Year, bool WithOpenDeadlines,
    int PageSize, Guid? After);

/// <summary>The figures of the cases as they stood on <see cref="AsOf"/>.</summary>
internal sealed record CaseStatistics(DateOnly AsOf, int Invocations, int RecordedInvocations, IReadOnlyList<(CaseState State, int Cases)> CasesByState,
    int ResolvedCases, double MedianDaysRequestToResolution, int WorkersAtFacilitiesWithCases, int FacilitiesWithoutWorkerCount, int PanelsRequested,
    IReadOnlyList<(int Year, int Invocations)> InvocationsByYear);

/// <summary>Reads of cases: one case with its timeline, lists, the live timeline stream, statistics.</summary>
internal sealed class CaseQueries(ReviewDbContext db, DatabaseNotifications notifications, Invocations invocations)
{
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(2);
    private const int WatchBatch = 500;

    /// <summary>A case just acted on, as the act's answer shows it.</summary>
    public async Task<CaseView> ViewAsync(EnforcementCase c, CancellationToken ct) => new(c, await invocations.OfAsync(c, ct));

    public Task<CaseView> GetAsync(Guid caseId, CancellationToken ct) => db.InSnapshotAsync(async () =>
    {
        var c = await db.Cases.AsNoTracking().SingleOrDefaultAsync(x => x.Id == caseId, ct) ?? throw new NotFoundException($"No case has id {caseId}.");
        var timeline = await db.Timeline.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Position).ToListAsync(ct);
        return new CaseView(c, await invocations.OfAsync(c, ct), timeline);
    }, ct);

    /// <summary>A page of the cases <paramref name="filter"/> shows, and the last case's id when more follow.</summary>
    public async Task<(List<CaseView> Cases, Guid? NextAfter)> ListAsync(CaseFilter filter, CancellationToken ct)
    {
        var query = db.Cases.AsNoTracking();
        if (filter.State is { } state) query = query.Where(c => c.State == state);
        if (filter.FacilityId is { } facilityId) query = query.Where(c => c.Facility.FacilityId == facilityId);
        if (filter.MexicanStateCode is { } code) query = query.Where(c => c.Facility.StateCode == code);
        if (filter.Sector.Length > 0) query = query.Where(c => c.Facility.Sector == filter.Sector);
        if (filter.Year != 0)
        {
            var (from, to) = (new DateOnly(filter.Year, 1, 1), new DateOnly(filter.Year, 12, 31));
            query = query.Where(c => c.RequestDate >= from && c.RequestDate <= to);
        }
        if (filter.WithOpenDeadlines)
            query = query.Where(c => c.Deadlines.Any(d => d.Status == DeadlineStatus.Open || d.Status == DeadlineStatus.Overdue));
        if (filter.After is { } after) query = query.Where(c => c.Id.CompareTo(after) < 0);
        var size = filter.PageSize;
        var (page, numbers) = await db.InSnapshotAsync(async () =>
            (await query.OrderByDescending(c => c.Id).Take(size + 1).ToListAsync(ct), await invocations.AllAsync(ct)), ct);
        var views = page.Take(size).Select(c => new CaseView(c, numbers.GetValueOrDefault(c.Id))).ToList();
        return (views, page.Count > size ? page[size - 1].Id : null);
    }

    /// <summary>Writes the entries after <paramref name="afterPosition"/>, then each new one as it commits, until cancelled.</summary>
    public async Task WatchAsync(Guid caseId, int afterPosition, Func<TimelineEntry, Task> write, CancellationToken ct)
    {
        if (!await db.Cases.AnyAsync(c => c.Id == caseId, ct)) throw new NotFoundException($"No case has id {caseId}.");
        var id = caseId.ToString();
        // Listen before the first read, so nothing committed in between is missed.
        using var wakeUps = notifications.Listen(ReviewDbContext.TimelineChannel, payload => payload == id);
        var position = afterPosition;
        while (!ct.IsCancellationRequested)
        {
            var entries = await db.Timeline.AsNoTracking().Where(e => e.CaseId == caseId && e.Position > position)
                .OrderBy(e => e.Position).Take(WatchBatch).ToListAsync(ct);
            foreach (var entry in entries)
            {
                await write(entry);
                position = entry.Position;
            }
            if (entries.Count < WatchBatch) await wakeUps.WaitAsync(WatchPoll, ct);
        }
    }

    public async Task<CaseStatistics> StatisticsAsync(DateOnly asOf, CancellationToken ct)
    {
        var requested = await db.Cases.AsNoTracking().Where(c => c.RequestDate != null && c.RequestDate <= asOf)
            .Select(c => new { c.Id, Request = c.RequestDate!.Value, c.ResolvedOn, c.PanelRequestedOn, c.Facility.FacilityId, c.Facility.LegalName, c.Facility.City, c.Facility.ApproximateWorkers })
            .ToListAsync(ct);
        // Each case's state on as_of: the state after its last act dated on or before it (acts are in date order).
        var states = await db.Database.SqlQuery<StateRow>($"""
            SELECT DISTINCT ON (case_id) state_after AS "State"
            FROM review.timeline_entries WHERE kind = 'Act' AND effective_date <= {asOf}
            ORDER BY case_id, position DESC
            """).ToListAsync(ct);
        var byState = states.GroupBy(s => s.State).Select(g => (Enum.Parse<CaseState>(g.Key), g.Count())).ToList();
        var resolutionDays = requested.Where(c => c.ResolvedOn <= asOf).Select(c => (double)(c.ResolvedOn!.Value.DayNumber - c.Request.DayNumber)).Order().ToList();

        // A facility counts once however many cases it has; one without a registry id by name and city.
        var facilities = requested.GroupBy(c => c.FacilityId?.ToString() ?? $"{c.LegalName}|{c.City}").Select(g => g.First().ApproximateWorkers).ToList();
        // As USTR counts: the highest invocation number by as_of, overall and per year (Invocations).
        var numbers = await invocations.AllAsync(ct);
        var highestByYear = requested.GroupBy(c => c.Request.Year).OrderBy(g => g.Key)
            .Select(g => (Year: g.Key, Highest: g.Max(c => numbers[c.Id].Number))).ToList();
        return new CaseStatistics(
            AsOf: asOf,
            Invocations: highestByYear.Select(y => y.Highest).DefaultIfEmpty(0).Max(),
            RecordedInvocations: requested.Count,
            CasesByState: byState,
            ResolvedCases: states.Count(s => s.State == nameof(CaseState.Resolved)),
            MedianDaysRequestToResolution: Median(resolutionDays),
            WorkersAtFacilitiesWithCases: facilities.Sum(),
            FacilitiesWithoutWorkerCount: facilities.Count(w => w == 0),
            PanelsRequested: await db.Cases.CountAsync(c => c.PanelRequestedOn <= asOf, ct),
            InvocationsByYear: [.. highestByYear.Select((y, i) => (y.Year, y.Highest - highestByYear.Take(i).Select(p => p.Highest).DefaultIfEmpty(0).Max()))]);
    }

    private static double Median(List<double> sorted) => sorted.Count == 0 ? 0
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private sealed record StateRow(string State);
}
