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
internal sealed class CaseQueries(ReviewDbContext db, DatabaseNotifications notifications, Invocations invocations, StatisticsCache cache)
{
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(2);
    private const int WatchBatch = 500;

    /// <summary>A case just acted on, as the act's answer shows it.</summary>
    public async Task<CaseView> ViewAsync(EnforcementCase c, CancellationToken ct) => new(c, await invocations.OfAsync(c, ct));

    public Task<CaseView> GetAsync(Guid caseId, CancellationToken ct) => db.InSnapshotAsync(async () =>
    {
        var c = await WithNumbers(db.Cases.AsNoTracking().Where(x => x.Id == caseId)).SingleOrDefaultAsync(ct) ?? throw new NotFoundException($"No case has id {caseId}.");
        var timeline = await db.Timeline.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Position).ToListAsync(ct);
        return c with { Timeline = timeline };
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
        var page = await WithNumbers(query.OrderByDescending(c => c.Id).Take(size + 1)).ToListAsync(ct);
        return (page.Take(size).ToList(), page.Count > size ? page[size - 1].Case.Id : null);
    }

    /// <summary>Cases with the invocation numbers stored on them (Invocations).</summary>
    private static IQueryable<CaseView> WithNumbers(IQueryable<EnforcementCase> cases) => cases.Select(c => new CaseView(c,
        c.RequestDate == null ? null : new Invocations.Numbers(
            EF.Property<int>(c, ReviewDbContext.InvocationColumns.Number), EF.Property<int>(c, ReviewDbContext.InvocationColumns.NumberInYear),
            c.RequestDate.Value.Year, c.UstrOrdinal != null),
        null));

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

    /// <summary>
    /// The figures as of <paramref name="asOf"/>, aggregated in SQL in one snapshot; the same snapshot again (nothing committed
    /// anywhere on the server since) is answered from <see cref="StatisticsCache"/>.
    /// </summary>
    public Task<CaseStatistics> StatisticsAsync(DateOnly asOf, CancellationToken ct) => db.InSnapshotAsync(async () =>
    {
        var snapshot = await db.Database.SqlQuery<string>($"SELECT pg_current_snapshot()::text AS \"Value\"").SingleAsync(ct);
        if (cache.Get(snapshot, asOf) is { } cached) return cached;
        var statistics = await ComputeStatisticsAsync(asOf, ct);
        cache.Set(snapshot, asOf, statistics);
        return statistics;
    }, ct);

    private async Task<CaseStatistics> ComputeStatisticsAsync(DateOnly asOf, CancellationToken ct)
    {
        // Each case's state on as_of: the state after its last act dated on or before it (acts are in date order).
        var states = await db.Database.SqlQuery<StateRow>($"""
            SELECT state_after AS state, count(*)::int AS cases FROM (
              SELECT DISTINCT ON (case_id) state_after
              FROM review.timeline_entries WHERE kind = 'Act' AND effective_date <= {asOf}
              ORDER BY case_id, position DESC) s
            GROUP BY state_after
            """).ToListAsync(ct);
        // A facility counts once however many cases it has; one without a registry id by name and city (its first case's workers).
        var requested = await db.Database.SqlQuery<RequestedRow>($"""
            SELECT count(*)::int AS requests,
                   coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY resolved_on - request_date) FILTER (WHERE resolved_on <= {asOf}), 0) AS median_days,
                   (SELECT count(*)::int FROM review.cases WHERE panel_requested_on <= {asOf}) AS panels_requested
            FROM review.cases WHERE request_date <= {asOf}
            """).SingleAsync(ct);
        var facilities = await db.Database.SqlQuery<int>($"""
            SELECT DISTINCT ON (coalesce(facility_facility_id::text, facility_legal_name || '|' || facility_city)) facility_approximate_workers AS "Value"
            FROM review.cases WHERE request_date <= {asOf}
            ORDER BY coalesce(facility_facility_id::text, facility_legal_name || '|' || facility_city), request_date, request_recorded_at, id
            """).ToListAsync(ct);
        // As USTR counts: the highest invocation number by as_of, overall and per year (Invocations).
        var highestByYear = await db.Database.SqlQuery<YearRow>($"""
            SELECT extract(year FROM request_date)::int AS year, max(invocation_number) AS highest
            FROM review.cases WHERE request_date <= {asOf} GROUP BY 1 ORDER BY 1
            """).ToListAsync(ct);
        return new CaseStatistics(
            AsOf: asOf,
            Invocations: highestByYear.Select(y => y.Highest).DefaultIfEmpty(0).Max(),
            RecordedInvocations: requested.Requests,
            CasesByState: [.. states.Select(s => (Enum.Parse<CaseState>(s.State), s.Cases))],
            ResolvedCases: states.Where(s => s.State == nameof(CaseState.Resolved)).Sum(s => s.Cases),
            MedianDaysRequestToResolution: requested.MedianDays,
            WorkersAtFacilitiesWithCases: facilities.Sum(),
            FacilitiesWithoutWorkerCount: facilities.Count(w => w == 0),
            PanelsRequested: requested.PanelsRequested,
            InvocationsByYear: [.. highestByYear.Select((y, i) => (y.Year, y.Highest - highestByYear.Take(i).Select(p => p.Highest).DefaultIfEmpty(0).Max()))]);
    }

    private sealed record StateRow(string State, int Cases);

    private sealed record RequestedRow(int Requests, double MedianDays, int PanelsRequested);

    private sealed record YearRow(int Year, int Highest);
}
