using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rrm.ServiceDefaults.Security;

namespace Rrm.ServiceDefaults.Hosting;

/// <summary>
/// The command line of every service: no verb runs the service (migrating first); <c>migrate</c>
/// applies the migrations and exits (the Kubernetes init container; it needs ConnectionStrings__Postgres only);
/// <c>token</c> mints a local development token; a service may add its own (<see cref="ServiceCommand"/>).
/// A configuration error ends the process with exit code 2 and a message naming the key.
/// </summary>
public static class ServiceRunner
{
    public static async Task<int> RunServiceAsync(this WebApplication app, string[] args)
    {
        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : null;
        try
        {
            switch (verb)
            {
                case null:
                    await app.Services.GetRequiredService<IDatabaseMigrator>().MigrateAsync(CancellationToken.None);
                    await app.RunAsync();
                    return 0;
                case "migrate":
                    await app.Services.GetRequiredService<IDatabaseMigrator>().MigrateAsync(CancellationToken.None);
                    return 0;
                case "token":
                    return MintToken(app, args[1..]);
                case "help":
                    Console.WriteLine(Usage(app));
                    return 0;
                case not null when app.Services.GetServices<ServiceCommand>().FirstOrDefault(c => c.Name == verb) is { } command:
                    return await command.RunAsync(app.Services, args[1..], CancellationToken.None);
                default:
                    await Console.Error.WriteLineAsync($"rrm: unknown command '{verb}'.\n{Usage(app)}");
                    return 64;
            }
        }
        catch (Exception e) when (ConfigurationFailures(e) is { Count: > 0 } failures)
        {
            await Console.Error.WriteLineAsync("rrm: configuration error: " + string.Join("; ", failures));
            return 2;
        }
    }

    /// <summary>The failures of bad settings; the host reports several groups' at once as an AggregateException.</summary>
    private static List<string> ConfigurationFailures(Exception e) => e switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException all when all.InnerExceptions.All(i => i is OptionsValidationException) =>
            [.. all.InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures)],
        _ => [],
    };

    private static string Usage(WebApplication app) => $"""
        Usage: {app.Environment.ApplicationName} [command]
          (none)    apply migrations, then serve gRPC
          migrate   apply migrations and exit
          token --sub NAME --roles ROLE[,ROLE] [--minutes N]
                    print a local development token signed with Auth:SigningKey
                    roles: {string.Join(", ", Roles.All)}{string.Concat(app.Services.GetServices<ServiceCommand>().Select(c => "\n  " + c.Usage))}
        Configuration comes from environment variables, e.g. ConnectionStrings__Postgres,
        ConnectionStrings__RabbitMq, Auth__SigningKey, Urls.
        """;

    private static int MintToken(WebApplication app, string[] args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var roles = (Arg("--roles") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = roles.Except(Roles.All).ToList();
        if (roles.Length == 0 || unknown.Count > 0)
        {
            Console.Error.WriteLine($"rrm: --roles must list one or more of: {string.Join(", ", Roles.All)}" +
                (unknown.Count > 0 ? $" (unknown: {string.Join(", ", unknown)})" : ""));
            return 64;
        }
        if (!int.TryParse(Arg("--minutes") ?? "480", out var minutes) || minutes is < 1 or > 7 * 24 * 60)
        {
            Console.Error.WriteLine("rrm: --minutes must be a whole number from 1 to 10080");
            return 64;
        }
        var options = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        Console.WriteLine(DevTokens.Mint(options, Arg("--sub") ?? Environment.UserName, roles, TimeSpan.FromMinutes(minutes)));
        return 0;
    }
}
