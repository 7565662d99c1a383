using System.Text.Json;
using Grpc.Core;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using static Rrm.EndToEnd.Tests.Suite;
using static Rrm.Testing.ServiceStack;

namespace Rrm.EndToEnd.Tests;

/// <summary>The rrm client (tools/Rrm.Cli) as a person runs it, against the four services.</summary>
[Collection("suite")]
public sealed class CliTests(Suite suite)
{
    private async Task<Case> RequestedCaseAsync(string name)
    {
        var (_, petition, _) = await suite.PetitionAsync(new RegisterFacilityRequest
        {
            LegalName = name, StreetAddress = "Avenida Uno 1", City = "Apodaca", State = "NLE", Sector = Sector.Manufacturing, Subsector = Subsector.Electronics,
        }, D(2024, 4, 1));
        var opened = await suite.SufficientAsync(petition, D(2024, 4, 30));
        return (await suite.Cases.SubmitRequestForReviewAsync(new SubmitRequestForReviewRequest
        {
            CaseId = opened.CaseId, Act = On(2024, 5, 2), SuspendLiquidation = true,
        }, Officer)).Case;
    }

    [Fact]
    public async Task Case_show_as_text_and_as_JSON_tell_the_same_case()
    {
        var requested = await RequestedCaseAsync("Electrónica Cliente, S.A. de C.V.");

        var text = await suite.CliAsync(Roles.UstrOfficer, "case", "show", requested.CaseId);
        var json = await suite.CliAsync(Roles.UstrOfficer, "case", "show", requested.CaseId, "--json");

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.True(json.ExitCode == 0, json.Error);
        var shown = JsonDocument.Parse(json.Output).RootElement.GetProperty("case");
        Assert.Equal(requested.CaseId, shown.GetProperty("caseId").GetString());
        Assert.Equal("CASE_STATE_REVIEW_REQUESTED", shown.GetProperty("state").GetString());
        Assert.Contains("State         review-requested", text.Output);
        Assert.Contains("Liquidation   SUSPENDED", text.Output);
        Assert.True(shown.GetProperty("liquidationSuspended").GetBoolean());
        Assert.Contains($"Facility      {shown.GetProperty("facility").GetProperty("legalName").GetString()} (Apodaca, Nuevo León)", text.Output);
        foreach (var deadline in shown.GetProperty("deadlines").EnumerateArray())
            Assert.Contains($"{deadline.GetProperty("description").GetString()}  ", text.Output);
        Assert.Contains("2024-05-12", text.Output); // Mexico's answer is due 10 days after the request
        var timeline = shown.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(shown.GetProperty("timelineLength").GetInt32(), timeline.Count);
        foreach (var entry in timeline)
            Assert.Contains(entry.GetProperty("summary").GetString()!, text.Output);
    }

