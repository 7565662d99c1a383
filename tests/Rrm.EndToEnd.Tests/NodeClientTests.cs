using System.Text.Json;
using Rrm.Testing;

namespace Rrm.EndToEnd.Tests;

/// <summary>
/// A client that is not .NET (tools/node/grpc-client.js: @grpc/grpc-js over the project's protos, its own HS256
/// tokens) against the four services: health, reflection, errors (with the field violations of an invalid request read
/// from the standard grpc-status-details-bin trailer), and a case from petition to resolution.
/// </summary>
[Collection("suite")]
public sealed class NodeClientTests(Suite suite)
{
    [Fact]
    public async Task A_Node_client_discovers_the_services_and_drives_a_case_to_resolution()
    {
        var run = await NodeTool.RunAsync("grpc-client.js", TimeSpan.FromSeconds(120),
            suite.Petition.Url, suite.Review.Url, suite.Liquidation.Url, suite.Notification.Url, TestEnvironment.SigningKey);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}");
        var seen = JsonDocument.Parse(run.Output).RootElement;

        foreach (var service in new[] { "petition", "review", "liquidation", "notification" })
        {
            Assert.Equal("SERVING", seen.GetProperty("health").GetProperty(service).GetProperty("liveness").GetString());
            Assert.Equal("SERVING", seen.GetProperty("health").GetProperty(service).GetProperty("readiness").GetString());
        }
        Assert.Equal(["grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection", "rrm.petition.v1.FacilityService", "rrm.petition.v1.PetitionService"],
            Names(seen, "petition").Where(n => !n.StartsWith("grpc.reflection.v1.")));
        Assert.Contains("rrm.review.v1.ReviewService", Names(seen, "review"));
        Assert.Contains("rrm.liquidation.v1.LiquidationService", Names(seen, "liquidation"));
        Assert.Contains("rrm.notification.v1.NotificationService", Names(seen, "notification"));

        AssertError(seen, "withoutToken", "UNAUTHENTICATED", "a bearer token is required");
        AssertError(seen, "withoutRole", "PERMISSION_DENIED", "roles do not allow this call");
        AssertError(seen, "emptyLegalName", "INVALID_ARGUMENT", "legal_name");
        AssertError(seen, "tooEarly", "FAILED_PRECONDITION", "awaiting Mexico's answer");

        // The field violations, as a google.rpc.BadRequest that the Node client decoded itself.
        Assert.Contains(("legal_name", "is required"), Violations(seen, "emptyLegalName"));
        var petition = Violations(seen, "badPetition");
        Assert.Contains(("facility_id", "must be an id as returned by this service"), petition);
        Assert.Contains(("narrative", "is required"), petition);
        Assert.Contains(("petitioner.contact_email", "is not an e-mail address"), petition);
        foreach (var name in new[] { "emptyLegalName", "badPetition" })
        {
            var status = seen.GetProperty(name).GetProperty("status");
            Assert.Equal(3, status.GetProperty("code").GetInt32()); // INVALID_ARGUMENT
            Assert.Equal(seen.GetProperty(name).GetProperty("details").GetString(), status.GetProperty("message").GetString());
        }
        // A status without details (no field to name) has no such trailer.
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("tooEarly").GetProperty("status").ValueKind);

        Assert.Equal("2024-07-24", seen.GetProperty("petition").GetProperty("reviewDueDate").GetString());
        var deadlines = seen.GetProperty("requested").GetProperty("deadlines").EnumerateArray()
            .ToDictionary(d => d.GetProperty("kind").GetString()!, d => d.GetProperty("due").GetString());
        Assert.Equal("2024-08-05", deadlines["DEADLINE_KIND_MEXICO_ANSWER"]);
        Assert.Equal("2024-09-09", deadlines["DEADLINE_KIND_MEXICO_REVIEW"]);
        Assert.True(seen.GetProperty("requested").GetProperty("liquidationSuspended").GetBoolean());
        Assert.Equal("CASE_STATE_RESOLVED", seen.GetProperty("resolved").GetProperty("state").GetString());

        var instructions = seen.GetProperty("instructions").EnumerateArray().ToList();
        Assert.Equal(["INSTRUCTION_KIND_LIQUIDATION_SUSPEND", "INSTRUCTION_KIND_LIQUIDATION_RESUME"], instructions.Select(i => i.GetProperty("kind").GetString()));
        Assert.Equal(["2024-07-26", "2024-09-17"], instructions.Select(i => i.GetProperty("effective").GetString()));
        Assert.Equal("2025-03-17", instructions[1].GetProperty("liquidateBy").GetString());
        var mids = seen.GetProperty("facility").GetProperty("mids").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.All(instructions, i => Assert.Equal(mids, i.GetProperty("mids").EnumerateArray().Select(m => m.GetString())));
    }

    private static List<string> Names(JsonElement seen, string service) =>
        seen.GetProperty("services").GetProperty(service).EnumerateArray().Select(s => s.GetString()!).ToList();

    private static List<(string Field, string Description)> Violations(JsonElement seen, string name) =>
        seen.GetProperty(name).GetProperty("status").GetProperty("fieldViolations").EnumerateArray()
            .Select(v => (v.GetProperty("field").GetString()!, v.GetProperty("description").GetString()!)).ToList();

    private static void AssertError(JsonElement seen, string name, string code, string detail)
    {
        var error = seen.GetProperty(name);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(detail, error.GetProperty("details").GetString());
    }
}
