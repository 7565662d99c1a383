using System.Globalization;
using System.Text.RegularExpressions;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rrm.Grpc.Review.V1;
using Rrm.Review.Application;
using Rrm.Review.Data;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Grpc;
using Rrm.ServiceDefaults.Reference;
using Domain = Rrm.Review.Domain;

namespace Rrm.Review.Grpc;

/// <summary>
/// Replays case histories (docs/import-format.md: version 1, the columns of ../shared/fixtures, or version 2,
/// which adds the announcement date, USTR's ordinal and a source per row) through the same state machine as
/// the RPCs. Each case is stored whole or not at all, in its own transaction; its events are published marked
/// as replayed (recorded by consumers, never notified), then CaseHistoryImported says what stands after it.
/// Clocks closed during the replay raise no alert; one still running when the history ends is scheduled like
/// any other. A case already imported with the same rows is left unchanged.
/// </summary>
/// <remarks>
/// In Grpc/ (ADR 0009): it is the ImportCaseHistory RPC's work, answers with its proto results and looks facilities up
/// through the Petition service's client with the caller's token.
/// </remarks>
internal sealed partial class CaseHistoryImporter(
    ReviewDbContext db, CaseCommands commands, CaseClocks clocks, CaseEventMapper events, Invocations invocations, FacilityDirectory facilities, Domain.BusinessCalendar calendar,
    TimeProvider clock, IOptions<ReviewOptions> options, ILogger<CaseHistoryImporter> logger)
{
    public const int MaxCsvLength = 4 * 1024 * 1024;
    private static readonly string[] Header = ["case_ref", "facility", "legal_name", "city", "state", "sector", "workers", "date", "act", "detail"];
    private static readonly string[] HeaderV2 = [.. Header, "announced_date", "ustr_ordinal", "source_url"];
    private const int CaseRef = 0, CommonName = 1, LegalName = 2, City = 3, State = 4, Sector = 5, Workers = 6, Date = 7, Act = 8, Detail = 9,
        AnnouncedDate = 10, UstrOrdinal = 11, Source = 12;

    /// <summary>
    /// Imports every case of <paramref name="csv"/>, or only its rows dated on or before <paramref name="until"/> and
    /// not of the cases in <paramref name="skip"/>.
    /// </summary>
    public async Task<List<CaseImportResult>> ImportAsync(string csv, string recordedBy, Metadata caller, CancellationToken ct,
        DateOnly? until = null, IReadOnlySet<string>? skip = null)
    {
        List<CsvRecord> records;
        try { records = Csv.Parse(csv); }
        catch (FormatException e) { throw new RequestValidationException([new("csv", e.Message)]); }
        var header = records.Count == 0 ? [] : records[0].Fields.Select(f => f.Trim()).ToArray();
        if (!header.SequenceEqual(Header) && !header.SequenceEqual(HeaderV2))
            throw new RequestValidationException([new("csv", $"line 1 must be the header {string.Join(",", HeaderV2)} (version 2) or {string.Join(",", Header)} (version 1)")]);
        if (records.Skip(1).FirstOrDefault(r => r.Fields.Count != header.Length) is { } bad)
            throw new RequestValidationException([new("csv", $"line {bad.Line} has {bad.Fields.Count} fields; every line has {header.Length}")]);

        var results = new List<CaseImportResult>();
        var kept = records.Skip(1).Where(r => !(skip?.Contains(r.Fields[CaseRef].Trim()) ?? false) && !(until is { } last && DatedAfter(r, last)));
        var histories = kept.GroupBy(r => r.Fields[CaseRef].Trim()).ToList();
        var (maxCases, budget) = (options.Value.ImportMaxCases, options.Value.ImportTimeBudget);
        if (histories.Count > maxCases)
            throw new RequestValidationException([new("csv", $"holds {histories.Count} cases; import at most {maxCases} per request (split the history into batches)")]);
        // Cases imported before are answered from one query, so that importing a history again costs little of the budget.
        var refs = histories.Select(h => h.Key).ToList();
        var imported = await db.Cases.AsNoTracking().Where(c => c.Reference != null && refs.Contains(c.Reference))
            .Select(c => new Imported(c.Reference!, c.ImportHash, c.Id, c.State)).ToDictionaryAsync(c => c.Reference, ct);
        var started = clock.GetTimestamp();
        foreach (var history in histories)
        {
            var rows = history.ToList();
            CaseImportResult result;
            try
            {
                result = imported.TryGetValue(history.Key, out var earlier)
                    ? earlier.ImportHash == Hash(rows)
                        ? Result(earlier.Reference, earlier.Id, earlier.State, CaseImportResult.Types.Outcome.Unchanged)
                        : throw new RowException(rows[0].Line, $"case_ref {earlier.Reference} was already imported with a different history (case {earlier.Id}); nothing was changed")
                    : clock.GetElapsedTime(started) > budget
                        ? throw new RowException(rows[0].Line, $"not imported: the request's time budget ({budget.TotalSeconds:0} s) was used up; import the same rows again to continue (imported cases stay unchanged)")
                        : await ImportCaseAsync(history.Key, rows, $"{recordedBy} (import)", caller, ct);
            }
            catch (RowException e)
            {
                db.ChangeTracker.Clear();
                result = new CaseImportResult { CaseRef = history.Key, Outcome = CaseImportResult.Types.Outcome.Rejected, Row = e.Line, Reason = e.Message };
            }
            logger.LogInformation("Import of case {CaseReference}: {Outcome}{Reason}", history.Key, result.Outcome, result.Reason.Length > 0 ? $" (line {result.Row}: {result.Reason})" : "");
            results.Add(result);
        }
        return results;
    }

    private async Task<CaseImportResult> ImportCaseAsync(string reference, List<CsvRecord> rows, string recordedBy, Metadata caller, CancellationToken ct)
    {
        if (reference.Length is 0 or > 100) throw new RowException(rows[0].Line, "case_ref must be 1 to 100 characters");
        // Names and places are single lines: a line break in a facility's name would break every mail subject that carries it.
        if (rows.FirstOrDefault(r => r.Fields.Take(Detail).Any(Validation.HasControlCharacter)) is { } broken)
            throw new RowException(broken.Line, "case_ref, the facility columns, the date and the act must be single lines without control characters");
        var hash = Hash(rows);
        if (rows.FirstOrDefault(r => !FacilityColumns(r).SequenceEqual(FacilityColumns(rows[0]))) is { } differing)
            throw new RowException(differing.Line, "the facility columns differ from the case's first line");

        var facility = await FacilityAsync(rows[0], caller, ct);
        // One transaction for the case: its request for review is numbered in it (Invocations).
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        Domain.EnforcementCase? c = null;
        var now = clock.GetUtcNow();
        foreach (var row in rows)
        {
            try
            {
                var (ctx, detail) = Context(row, recordedBy, now);
                c = await ReplayAsync(c, row, ctx, detail, reference, facility, ct);
                await events.PublishActsAsync(db, c, ct);
            }
            catch (Exception e) when (e is RequestValidationException or InvalidStateTransitionException or FormatException)
            {
                throw new RowException(row.Line, e is RequestValidationException v ? string.Join("; ", v.Violations.Select(x => x.Description)) : e.Message);
            }
        }
        // Periods that ended since the history's last act lapse now, as the scheduler would have recorded them live.
        if (c!.RecordLapses(LegalCalendar.Today(clock), now, calendar, replayed: true)) await events.PublishActsAsync(db, c, ct);
        c.MarkImported(hash);
        db.Cases.Add(c);
        await invocations.StoreAsync(c, ct);
        db.Timeline.AddRange(c.NewEntries);
        await clocks.SyncAsync(db, c, ct);
        await events.PublishImportedAsync(db, c, ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new RowException(rows[0].Line, $"case_ref {reference} was imported concurrently; import again to see its outcome");
        }
        db.ChangeTracker.Clear();
        return Result(reference, c.Id, c.State, CaseImportResult.Types.Outcome.Imported);
    }

    private async Task<Domain.EnforcementCase> ReplayAsync(Domain.EnforcementCase? c, CsvRecord row, Domain.ActContext ctx, string detail,
        string reference, Domain.CaseFacility facility, CancellationToken ct)
    {
        var act = row.Fields[Act].Trim();
        if (act is "petition_received" or "self_initiated")
        {
            if (c is not null) throw new FormatException($"{act} can only be a case's first act");
            return act == "self_initiated"
                ? Domain.EnforcementCase.SelfInitiate(facility, ctx, reference)
                : Domain.EnforcementCase.ReceivePetition(facility, ctx with { Note = "" }, reference, detail);
        }
        if (c is null) throw new FormatException("a case's first act must be petition_received or self_initiated");
        var recorded = act switch
        {
            "ilc_sufficient" => c.DeterminePetition(ctx, sufficient: true),
            "ilc_insufficient" => c.DeterminePetition(ctx, sufficient: false),
            "request_for_review" => c.RequestReview(ctx with { Note = Rest(detail) }, Keyword(detail) switch
            {
                "suspend_liquidation" => true,
                "no_suspension" => false,
                "suspension_unknown" => null,
                _ => throw new FormatException("the detail of request_for_review must start with suspend_liquidation, no_suspension or suspension_unknown"),
            }, UstrOrdinalOf(row)),
            "mexico_accepted" => c.RecordMexicoResponse(ctx, Domain.MexicoResponse.Accepted),
            "mexico_declined" => c.RecordMexicoResponse(ctx, Domain.MexicoResponse.Declined),
            "mexico_no_answer" => c.RecordMexicoResponse(ctx, Domain.MexicoResponse.NoResponse),
            "liquidation_suspended" => c.SuspendLiquidation(ctx),
            "consultation_ended" => c.EndConsultationWithoutAgreement(ctx),
            "denial_found" => c.RecordReviewFindings(ctx, denialFound: true),
            "no_denial_found" => c.RecordReviewFindings(ctx, denialFound: false),
            "remediation_agreed" => AgreePlan(c, ctx, detail),
            "remediation_progress" => c.RecordRemediationProgress(ctx with { Note = "" },
                null, detail.Length > 0 ? detail : throw new FormatException("the detail of remediation_progress must name the action"),
                Domain.ActionStatus.Completed, ctx.Source),
            "remediation_completed" => c.CompleteRemediation(ctx),
            "panel_notice" => c.GivePanelNotice(ctx),
            "resolved" => c.Resolve(ctx),
            "panel_requested" => PanelCaseNumber().IsMatch(Keyword(detail)) ? c.RequestPanel(ctx with { Note = Rest(detail) }, Keyword(detail)) : c.RequestPanel(ctx, ""),
            "panel_constituted" => c.ConstitutePanel(ctx, []),
            "panel_found_denial" => c.RecordPanelDetermination(ctx, denialFound: true),
            "panel_found_no_denial" => c.RecordPanelDetermination(ctx, denialFound: false),
            "remedy_imposed" => c.ImposeRemedy(ctx, RemedyKindIn(detail), detail, await commands.PriorDenialsAsync(c, ct)),
            "remedy_lifted" => c.LiftRemedies(ctx),
            "closed" => c.Close(ctx, detail.Length > 0 ? detail : throw new FormatException("the detail of closed must say why"), resumeLiquidation: true),
            _ => throw new FormatException($"unknown act '{act}'"),
        };
        if (!recorded) throw new FormatException($"{act} repeats the case's previous line");
        return c;
    }

    /// <summary>A row dated after <paramref name="last"/> (a row with no readable date stays, to be refused with its reason).</summary>
    private static bool DatedAfter(CsvRecord row, DateOnly last) =>
        DateOnly.TryParseExact(row.Fields[Date].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date > last;

    /// <summary>A detail's keyword: the text before its first ';' ("suspend_liquidation; date assumed (…)").</summary>
    private static string Keyword(string detail) => detail.Split(';', 2)[0].Trim();

    /// <summary>A detail's note: the text after its first ';'.</summary>
    private static string Rest(string detail) => detail.Split(';', 2) is [_, var rest] ? rest.Trim() : "";

    /// <summary>A version 2 column, "" in a version 1 file.</summary>
    private static string Field(CsvRecord row, int column) => column < row.Fields.Count ? row.Fields[column].Trim() : "";

    /// <summary>USTR's announced ordinal: on the request_for_review row only.</summary>
    private static int? UstrOrdinalOf(CsvRecord row) => Field(row, UstrOrdinal) is { Length: > 0 } text
        ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= Domain.EnforcementCase.MaxUstrOrdinal
            ? n
            : throw new FormatException($"ustr_ordinal '{text}' is not a number from 1 to {Domain.EnforcementCase.MaxUstrOrdinal}")
        : null;

    /// <summary>The USMCA Secretariat's case numbers, e.g. MEX-USA-2024-31A-01.</summary>
    [GeneratedRegex(@"^[A-Z]{3}-[A-Z]{3}-\d{4}-31A-\d{2}$")]
    private static partial Regex PanelCaseNumber();

    /// <summary>"due=2023-12-31; date assumed" → the plan due on that date, with the rest as the note; "due=unknown" when the record does not say.</summary>
    private static bool AgreePlan(Domain.EnforcementCase c, Domain.ActContext ctx, string detail)
    {
        var due = Keyword(detail);
        DateOnly? completion = due == "due=unknown" ? null
            : due.StartsWith("due=") && DateOnly.TryParseExact(due[4..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
            : throw new FormatException("the detail of remediation_agreed must start with due=YYYY-MM-DD or due=unknown");
        return c.AgreeRemediationPlan(ctx with { Note = Rest(detail) }, completion, []);
    }

    private static Domain.RemedyKind RemedyKindIn(string detail) => detail.ToLowerInvariant() switch
    {
        var d when d.Contains("preferen") => Domain.RemedyKind.PreferenceSuspension,
        var d when d.Contains("penalt") => Domain.RemedyKind.Penalty,
        var d when d.Contains("entry") => Domain.RemedyKind.EntryDenial,
        _ => throw new FormatException("the detail of remedy_imposed must name the remedy: preference, penalty or entry"),
    };

    private (Domain.ActContext Context, string Detail) Context(CsvRecord row, string recordedBy, DateTimeOffset now)
    {
        var text = row.Fields[Date].Trim();
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw new FormatException($"date '{text}' is not YYYY-MM-DD");
        if (date < Domain.TreatyPeriods.EntryIntoForce)
            throw new FormatException($"date {date:yyyy-MM-dd} is before USMCA's entry into force ({Domain.TreatyPeriods.EntryIntoForce:yyyy-MM-dd})");
        var today = LegalCalendar.Today(clock);
        if (date > today) throw new FormatException($"date {date:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd})");
        var detail = row.Fields[Detail].Trim();
        if (detail.Length > Domain.EnforcementCase.MaxTextLength) throw new FormatException($"the detail is longer than {Domain.EnforcementCase.MaxTextLength} characters");
        DateOnly? announced = null;
        if (Field(row, AnnouncedDate) is { Length: > 0 } announcedText)
        {
            if (!DateOnly.TryParseExact(announcedText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var a))
                throw new FormatException($"announced_date '{announcedText}' is not YYYY-MM-DD");
            if (a > today) throw new FormatException($"announced_date {a:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd})");
            announced = a;
        }
        var source = Field(row, Source);
        if (source.Length > Domain.ActContext.MaxSourceLength) throw new FormatException($"source_url is longer than {Domain.ActContext.MaxSourceLength} characters");
        if (source.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) is { } notUrl)
            throw new FormatException($"source_url '{notUrl}' is not an http(s) URL (several URLs are separated by spaces)");
        if (Field(row, UstrOrdinal).Length > 0 && row.Fields[Act].Trim() != "request_for_review")
            throw new FormatException("ustr_ordinal belongs on the request_for_review row");
        return (new Domain.ActContext(date, announced, detail, recordedBy, now, calendar, Replayed: true, Source: source), detail);
    }

    /// <summary>The registered facility of that legal name and state, else one known only from the history (its MID derived without an address).</summary>
    private async Task<Domain.CaseFacility> FacilityAsync(CsvRecord row, Metadata caller, CancellationToken ct)
    {
        var f = row.Fields;
        var legalName = f[LegalName].Trim();
        var city = f[City].Trim();
        var commonName = f[CommonName].Trim();
        if (legalName.Length > 300) throw new RowException(row.Line, "legal_name must be at most 300 characters (empty when unknown)");
        if (legalName.Length == 0 && commonName.Length is 0 or > 300) throw new RowException(row.Line, "a case without legal_name needs its facility name (1 to 300 characters)");
        if (city.Length > 100) throw new RowException(row.Line, "city must be at most 100 characters (empty when unknown)");
        // Empty when the record does not say, or the case covers plants in several states (Hulera Tornel, 2025).
        MexicanState? state = null;
        if (f[State].Trim().Length > 0 && !MexicanStates.TryParse(f[State], out state)) throw new RowException(row.Line, $"state '{f[State]}' is not a Mexican state");
        var workers = 0;
        if (f[Workers].Trim().Length > 0 && (!int.TryParse(f[Workers].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out workers) || workers > 1_000_000))
            throw new RowException(row.Line, $"workers '{f[Workers]}' is not a number of workers (0 to 1000000)");
        try
        {
            if (legalName.Length > 0 && state is not null && await facilities.FindAsync(legalName, state.Code, caller, ct) is { } registered) return registered;
            var subsector = f[Sector].Trim();
            return new Domain.CaseFacility
            {
                LegalName = legalName,
                CommonName = commonName,
                City = city,
                StateCode = state?.Code ?? "",
                StateName = state?.Name ?? "",
                Sector = SectorOf(subsector),
                Subsector = subsector,
                ApproximateWorkers = workers,
                // An MID is built from the legal name and the city (19 CFR 102 App.): without either, none can be derived.
                Mids = legalName.Length > 0 && city.Length > 0 ? [await facilities.DeriveMidAsync(legalName, "", city, caller, ct)] : [],
            };
        }
        catch (RequestValidationException e)
        {
            // The registry refuses the row's name or city (e.g. no MID can be derived from "!!!"): this case is rejected, not the import.
            throw new RowException(row.Line, string.Join("; ", e.Violations.Select(v => v.Description)));
        }
    }

    /// <summary>The Annex's priority sector of a history's free-text sector ("auto parts", "tires", "mining", "call centers").</summary>
    private static string SectorOf(string text) => text.ToLowerInvariant() switch
    {
        var t when t.Contains("mining") || t.Contains("mine") => "mining",
        var t when t.Contains("call center") || t.Contains("service") => "services",
        _ => "manufacturing",
    };

    private static IEnumerable<string> FacilityColumns(CsvRecord r) => r.Fields.Skip(CommonName).Take(Date - CommonName).Select(x => x.Trim());

    private static string Hash(IEnumerable<CsvRecord> rows) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', rows.Select(r => string.Join('\u001f', r.Fields.Select(f => f.Trim())))))));

    private static CaseImportResult Result(string reference, Guid id, Domain.CaseState state, CaseImportResult.Types.Outcome outcome) => new()
    {
        CaseRef = reference, Outcome = outcome, CaseId = id.ToString(), FinalState = state.ByName<CaseState>(),
    };

    private sealed record Imported(string Reference, string? ImportHash, Guid Id, Domain.CaseState State);

    private sealed class RowException(int line, string message) : Exception(message)
    {
        public int Line { get; } = line;
    }
}
