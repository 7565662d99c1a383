using System.CommandLine;
using Google.Protobuf;
using Grpc.Core;
using Rrm.Grpc.Review.V1;

namespace Rrm.Cli;

/// <summary>The Review service's enforcement cases (<c>rrm case …</c>): every act, and the reads.</summary>
internal static class ReviewCommands
{
    public static Command Create() => new("case", "Enforcement cases: the request for review to Mexico, remediation, panels and remedies")
    {
        Verb.Create<OpenCaseRequest, OpenCaseResponse>("open", "Open a case on USTR's own initiative (cases on petitions open by themselves)",
            cli => cli.Cases.OpenCaseAsync, r => CaseView.Print(r.Case),
            i => [i.Text("--facility-id", "The registered facility", (r, v) => r.FacilityId = v), .. ActInputs(i)]),
        Act<SubmitRequestForReviewRequest, SubmitRequestForReviewResponse>("request-review", "Send Mexico the request for review (10 days to answer, 45 to complete)",
            c => c.SubmitRequestForReviewAsync, i =>
            [
                i.Flag("--suspend-liquidation", "Direct Treasury to suspend liquidation of the facility's entries", r => r.SuspendLiquidation = true),
                i.Number("--ustr-ordinal", "USTR's announced ordinal for this request (\"the 26th time\"); without it the number is computed", (r, n) => r.UstrOrdinal = n),
            ]),
        Act<RecordMexicoResponseRequest, RecordMexicoResponseResponse>("respond", "Record Mexico's answer to the request",
            c => c.RecordMexicoResponseAsync, i => [i.Choice<MexicoResponse>("--response", "Mexico's answer", (r, v) => r.Response = v)]),
        Act<RecordReviewFindingsRequest, RecordReviewFindingsResponse>("findings", "Record the findings of Mexico's review",
            c => c.RecordReviewFindingsAsync, i => [i.Choice<Finding>("--finding", "Whether Mexico found a denial of rights", (r, v) => r.Finding = v)]),
        new Command("remediation", "The course of remediation")
        {
            Act<AgreeRemediationPlanRequest, AgreeRemediationPlanResponse>("agree", "Record the agreed course of remediation",
                c => c.AgreeRemediationPlanAsync, i =>
                [
                    i.Date("--completion", "The agreed completion date", (r, v) => r.CompletionDate = v),
                    i.Many("--action", "An action of the plan", (r, v) => r.Actions.AddRange(v)),
                ]),
            Act<RecordRemediationActionRequest, RecordRemediationActionResponse>("action", "Record progress on a remediation action",
                c => c.RecordRemediationActionAsync, i =>
                [
                    i.Number("--number", "The plan's action number (none for an action outside a plan)", (r, v) => r.ActionNumber = v),
                    i.Text("--description", "The action, when it is not in a plan", (r, v) => r.Description = v),
                    i.Choice<ActionStatus>("--status", "Where it stands", (r, v) => r.Status = v),
                    i.Text("--evidence", "Where the evidence is kept", (r, v) => r.Evidence = v),
                ]),
            Act<ConfirmRemediationCompletedRequest, ConfirmRemediationCompletedResponse>("complete", "Confirm the remediation completed",
                c => c.ConfirmRemediationCompletedAsync),
            Act<EndConsultationWithoutAgreementRequest, EndConsultationWithoutAgreementResponse>("no-agreement", "End the consultations without an agreed course",
                c => c.EndConsultationWithoutAgreementAsync),
        },
        Act<SuspendLiquidationRequest, SuspendLiquidationResponse>("suspend-liquidation",
            "Record USTR's direction to Treasury to suspend liquidation after the request (takes effect from --date)", c => c.SuspendLiquidationAsync),
        Act<ResolveCaseRequest, ResolveCaseResponse>("resolve",
            "Record that the Parties resolved the matter (from any state between the request and a panel's determination)", c => c.ResolveCaseAsync),
        new Command("panel", "Rapid Response Labor panels")
        {
            Act<GivePanelNoticeRequest, GivePanelNoticeResponse>("notice", "Give Mexico the 15 days' notice of a panel request", c => c.GivePanelNoticeAsync),
            Act<RequestPanelRequest, RequestPanelResponse>("request", "Request a panel", c => c.RequestPanelAsync,
                i => [i.Text("--case-number", "The USMCA Secretariat's case number, e.g. MEX-USA-2024-31A-01", (r, v) => r.PanelCaseNumber = v)]),
            Act<RecordPanelConstitutionRequest, RecordPanelConstitutionResponse>("constituted", "Record the panel's constitution", c => c.RecordPanelConstitutionAsync,
                i => [i.Many("--panelist", "A panelist's name", (r, v) => r.Panelists.AddRange(v))]),
            Act<RequestVerificationRequest, RequestVerificationResponse>("request-verification", "The panel asks Mexico to consent to a verification",
                c => c.RequestVerificationAsync),
            Act<RecordVerificationAnswerRequest, RecordVerificationAnswerResponse>("verification-answer", "Record Mexico's answer to the verification request",
                c => c.RecordVerificationAnswerAsync, i => [i.Choice<VerificationResponse>("--response", "Mexico's answer", (r, v) => r.Response = v)]),
            Act<RecordVerificationRequest, RecordVerificationResponse>("verified", "Record that the verification took place", c => c.RecordVerificationAsync),
            Act<RecordPanelDeterminationRequest, RecordPanelDeterminationResponse>("determination", "Record the panel's determination",
                c => c.RecordPanelDeterminationAsync, i => [i.Choice<Finding>("--finding", "Whether the panel found a denial of rights", (r, v) => r.Finding = v)]),
        },
        new Command("remedy", "Remedies (19 U.S.C. 4693)")
        {
            Act<ImposeRemedyRequest, ImposeRemedyResponse>("impose", "Impose a remedy on the facility's goods", c => c.ImposeRemedyAsync, i =>
            [
                i.Choice<RemedyKind>("--kind", "The remedy", (r, v) => r.Kind = v),
                i.Text("--description", "What exactly (the penalty, the goods covered)", (r, v) => r.Description = v),
            ]),
            Act<LiftRemedyRequest, LiftRemedyResponse>("lift", "Lift the remedies in force", c => c.LiftRemedyAsync),
        },
        Act<CloseCaseRequest, CloseCaseResponse>("close", "Close the case for another reason", c => c.CloseCaseAsync, i =>
        [
            i.Text("--reason", "Why", (r, v) => r.Reason = v),
            i.Choice<LiquidationHandling>("--liquidation", "What becomes of a liquidation suspension", (r, v) => r.Liquidation = v),
        ]),

        Verb.Create<GetCaseRequest, GetCaseResponse>("show", "Show a case with its deadlines and timeline",
            cli => cli.Cases.GetCaseAsync, r => CaseView.Print(r.Case),
            i => [i.Id("case-id", "The case's id", (r, v) => r.CaseId = v)]),
        Verb.Create<ListCasesRequest, ListCasesResponse>("list", "List cases (all pages)",
            (cli, r) => Pages.AllAsync(token =>
            {
                (r.Page ??= new()).PageToken = token;
                return cli.Cases.ListCasesAsync(r, cli.Call()).ResponseAsync;
            }, page => page.Cases, page => page.Page.NextPageToken),
            all => CaseView.PrintList(all.Cases), i =>
            [
                i.Choice<CaseState>("--state", "Only cases in this state", (r, v) => r.State = v),
                i.Text("--facility-id", "Only this facility's cases", (r, v) => r.FacilityId = v),
                i.Text("--mexican-state", "Only facilities in this Mexican state (name or code)", (r, v) => r.MexicanState = v),
                i.Text("--sector", "manufacturing, services or mining", (r, v) => r.Sector = v),
                i.Number("--year", "Only requests for review of this year", (r, v) => r.Year = v),
                i.Flag("--open-deadlines", "Only cases with a clock still running", r => r.WithOpenDeadlines = true),
            ]),
        Watch(),
        Verb.Create<GetStatisticsRequest, GetStatisticsResponse>("stats", "Invocations, cases by state, time to resolution",
            cli => cli.Cases.GetStatisticsAsync, CaseView.PrintStatistics,
            i => [i.Date("--as-of", "Count as on this date (default: today)", (r, v) => r.AsOf = v)]),
        Import(),
    };

