using System.Text;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Npgsql;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;
using static Rrm.EndToEnd.Tests.Suite;
using static Rrm.Testing.ServiceStack;

namespace Rrm.EndToEnd.Tests;

/// <summary>
/// The role matrix of docs/security.md, read from the document so that it and the services cannot drift,
/// against every RPC of the running services; and the petitioner's confidentiality end to end: responses,
/// the other services' tables, the events, the mail and the logs.
/// </summary>
[Collection("suite")]
public sealed class AuthorizationMatrixTests(Suite suite)
{
    /// <summary>Every RPC of every service the protos declare, found in the generated code: one added later is checked too.</summary>
    private static IEnumerable<MethodDescriptor> Rpcs => ProtoServices.Methods;

    private static string PathOf(MethodDescriptor rpc) => ProtoServices.PathOf(rpc);

    [Fact]
    public void The_matrix_has_a_column_per_role_and_exactly_one_row_per_RPC_of_every_service()
    {
        var (roles, rows) = SecurityDoc.ReadMatrix();
        Assert.Equal(["rrm.liquidation.v1.LiquidationService", "rrm.notification.v1.NotificationService", "rrm.petition.v1.FacilityService",
            "rrm.petition.v1.PetitionService", "rrm.review.v1.ReviewService"], ProtoServices.All.Select(s => s.FullName));
        Assert.Equal(Roles.All, roles);
        Assert.Equal(Rpcs.Select(PathOf).Order(), rows.Keys.Order());
    }

