using System.CommandLine;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Rrm.Cli;

/// <summary>What every command shares: where the services are, the token, output format, error handling.</summary>
internal sealed class CliContext(ParseResult parse)
{
    public static readonly Option<string?> Token = new("--token")
    {
        Description = "Bearer token (default: $RRM_TOKEN). Local development: ./rrm token ROLE",
        Recursive = true,
    };
    public static readonly Option<bool> Json = new("--json") { Description = "Print JSON instead of text", Recursive = true };
    public static readonly Option<string?> PetitionUrl = new("--petition-url")
    {
        Description = "Petition service address (default: $RRM_PETITION_URL or http://127.0.0.1:5101)",
        Recursive = true,
    };
    public static IReadOnlyList<Option> GlobalOptions => [Token, Json, PetitionUrl];

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithIndentation());

    public bool AsJson => parse.GetValue(Json);

    public GrpcChannel Channel(Option<string?> urlOption, string variable, string fallback) =>
        GrpcChannel.ForAddress(parse.GetValue(urlOption) ?? Environment.GetEnvironmentVariable(variable) ?? fallback);

    public Metadata Headers()
    {
        var token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable("RRM_TOKEN");
        return string.IsNullOrEmpty(token) ? [] : new Metadata { { "Authorization", "Bearer " + token } };
    }

    public static DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    public void Print(IMessage message, Action text)
    {
        if (AsJson) Console.WriteLine(Formatter.Format(message));
        else text();
    }

    /// <summary>Runs a call; a server error prints its message and gives a non-zero exit code.</summary>
    public static async Task<int> RunAsync(Func<Task> call)
    {
        try
        {
            await call();
            return 0;
        }
        catch (RpcException e)
        {
            await Console.Error.WriteLineAsync($"rrm: {e.StatusCode}: {e.Status.Detail}");
            return e.StatusCode switch
            {
                StatusCode.InvalidArgument => 65,
                StatusCode.Unauthenticated or StatusCode.PermissionDenied => 77,
                StatusCode.Unavailable => 69,
                _ => 1,
            };
        }
        catch (Exception e) when (e is IOException or InvalidJsonException or InvalidProtocolBufferException or FormatException)
        {
            await Console.Error.WriteLineAsync($"rrm: {e.Message}");
            return 66;
        }
    }
}