    /// <summary>The options every act takes: its dates, a note and a request id.</summary>
    private static Input<T>[] ActInputs<T>(In<T> i) where T : IMessage =>
    [
        i.Date("--date", "The act's effective date (default: today in Washington)", (r, v) => ActOf(r).EffectiveDate = v),
        i.Date("--announced", "The date it was announced, when that differs", (r, v) => ActOf(r).AnnouncedDate = v),
        i.Text("--note", "A note for the timeline", (r, v) => ActOf(r).Note = v),
        i.Text("--request-id", "Makes a retry safe", (r, v) => ActOf(r).RequestId = v),
    ];

    /// <summary>A command recording one act on a case: its request has case_id and act; its answer, the case.</summary>
    private static Command Act<TRequest, TResponse>(string name, string description,
        Func<ReviewService.ReviewServiceClient, Func<TRequest, CallOptions, AsyncUnaryCall<TResponse>>> rpc,
        Func<In<TRequest>, Input<TRequest>[]>? inputs = null)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage =>
        Verb.Create<TRequest, TResponse>(name, description,
            cli => rpc(cli.Cases),
            response => CaseView.Print((Case)Field(response, "case").Accessor.GetValue(response)),
            i => [i.Id("case-id", "The case's id", (r, v) => Field(r, "case_id").Accessor.SetValue(r, v)), .. inputs?.Invoke(i) ?? [], .. ActInputs(i)]);