    [Fact]
    public async Task Every_role_is_allowed_or_denied_every_RPC_as_the_matrix_says()
    {
        var (roles, rows) = SecurityDoc.ReadMatrix();
        var wrong = new List<string>();
        foreach (var rpc in Rpcs)
        {
            Assert.True(rows.TryGetValue(PathOf(rpc), out var row), $"docs/security.md has no row for {PathOf(rpc)}");
            var outcomes = await Task.WhenAll(roles.Select(async role => (Role: role, Status: await CallAsync(rpc, Tokens.For(role)))));
            wrong.AddRange(outcomes.Where(o => !AsDocumented(row[o.Role], o.Status.StatusCode))
                .Select(o => $"{PathOf(rpc)} as {o.Role}: documented {(row[o.Role] ? "allow" : "deny")}, got {o.Status.StatusCode} ({o.Status.Detail})"));
        }
        ChaosReport.Add(new ChaosReport.Row("authorisation matrix", Rpcs.Count() * roles.Count, $"{Rpcs.Count()} RPCs × {roles.Count} roles", 0, 0, 0,
            $"{wrong.Count} answers other than docs/security.md says"));
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Theory]
    [InlineData("no token")]
    [InlineData("an expired token")]
    [InlineData("a token signed with another key")]
    [InlineData("a token without a subject")]
    [InlineData("a token valid for ten years")]
    public async Task A_caller_without_a_valid_token_is_Unauthenticated_on_every_RPC(string caller)
    {
        // Every role at once: whatever is refused is refused for the token, not for its roles.
        var all = Roles.All.ToArray();
        var headers = caller switch
        {
            "no token" => null,
            "an expired token" => Tokens.Bearer(Tokens.Mint(all, TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow.AddHours(-1))),
            "a token without a subject" => Tokens.Bearer(Tokens.Mint(all, subject: "")),
            "a token valid for ten years" => Tokens.Bearer(Tokens.Mint(all, TimeSpan.FromDays(3650))),
            _ => Tokens.Bearer(Tokens.Mint(all, signingKey: "another key of sufficient length for HS256, 0123456789")),
        };
        var outcomes = await Task.WhenAll(Rpcs.Select(async rpc => (Rpc: PathOf(rpc), Status: await CallAsync(rpc, headers))));
        var wrong = outcomes.Where(o => o.Status.StatusCode != StatusCode.Unauthenticated).Select(o => $"{o.Rpc}: {o.Status}").ToList();
        ChaosReport.Add(new ChaosReport.Row($"authentication: {caller}", outcomes.Length, $"{Rpcs.Count()} RPCs", 0, 0, 0, $"{wrong.Count} answers other than UNAUTHENTICATED"));
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Theory]
    [InlineData("no role at all")]
    [InlineData("only a role the suite does not have")]
    public async Task A_valid_token_without_one_of_the_roles_is_PermissionDenied_on_every_RPC(string caller)
    {
        var headers = Tokens.For(caller == "no role at all" ? Array.Empty<string>() : ["superuser"]);
        var outcomes = await Task.WhenAll(Rpcs.Select(async rpc => (Rpc: PathOf(rpc), Status: await CallAsync(rpc, headers))));
        var wrong = outcomes.Where(o => o.Status.StatusCode != StatusCode.PermissionDenied || !o.Status.Detail.Contains("roles do not allow this call"))
            .Select(o => $"{o.Rpc}: {o.Status}").ToList();
        ChaosReport.Add(new ChaosReport.Row($"authorisation: a token with {caller}", outcomes.Length, $"{Rpcs.Count()} RPCs", 0, 0, 0,
            $"{wrong.Count} answers other than PERMISSION_DENIED"));
        Assert.Equal(Rpcs.Count(), outcomes.Length);
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Only_ILC_analysts_ever_see_the_petitioner_and_it_leaves_the_Petition_service_only_to_the_petitioner()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var name = $"Petra Reservada {tag}";
        var email = $"petitioner-{tag}@example.org";
        var organization = $"Sindicato Reservado {tag}";
        string[] secrets = [name, email, organization];
        var plant = Samples.Impro();
        plant.LegalName = $"Maquila Reservada {tag}, S. de R.L. de C.V.";
        var facility = (await suite.Facilities.RegisterFacilityAsync(plant, Analyst)).Facility;
        var request = Samples.ImproPetition(facility.FacilityId);
        (request.Petitioner.ContactName, request.Petitioner.ContactEmail, request.Petitioner.Organization) = (name, email, organization);
        var petition = (await suite.Petitions.SubmitPetitionAsync(request, Analyst)).Petition;
        var opened = await suite.SufficientAsync(petition, D(2024, 7, 10));
        // Everything the receipt and the determination set off has happened: events consumed, notices sent.
        await suite.NotifiedAsync(2, petitionId: petition.PetitionId);
        await Eventually.GetAsync(() => Task.FromResult(suite.MailTo(email).Count), n => n > 0, what: "the acknowledgement to the petitioner");

        // Responses: the analyst sees the petitioner; every other role sees the petition (if it may) but not who sent it.
        var petitionReaders = SecurityDoc.ReadMatrix().Rows["rrm.petition.v1.PetitionService/GetPetition"];
        var leaks = new List<string>();
        foreach (var role in Roles.All)
        {
            var seen = await ReadAllAsync(role, petition, opened.CaseId);
            if (petitionReaders[role]) Assert.Contains(petition.PetitionId, seen);
            if (role == Roles.IlcAnalyst) Assert.All(secrets, secret => Assert.Contains(secret, seen));
            // The Notification service's role reads the address it mails, and nothing else of the petitioner.
            else if (role == Roles.PetitionContactReader) leaks.AddRange(secrets.Where(s => s != email && seen.Contains(s)).Select(s => $"{role} was shown '{s}'"));
            else leaks.AddRange(secrets.Where(seen.Contains).Select(secret => $"{role} was shown '{secret}':\n{seen}"));
        }

        // Storage: the Petition service holds it (so the search finds it), no other schema does, nor any event.
        foreach (var secret in secrets)
        {
            Assert.Contains("petition.petitions", await TablesContainingAsync(secret, "petition"));
            leaks.AddRange((await TablesContainingAsync(secret, null)).Where(t => !t.StartsWith("petition.")).Select(t => $"the table {t} holds '{secret}'"));
            leaks.AddRange((await TablesContainingAsync(secret, "petition", "outbox_messages")).Select(t => $"an event in {t} carries '{secret}'"));
        }
        Assert.True(await suite.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM petition.outbox_messages WHERE payload->>'petitionId' = '{petition.PetitionId}'") >= 2);

        // Mail: only the petitioner's own mail may carry it; logs: never.
        var others = suite.Smtp.Messages().Where(m => !m.GetProperty("to").EnumerateArray().Any(t => t.GetString() == email)).ToList();
        Assert.NotEmpty(others);
        foreach (var secret in secrets)
        {
            leaks.AddRange(others.Where(m => m.GetRawText().Contains(secret)).Select(m => $"mail to {m.GetProperty("to")} carries '{secret}'"));
            leaks.AddRange(new[] { suite.Petition, suite.Review, suite.Liquidation, suite.Notification }
                .Where(service => service.Output.Contains(secret)).Select(service => $"the {service.Name} log contains '{secret}'"));
        }
        ChaosReport.Add(new ChaosReport.Row("petitioner confidentiality", secrets.Length, "responses to every role, other schemas, events, mail, logs", 0, 0, 0,
            $"{leaks.Count} leaks"));
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    /// <summary>What <paramref name="role"/> gets from every read of the petition, its case and its notifications (refusals included).</summary>
    private async Task<string> ReadAllAsync(string role, Rrm.Grpc.Petition.V1.Petition petition, string caseId)
    {
        var headers = Tokens.For(role);
        var seen = new StringBuilder();
        async Task Read<T>(Func<AsyncUnaryCall<T>> call)
        {
            try { seen.AppendLine((await call())!.ToString()); }
            catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied) { seen.AppendLine(e.Status.ToString()); }
        }
        await Read(() => suite.Petitions.GetPetitionAsync(new GetPetitionRequest { PetitionId = petition.PetitionId }, headers));
        await Read(() => suite.Petitions.ListPetitionsAsync(new ListPetitionsRequest { FacilityId = petition.Facility.FacilityId }, headers));
        await Read(() => suite.Cases.GetCaseAsync(new GetCaseRequest { CaseId = caseId }, headers));
        await Read(() => suite.Notifications.ListNotificationsAsync(new ListNotificationsRequest { PetitionId = petition.PetitionId }, headers));
        return seen.ToString();
    }

    /// <summary>
    /// The tables (schema.table) with a row containing <paramref name="secret"/>, as text or as UTF-8 bytes (a bytea
    /// column shows as hex): in <paramref name="schema"/>, or every schema when null; only <paramref name="table"/> if given.
    /// </summary>
    private async Task<List<string>> TablesContainingAsync(string secret, string? schema, string? table = null)
    {
        await using var connection = new NpgsqlConnection(suite.Database.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("""
            SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
              AND (@schema::text IS NULL OR table_schema = @schema) AND (@table::text IS NULL OR table_name = @table)
            """, connection))
        {
            list.Parameters.AddWithValue("schema", (object?)schema ?? DBNull.Value);
            list.Parameters.AddWithValue("table", (object?)table ?? DBNull.Value);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        Assert.NotEmpty(tables);
        var found = new List<string>();
        foreach (var t in tables)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {t} r WHERE strpos(r::text, @text) > 0 OR strpos(r::text, @hex) > 0", connection);
            count.Parameters.AddWithValue("text", secret);
            count.Parameters.AddWithValue("hex", Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret)));
            if ((long)(await count.ExecuteScalarAsync())! > 0) found.Add(t);
        }
        return found;
    }

    /// <summary>Allowed: anything but a refusal, a failure of the service or a missing RPC (an empty request is usually INVALID_ARGUMENT).</summary>
    private static bool AsDocumented(bool allowed, StatusCode status) => allowed
        ? status is not (StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.Internal or StatusCode.Unknown or StatusCode.Unimplemented)
        : status == StatusCode.PermissionDenied;

    /// <summary>
    /// Calls <paramref name="rpc"/> with an empty message (zero bytes: every field at its default) through one untyped
    /// path for unary and streaming methods alike; the status it ends with.
    /// </summary>
    private async Task<Status> CallAsync(MethodDescriptor rpc, Metadata? headers)
    {
        var method = Suite.RawMethod(rpc);
        var type = method.Type;
        var invoker = suite.ProcessOf(rpc).Channel.CreateCallInvoker();
        // An allowed watch streams until its deadline (DEADLINE_EXCEEDED): short, yet ample for a refusal, which is immediate.
        var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(type == MethodType.ServerStreaming ? 2 : 30));
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(method, null, options, []).ResponseAsync;
                    break;
                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(method, null, options, []))
                        while (await call.ResponseStream.MoveNext(CancellationToken.None)) { }
                    break;
                case MethodType.ClientStreaming:
                    using (var call = invoker.AsyncClientStreamingCall(method, null, options))
                    {
                        try
                        {
                            await call.RequestStream.WriteAsync([]);
                            await call.RequestStream.CompleteAsync();
                        }
                        catch (Exception e) when (e is RpcException or InvalidOperationException) { } // refused already: the status is in the response
                        await call.ResponseAsync;
                    }
                    break;
                default:
                    throw new NotSupportedException($"{PathOf(rpc)}: add bidirectional streaming here");
            }
            return Status.DefaultSuccess;
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }
}