    [Fact]
    public async Task The_shipped_public_record_imports_as_it_stood_on_a_date_and_again_changes_nothing()
    {
        var first = await suite.CliAsync(Roles.UstrOfficer, "case", "import", "--public-history", "--until", "2021-12-31", "--json");
        var again = await suite.CliAsync(Roles.UstrOfficer, "case", "import", "--public-history", "--until", "2021-12-31", "--json");
        var both = await suite.CliAsync(Roles.UstrOfficer, "case", "import", "--public-history", "no-such-file.csv");

        Assert.True(first.ExitCode == 0, first.Error);
        var results = JsonDocument.Parse(first.Output).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["gm-silao-2021", "tridonex-2021"], results.Select(r => r.GetProperty("caseRef").GetString()).Order());
        Assert.All(results, r => Assert.Equal("OUTCOME_IMPORTED", r.GetProperty("outcome").GetString()));
        Assert.All(JsonDocument.Parse(again.Output).RootElement.GetProperty("results").EnumerateArray(),
            r => Assert.Equal("OUTCOME_UNCHANGED", r.GetProperty("outcome").GetString()));
        Assert.Equal(64, both.ExitCode);
        Assert.Contains("either a csv-file or --public-history", both.Error);
    }

    [Fact]
    public async Task Liquidation_check_asks_about_an_entry_as_customs_knows_it_and_says_which_ledger_sequence_it_reflects()
    {
        var requested = await RequestedCaseAsync($"Cliente Aduanero {Guid.NewGuid():N}"[..40] + ", S.A.");

        // Not registered: the customs form is answered from the orders alone.
        var run = await Eventually.GetAsync(
            () => suite.CliAsync(Roles.UstrOfficer, "liquidation", "check", "MZ5-0100857-4", "--mid", requested.Facility.Mids[0], "--entered", "2024-05-10"),
            r => r.ExitCode != 0 || r.Output.Contains(" held "), what: "the gate to hold the entry");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches($@"MZ5-0100857-4\s+held\s+{requested.Facility.Mids[0]}", run.Output);
        Assert.Matches(@"As of instruction ledger sequence [1-9][0-9]*", run.Output);
    }

    [Theory]
    [InlineData(64, "--response must be one of: accepted, declined, no-response (not 'maybe')", "case", "respond", "{case}", "--response", "maybe")]
    [InlineData(65, "case_id", "case", "show", "not-a-case-id")]
    [InlineData(65, "act.effective_date", "case", "resolve", "{case}", "--date", "2099-01-01")]
    [InlineData(1, "FailedPrecondition", "case", "panel", "request", "{case}", "--date", "2024-05-03")]
    [InlineData(65, "entry_numbers", "liquidation", "check", "NOT-AN-ENTRY")]
    [InlineData(64, "no-such-request.json", "case", "open", "--file", "no-such-request.json")]
    [InlineData(1, "Unrecognized command or argument '--bogus'", "case", "list", "--bogus")]
    public async Task Bad_input_to_a_verb_exits_non_zero_with_the_reason_and_changes_nothing(int exitCode, string reason, params string[] args)
    {
        var requested = await RequestedCaseAsync($"Cliente Erróneo {Guid.NewGuid():N}"[..40] + ", S.A.");
        var before = (await suite.Cases.GetCaseAsync(new GetCaseRequest { CaseId = requested.CaseId }, Officer)).Case;

        var run = await suite.CliAsync(Roles.UstrOfficer, args.Select(a => a.Replace("{case}", requested.CaseId)).ToArray());

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Contains(reason, run.Error);
        var after = (await suite.Cases.GetCaseAsync(new GetCaseRequest { CaseId = requested.CaseId }, Officer)).Case;
        Assert.Equal(before.TimelineLength, after.TimelineLength);
        Assert.Equal(before.State, after.State);
    }

    /// <summary>Every verb that changes something, given nothing but what it cannot do without, on a case awaiting Mexico's answer.</summary>
    [Fact]
    public async Task Facility_add_mid_adds_the_MID_once_and_says_when_the_facility_already_had_it()
    {
        var plant = Samples.Impro();
        plant.LegalName = $"Variante Cliente {Guid.NewGuid():N}"[..30] + ", S.A.";
        var facility = (await suite.Facilities.RegisterFacilityAsync(plant, Analyst)).Facility;
        var mid = $"MXVARCLI{Random.Shared.Next(1_000_000, 9_999_999)}";

        var help = await suite.CliAsync(Roles.UstrOfficer, "facility", "add-mid", "--help");
        var added = await suite.CliAsync(Roles.UstrOfficer, "facility", "add-mid", facility.FacilityId, "--mid", mid.ToLowerInvariant(), "--date", "2024-08-01");
        var again = await suite.CliAsync(Roles.UstrOfficer, "facility", "add-mid", facility.FacilityId, "--mid", mid);
        var refused = await suite.CliAsync(Roles.TreasuryOfficer, "facility", "add-mid", facility.FacilityId, "--mid", mid + "X");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--date", help.Output);
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Contains(mid, added.Output);
        Assert.DoesNotContain("already had", added.Output);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("already had this MID", again.Output);
        Assert.Equal(77, refused.ExitCode);
        var shown = (await suite.Facilities.GetFacilityAsync(new GetFacilityRequest { FacilityId = facility.FacilityId }, Analyst)).Facility;
        Assert.Equal([.. facility.Mids, mid], shown.Mids);
    }

    /// <summary>
    /// Every verb that changes something, given too little, on a case requested in 2024. (`case resolve` and
    /// `case panel request` need only the case: dated today, both are valid acts on it, ADR 0007.)
    /// </summary>
    [Theory]
    [InlineData("facility", "register")]
    [InlineData("facility", "add-mid", "{facility}")]
    [InlineData("facility", "add-mid", "not-a-facility", "--mid", "MXABC123")]
    [InlineData("petition", "submit")]
    [InlineData("petition", "determine", "{petition}")]
    [InlineData("petition", "withdraw", "not-a-petition")]
    [InlineData("case", "open")]
    [InlineData("case", "request-review", "{case}")]
    [InlineData("case", "respond", "{case}")]
    [InlineData("case", "findings", "{case}")]
    [InlineData("case", "remediation", "agree", "{case}")]
    [InlineData("case", "remediation", "action", "{case}")]
    [InlineData("case", "remediation", "complete", "{case}")]
    [InlineData("case", "remediation", "no-agreement", "{case}")]
    [InlineData("case", "panel", "notice", "{case}")]
    [InlineData("case", "panel", "constituted", "{case}")]
    [InlineData("case", "panel", "request-verification", "{case}")]
    [InlineData("case", "panel", "verification-answer", "{case}")]
    [InlineData("case", "panel", "verified", "{case}")]
    [InlineData("case", "panel", "determination", "{case}")]
    [InlineData("case", "remedy", "impose", "{case}")]
    [InlineData("case", "remedy", "lift", "{case}")]
    [InlineData("case", "close", "{case}")]
    [InlineData("case", "import", "no-such-file.csv")]
    [InlineData("liquidation", "check")]
    [InlineData("notification", "retry", "not-a-notification")]
    [InlineData("notification", "preview")]
    [InlineData("notification", "recipients", "save")]
    [InlineData("notification", "recipients", "deactivate", "not-a-recipient")]
    public async Task A_verb_given_too_little_exits_non_zero_saying_why_and_changes_nothing(params string[] args)
    {
        var requested = await RequestedCaseAsync($"Cliente Incompleto {Guid.NewGuid():N}"[..40] + ", S.A.");
        var before = (await suite.Cases.GetCaseAsync(new GetCaseRequest { CaseId = requested.CaseId }, Officer)).Case;
        var roles = string.Join(",", Roles.IlcAnalyst, Roles.UstrOfficer, Roles.TreasuryOfficer, Roles.NotificationAdmin);

        var run = await suite.CliAsync(roles, args.Select(a => a.Replace("{case}", requested.CaseId).Replace("{petition}", requested.PetitionId)
            .Replace("{facility}", requested.Facility.FacilityId)).ToArray());

        Assert.NotEqual(0, run.ExitCode);
        Assert.Matches(@"^rrm: \S.{10,}", run.Error);
        var after = (await suite.Cases.GetCaseAsync(new GetCaseRequest { CaseId = requested.CaseId }, Officer)).Case;
        Assert.Equal(before.TimelineLength, after.TimelineLength);
    }

    [Fact]
    public async Task Without_a_token_the_client_says_one_is_required()
    {
        var run = await suite.CliAsync(null, "case", "list");

        Assert.Equal(77, run.ExitCode);
        Assert.Contains("Unauthenticated: a bearer token is required", run.Error);
    }

    [Fact]
    public async Task A_token_minted_by_rrm_token_is_accepted_by_the_services_for_its_roles_only()
    {
        // What `./rrm token auditor,customs.system` runs (with the local services' key).
        var minted = await suite.CliAsync(null, "token", "--signing-key", TestEnvironment.SigningKey, "auditor,customs.system");
        Assert.True(minted.ExitCode == 0, minted.Error);
        var token = Tokens.Bearer(minted.Output.Trim());

        await suite.Petitions.ListPetitionsAsync(new ListPetitionsRequest(), token);
        await suite.Cases.ListCasesAsync(new ListCasesRequest(), token);
        var refused = await Assert.ThrowsAsync<RpcException>(() => suite.Facilities.RegisterFacilityAsync(Samples.Impro(), token).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task A_history_imported_twice_changes_nothing_the_second_time()
    {
        var first = await suite.CliAsync(Roles.UstrOfficer, "--json", "case", "import", Fixtures.Path("case-history-sample.csv"));
        var second = await suite.CliAsync(Roles.UstrOfficer, "case", "import", Fixtures.Path("case-history-sample.csv"));

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        var outcomes = JsonDocument.Parse(first.Output).RootElement.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("caseRef").GetString(), r.GetProperty("finalState").GetString())).ToList();
        Assert.Equal([("panasonic-2022", "CASE_STATE_RESOLVED"), ("goodyear-2023", "CASE_STATE_RESOLVED"), ("impro-2024", "CASE_STATE_RESOLVED"),
            ("example-2025", "CASE_STATE_PETITION_DECLINED")], outcomes);
        Assert.Equal(4, second.Output.Split('\n').Count(l => l.Contains(" unchanged ")));
    }
}
