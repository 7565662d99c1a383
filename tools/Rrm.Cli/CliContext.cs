using System.CommandLine;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Rrm.Grpc.Liquidation.V1;
using Rrm.Grpc.Notification.V1;
using Rrm.Grpc.Petition.V1;
using Rrm.Grpc.Review.V1;

namespace Rrm.Cli;

/// <summary>What every command shares: where the services are, the token, the output format, errors.</summary>
internal sealed class CliContext(ParseResult parse, CancellationToken cancellation)
{
    public static readonly Option<string?> Token = new("--token")
    {
        Description = "Bearer token (default: $RRM_TOKEN). Local development: ./rrm token ROLE",
        Recursive = true,
    };
    public static readonly Option<bool> Json = new("--json") { Description = "Print the response as proto3 JSON instead of text", Recursive = true };
    public static readonly Option<int> Timeout = new("--timeout")
    {
        Description = "Seconds to wait for an answer", DefaultValueFactory = _ => 30, Recursive = true,
    };

    private static readonly ServiceAddress PetitionAddress = new("petition", "RRM_PETITION_URL", 5101);
    private static readonly ServiceAddress ReviewAddress = new("review", "RRM_REVIEW_URL", 5102);
    private static readonly ServiceAddress LiquidationAddress = new("liquidation", "RRM_LIQUIDATION_URL", 5103);
    private static readonly ServiceAddress NotificationAddress = new("notification", "RRM_NOTIFICATION_URL", 5104);

    public static IEnumerable<Option> GlobalOptions => [Token, Json, Timeout, PetitionAddress.Option, ReviewAddress.Option, LiquidationAddress.Option, NotificationAddress.Option];

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithIndentation());

    public ParseResult Parse => parse;
    public CancellationToken Cancellation => cancellation;
    public bool AsJson => parse.GetValue(Json);

    public FacilityService.FacilityServiceClient Facilities => new(Channel(PetitionAddress));
    public PetitionService.PetitionServiceClient Petitions => new(Channel(PetitionAddress));
    public ReviewService.ReviewServiceClient Cases => new(Channel(ReviewAddress));
    public LiquidationService.LiquidationServiceClient Liquidation => new(Channel(LiquidationAddress));
    public NotificationService.NotificationServiceClient Notifications => new(Channel(NotificationAddress));

    /// <summary>The token and deadline of a unary call.</summary>
    public CallOptions Call() => new(Headers(), DateTime.UtcNow.AddSeconds(parse.GetValue(Timeout)), cancellation);

    /// <summary>The token of a stream, which runs until it is interrupted.</summary>
    public CallOptions Stream() => new(Headers(), cancellationToken: cancellation);

    public void Print(IMessage message, Action text)
    {
        if (AsJson) Console.WriteLine(Formatter.Format(message));
        else text();
    }

    /// <summary>Reads a stream until it ends or the user interrupts it (Ctrl-C), which is how watching ends, not an error.</summary>
    public async Task UntilInterruptedAsync(Func<Task> read)
    {
        try { await read(); }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellation.IsCancellationRequested) { }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested) { }
    }

    private Metadata Headers()
    {
        var token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable("RRM_TOKEN");
        return string.IsNullOrEmpty(token) ? [] : new Metadata { { "Authorization", "Bearer " + token } };
    }

    private readonly Dictionary<ServiceAddress, GrpcChannel> _channels = [];

    private GrpcChannel Channel(ServiceAddress service)
    {
        if (!_channels.TryGetValue(service, out var channel))
        {
            var url = parse.GetValue(service.Option) ?? Environment.GetEnvironmentVariable(service.Variable) ?? $"http://127.0.0.1:{service.DefaultPort}";
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new ArgumentException($"{service.Option.Name} (or ${service.Variable}) must be an http(s) address such as http://127.0.0.1:{service.DefaultPort}, not '{url}'");
            _channels[service] = channel = GrpcChannel.ForAddress(uri);
        }
        return channel;
    }

    /// <summary>Runs a command; a server error prints its message and gives a non-zero exit code.</summary>
    public static async Task<int> RunAsync(Func<Task> command)
    {
        try
        {
            await command();
            return 0;
        }
        catch (RpcException e)
        {
            await Console.Error.WriteLineAsync($"rrm: {e.StatusCode}: {e.Status.Detail}");
            return e.StatusCode switch
            {
                StatusCode.InvalidArgument => 65,
                StatusCode.NotFound => 67,
                StatusCode.Unauthenticated or StatusCode.PermissionDenied => 77,
                StatusCode.Unavailable or StatusCode.DeadlineExceeded => 69,
                _ => 1,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidJsonException or InvalidProtocolBufferException
                                      or FormatException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"rrm: {e.Message}");
            return 64;
        }
    }

    private sealed record ServiceAddress(string Name, string Variable, int DefaultPort)
    {
        public Option<string?> Option { get; } = new($"--{Name}-url")
        {
            Description = $"The {Name} service's address (default: ${Variable} or http://127.0.0.1:{DefaultPort})",
            Recursive = true,
        };
    }
}
