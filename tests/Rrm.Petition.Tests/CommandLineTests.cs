using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Rrm.Petition.Data;
using Rrm.ServiceDefaults.Data;
using Rrm.Testing;

namespace Rrm.Petition.Tests;

/// <summary>The service binary as operators run it: verbs, exit codes and configuration errors.</summary>
public sealed class CommandLineTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(IDictionary<string, string?> environment, params string[] args)
    {
        // tests/Rrm.Petition.Tests/bin/<Configuration>/net10.0 -> services/Rrm.Petition/bin/<Configuration>/net10.0
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var configuration = output.Parent!.Name;
        var root = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "services", "Rrm.Petition", "bin", configuration, "net10.0", "Rrm.Petition.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__") || k.StartsWith("Auth__")).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task A_missing_setting_stops_the_service_with_a_message_naming_the_key()
    {
        var (exitCode, _, error) = await RunAsync(new Dictionary<string, string?> { ["Auth__SigningKey"] = TestEnvironment.SigningKey }, "migrate");

        Assert.Equal(2, exitCode);
        Assert.Contains("ConnectionStrings:Postgres", error);
    }

    [Fact]
    public async Task A_short_signing_key_is_rejected_naming_the_key()
    {
        var (exitCode, _, error) = await RunAsync(new Dictionary<string, string?> { ["Auth__SigningKey"] = "short" }, "token", "--roles", "auditor");

        Assert.Equal(2, exitCode);
        Assert.Contains("Auth:SigningKey", error);
        Assert.Contains("32 bytes", error);
    }

    [Theory]
    [InlineData("Auth__JwksUrl", "Auth:JwksUrl")]
    [InlineData("Auth__Authority", "Auth:Authority")]
    public async Task Signing_keys_over_plain_http_stop_the_service_unless_explicitly_allowed(string variable, string key)
    {
        var (exitCode, _, error) = await RunAsync(new Dictionary<string, string?> { [variable] = "http://127.0.0.1:1/keys" },
            "token", "--roles", "auditor");

        Assert.Equal(2, exitCode);
        Assert.Contains($"{key}': must be https", error);
        Assert.Contains("Auth__RequireHttpsMetadata=false", error);
    }

    [Fact]
    public async Task Migrate_applies_the_schema_and_exits()
    {
        await using var database = await TestDatabase.CreateAsync();

        var (exitCode, _, error) = await RunAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = "amqp://unused:unused@127.0.0.1:1/",
            ["Auth__SigningKey"] = TestEnvironment.SigningKey,
        }, "migrate");

        Assert.True(exitCode == 0, error);
        await using var db = new PetitionDbContext(DatabaseSetup.OptionsFor<PetitionDbContext>(database.ConnectionString, PetitionDbContext.SchemaName));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations().Count(), await database.ScalarAsync<long>("SELECT count(*) FROM petition.__ef_migrations_history"));
    }

    [Fact]
    public async Task The_token_verb_mints_a_token_for_the_named_roles()
    {
        var (exitCode, output, _) = await RunAsync(new Dictionary<string, string?> { ["Auth__SigningKey"] = TestEnvironment.SigningKey },
            "token", "--roles", "ilc.analyst,auditor", "--sub", "alice");

        Assert.Equal(0, exitCode);
        var payload = output.Trim().Split('.')[1];
        var json = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=').Replace('-', '+').Replace('_', '/')));
        Assert.Contains("\"sub\":\"alice\"", json);
        Assert.Contains("ilc.analyst", json);
        Assert.Contains("auditor", json);
    }

    [Fact]
    public async Task An_unknown_role_is_refused()
    {
        var (exitCode, _, error) = await RunAsync(new Dictionary<string, string?> { ["Auth__SigningKey"] = TestEnvironment.SigningKey },
            "token", "--roles", "superuser");

        Assert.Equal(64, exitCode);
        Assert.Contains("superuser", error);
    }
}