    private static Act ActOf(IMessage request)
    {
        var field = Field(request, "act");
        if (field.Accessor.GetValue(request) is not Act act) field.Accessor.SetValue(request, act = new Act());
        return act;
    }

    private static Google.Protobuf.Reflection.FieldDescriptor Field(IMessage message, string name) =>
        message.Descriptor.FindFieldByName(name) ?? throw new InvalidOperationException($"{message.Descriptor.Name} has no field {name}");

    private static Command Watch()
    {
        var id = new Argument<string>("case-id") { Description = "The case's id" };
        var after = new Option<int>("--after") { Description = "Only entries after this timeline position (default: the whole timeline)" };
        return Verb.Custom("watch", "Print a case's timeline as it grows, until interrupted (Ctrl-C)", async cli =>
        {
            using var call = cli.Cases.WatchCase(new WatchCaseRequest { CaseId = cli.Parse.GetValue(id)!, AfterPosition = cli.Parse.GetValue(after) }, cli.Stream());
            await cli.UntilInterruptedAsync(async () =>
            {
                await foreach (var update in call.ResponseStream.ReadAllAsync(cli.Cancellation))
                    cli.Print(update, () => CaseView.PrintEntry(update.Entry));
            });
        }, id, after);
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo?>("csv-file") { Description = "A case history in the import format (docs/import-format.md)", Arity = ArgumentArity.ZeroOrOne };
        var publicHistory = new Option<bool>("--public-history") { Description = "Import the public record of US invocations shipped with the client (data/README.md)" };
        var until = new Option<DateOnly?>("--until") { Description = "Only rows dated on or before this date (the history as it stood then), YYYY-MM-DD" };
        var skip = new Option<string[]>("--skip") { Description = "Leave out this case_ref (repeatable)" };
        return Verb.Custom("import", "Import case histories from a CSV file or the shipped public record; importing the same rows again changes nothing", async cli =>
        {
            var path = cli.Parse.GetValue(file);
            var shipped = cli.Parse.GetValue(publicHistory);
            if (shipped == (path is not null)) throw new ArgumentException("give either a csv-file or --public-history");
            var request = new ImportCaseHistoryRequest
            {
                Csv = shipped ? PublicHistory() : await File.ReadAllTextAsync(path!.FullName, cli.Cancellation),
                Until = cli.Parse.GetValue(until)?.ToProto(),
                SkipCaseRefs = { cli.Parse.GetValue(skip) ?? [] },
            };
            var response = await cli.Cases.ImportCaseHistoryAsync(request, cli.Call());
            cli.Print(response, () => Table.Print(["CASE REF", "OUTCOME", "CASE", "FINAL STATE", "ROW", "REASON"],
                response.Results.Select(r => new[]
                {
                    r.CaseRef, Enums.Text(r.Outcome), r.CaseId, r.FinalState == CaseState.Unspecified ? "" : Enums.Text(r.FinalState),
                    r.Row == 0 ? "" : $"{r.Row}", r.Reason,
                })));
            if (response.Results.Any(r => r.Outcome == CaseImportResult.Types.Outcome.Rejected))
                throw new FormatException("some cases were rejected (see ROW and REASON); the others were imported");
        }, file, publicHistory, until, skip);
    }

    private static string PublicHistory()
    {
        using var stream = typeof(ReviewCommands).Assembly.GetManifestResourceStream("rrm-public-history.csv")!;
        return new StreamReader(stream).ReadToEnd();
    }
}
