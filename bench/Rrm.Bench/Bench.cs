using Grpc.Core;
using Grpc.Net.Client;
using Rrm.ServiceDefaults.Security;

namespace Rrm.Bench;

/// <summary>Where the suite runs and how to call it (the environment `./rrm bench` sets).</summary>
internal sealed class Bench
{
    public string PetitionUrl { get; } = Env("RRM_PETITION_URL", "http://127.0.0.1:5101");
    public string ReviewUrl { get; } = Env("RRM_REVIEW_URL", "http://127.0.0.1:5102");
    public string LiquidationUrl { get; } = Env("RRM_LIQUIDATION_URL", "http://127.0.0.1:5103");
    public string NotificationUrl { get; } = Env("RRM_NOTIFICATION_URL", "http://127.0.0.1:5104");
    public string Postgres { get; } = Env("RRM_PG_CONN", "Host=127.0.0.1;Port=55432;Username=rrm;Password=rrm;Database=rrm");
    public string Amqp { get; } = Env("RRM_AMQP_URL", "amqp://rrm:rrm@127.0.0.1:55672/rrm");
    public string SigningKey { get; } = Env("RRM_DEV_SIGNING_KEY", "rrm-local-development-signing-key-NOT-A-SECRET-0123456789");
    /// <summary>The checkout (the services' builds) and its .rrm folder (the running services' pid files).</summary>
    public string Root { get; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
    public string Home { get; }
    /// <summary>The services' resident memory (MB) when the bench began.</summary>
    public Dictionary<string, double> IdleMemory { get; }
    /// <summary>How many times each timed run is repeated; figures are medians.</summary>
    public int Runs { get; } = int.Parse(Env("RRM_BENCH_RUNS", "3"));
    public double Scale { get; } = double.Parse(Env("RRM_BENCH_SCALE", "1"), System.Globalization.CultureInfo.InvariantCulture);

    public Bench()
    {
        Home = Env("RRM_HOME", Path.Combine(Root, ".rrm"));
        IdleMemory = FootprintFigure.Memory(this);
    }

    public string Token(params string[] roles) =>
        DevTokens.Mint(new AuthOptions { SigningKey = SigningKey }, "bench", roles, TimeSpan.FromHours(4));

    public Metadata Headers(params string[] roles) => new() { { "Authorization", "Bearer " + Token(roles) } };

    public static GrpcChannel Channel(string url) => GrpcChannel.ForAddress(url, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        MaxSendMessageSize = 16 * 1024 * 1024,
    });

    /// <summary>A count scaled by RRM_BENCH_SCALE (e.g. 0.1 for a quick run).</summary>
    public int Scaled(int count) => Math.Max(1, (int)(count * Scale));

    private static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;
}

/// <summary>One line of the table: a measure, its baseline from the same run, and whether the target is met.</summary>
internal sealed record Figure(string Name, string Measure, string Value, string Baseline, double? Ratio, string Target, bool Met, string Notes = "")
{
    public Dictionary<string, double> Numbers { get; init; } = [];
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static double Percentile(IReadOnlyList<double> sortedValues, double p) =>
        sortedValues.Count == 0 ? double.NaN : sortedValues[Math.Clamp((int)Math.Ceiling(p / 100 * sortedValues.Count) - 1, 0, sortedValues.Count - 1)];
}
