using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Rrm.Grpc.Review.V1;
using Rrm.Review.Data;
using Rrm.Review.Grpc;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Hosting;
using Rrm.ServiceDefaults.Reference;
using Domain = Rrm.Review.Domain;

namespace Rrm.Review.Application;

/// <summary>Reads of cases: one case with its timeline, lists, the live timeline stream, statistics.</summary>
internal sealed class CaseQueries(ReviewDbContext db, DatabaseNotifications notifications, TimeProvider clock)
{
    public const string TimelineChannel = "review_timeline";
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(2);
    private const int WatchBatch = 500;

    public async Task<Case> ToProtoAsync(Domain.EnforcementCase c, ClaimsPrincipal user, CancellationToken ct) =>
        c.ToProto(await Invocations.OfAsync(db, c, ct), user);

    public Task<Case> GetAsync(Guid caseId, ClaimsPrincipal user, CancellationToken ct) => db.InSnapshotAsync(async () =>
    {
        var c = await db.Cases.AsNoTracking().SingleOrDefaultAsync(x => x.Id == caseId, ct) ?? throw new NotFoundException($"No case has id {caseId}.");
        var timeline = await db.Timeline.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Position).ToListAsync(ct);
        return c.ToProto(await Invocations.OfAsync(db, c, ct), user, timeline);
    }, ct);

    public async Task<ListCasesResponse> ListAsync(ListCasesRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        var v = new Validation();
        Domain.CaseState? state = request.State == CaseState.Unspecified ? null : request.State.ToDomain<Domain.CaseState>();
        if (request.State != CaseState.Unspecified && state is null) v.Add("state", "is not a case state");
        Guid? facilityId = string.IsNullOrWhiteSpace(request.FacilityId) ? null : request.FacilityId.ToId("facility_id", v);
        MexicanState? mexicanState = null;
        if (!string.IsNullOrWhiteSpace(request.MexicanState) && !MexicanStates.TryParse(request.MexicanState, out mexicanState))
            v.Add("mexican_state", $"'{request.MexicanState}' is not a Mexican state: use {MexicanStates.Describe()}");
        var sector = request.Sector.Trim().ToLowerInvariant();
        if (sector.Length > 0 && sector is not ("manufacturing" or "services" or "mining")) v.Add("sector", "must be manufacturing, services or mining");
        if (request.Year != 0 && request.Year is < 2020 or > 9999) v.Add("year", "must be a year from 2020 (USMCA's entry into force)");
        var size = request.Page.PageSize(v);
        var after = request.Page.DecodeToken(1, v) is { } token ? token[0].ToId("page.page_token", v) : (Guid?)null;
        v.ThrowIfInvalid();

        var query = db.Cases.AsNoTracking();
        if (state is not null) query = query.Where(c => c.State == state);
        if (facilityId is not null) query = query.Where(c => c.Facility.FacilityId == facilityId);
        if (mexicanState is not null) query = query.Where(c => c.Facility.StateCode == mexicanState.Code);
        if (sector.Length > 0) query = query.Where(c => c.Facility.Sector == sector);
        if (request.Year != 0)
        {
            var (from, to) = (new DateOnly(request.Year, 1, 1), new DateOnly(request.Year, 12, 31));
            query = query.Where(c => c.RequestDate >= from && c.RequestDate <= to);
        }
        if (request.WithOpenDeadlines)
            query = query.Where(c => c.Deadlines.Any(d => d.Status == Domain.DeadlineStatus.Open || d.Status == Domain.DeadlineStatus.Overdue));
        if (after is not null) query = query.Where(c => c.Id.CompareTo(after.Value) < 0);
        var (page, invocations) = await db.InSnapshotAsync(async () =>
            (await query.OrderByDescending(c => c.Id).Take(size + 1).ToListAsync(ct), await Invocations.AllAsync(db, ct)), ct);
        var response = new ListCasesResponse { Page = new() };
        response.Cases.AddRange(page.Take(size).Select(c => c.ToProto(invocations.GetValueOrDefault(c.Id), user)));
        if (page.Count > size) response.Page.NextPageToken = Paging.EncodeToken(page[size - 1].Id.ToString());
        return response;
    }

    /// <summary>Writes the entries after <paramref name="afterPosition"/>, then each new one as it commits, until cancelled.</summary>
    public async Task WatchAsync(Guid caseId, int afterPosition, ClaimsPrincipal user, Func<TimelineEntry, Task> write, CancellationToken ct)
    {
        if (!await db.Cases.AnyAsync(c => c.Id == caseId, ct)) throw new NotFoundException($"No case has id {caseId}.");
        var id = caseId.ToString();
        // Listen before the first read, so nothing committed in between is missed.
        using var wakeUps = notifications.Listen(TimelineChannel, payload => payload == id);
        var position = afterPosition;
        while (!ct.IsCancellationRequested)
        {
            var entries = await db.Timeline.AsNoTracking().Where(e => e.CaseId == caseId && e.Position > position)
                .OrderBy(e => e.Position).Take(WatchBatch).ToListAsync(ct);
            foreach (var entry in entries)
            {
                await write(entry.ToProto(user));
                position = entry.Position;
            }
            if (entries.Count < WatchBatch) await wakeUps.WaitAsync(WatchPoll, ct);
        }
    }

    public async Task<GetStatisticsResponse> StatisticsAsync(GetStatisticsRequest request, CancellationToken ct)
    {
        var v = new Validation();
        var asOf = request.AsOf.ToDateOrDefault("as_of", LegalCalendar.Today(clock), v);
        v.ThrowIfInvalid();

        var requested = await db.Cases.AsNoTracking().Where(c => c.RequestDate != null && c.RequestDate <= asOf)
            .Select(c => new { c.Id, Request = c.RequestDate!.Value, c.ResolvedOn, c.PanelRequestedOn, c.Facility.FacilityId, c.Facility.LegalName, c.Facility.City, c.Facility.ApproximateWorkers })
            .ToListAsync(ct);
        // Each case's state on as_of: the state after its last act dated on or before it (acts are in date order).
        var states = await db.Database.SqlQuery<StateRow>($"""
            SELECT DISTINCT ON (case_id) state_after AS "State"
            FROM review.timeline_entries WHERE kind = 'Act' AND effective_date <= {asOf}
            ORDER BY case_id, position DESC
            """).ToListAsync(ct);
        var byState = states.GroupBy(s => s.State).Select(g => new StateCount
        {
            State = Enum.Parse<Domain.CaseState>(g.Key).ByName<CaseState>(), Cases = g.Count(),
        }).OrderBy(s => s.State).ToList();
        var resolutionDays = requested.Where(c => c.ResolvedOn <= asOf).Select(c => (double)(c.ResolvedOn!.Value.DayNumber - c.Request.DayNumber)).Order().ToList();

        // A facility counts once however many cases it has; one without a registry id by name and city.
        var facilities = requested.GroupBy(c => c.FacilityId?.ToString() ?? $"{c.LegalName}|{c.City}").Select(g => g.First().ApproximateWorkers).ToList();
        // As USTR counts: the highest invocation number by as_of, overall and per year (Invocations).
        var numbers = await Invocations.AllAsync(db, ct);
        var highestByYear = requested.GroupBy(c => c.Request.Year).OrderBy(g => g.Key)
            .Select(g => (Year: g.Key, Highest: g.Max(c => numbers[c.Id].Number))).ToList();
        var response = new GetStatisticsResponse
        {
            AsOf = asOf.ToProto(),
            Invocations = highestByYear.Select(y => y.Highest).DefaultIfEmpty(0).Max(),
            RecordedInvocations = requested.Count,
            CasesByState = { byState },
            ResolvedCases = states.Count(s => s.State == nameof(Domain.CaseState.Resolved)),
            MedianDaysRequestToResolution = Median(resolutionDays),
            WorkersAtFacilitiesWithCases = facilities.Sum(),
            FacilitiesWithoutWorkerCount = facilities.Count(w => w == 0),
            PanelsRequested = await db.Cases.CountAsync(c => c.PanelRequestedOn <= asOf, ct),
        };
        response.InvocationsByYear.AddRange(highestByYear.Select((y, i) => new YearCount
        {
            Year = y.Year, Invocations = y.Highest - highestByYear.Take(i).Select(p => p.Highest).DefaultIfEmpty(0).Max(),
        }));
        return response;
    }

    private static double Median(List<double> sorted) => sorted.Count == 0 ? 0
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private sealed record StateRow(string State);
}
