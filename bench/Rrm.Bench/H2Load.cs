using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf;

namespace Rrm.Bench;

/// <summary>
/// Load with h2load (nghttp2-client) against one gRPC method over h2c: requests per second from its summary,
/// p99 from its per-request log. h2load does not read grpc-status: callers check one call first.
/// </summary>
internal static partial class H2Load
{
    public sealed record Result(double RequestsPerSecond, double P99Milliseconds, long Succeeded, long Failed);

    public static bool Available => Which("h2load") is not null;

    public static async Task<Result> RunAsync(string baseUrl, string method, IMessage request, string? bearer, int requests,
        int connections, int streams, CancellationToken ct)
    {
        var body = Path.GetTempFileName();
        var log = Path.GetTempFileName();
        try
        {
            var message = request.ToByteArray();
            var frame = new byte[5 + message.Length]; // gRPC frame: uncompressed flag, 4-byte big-endian length, message
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
            message.CopyTo(frame, 5);
            await File.WriteAllBytesAsync(body, frame, ct);
            var start = new ProcessStartInfo("h2load") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-n", $"{requests}", "-c", $"{connections}", "-m", $"{streams}", "-t", "1", $"--data={body}", $"--log-file={log}",
                         "-H", "content-type: application/grpc", "-H", "te: trailers" })
                start.ArgumentList.Add(a);
            if (bearer is not null) { start.ArgumentList.Add("-H"); start.ArgumentList.Add($"authorization: Bearer {bearer}"); }
            start.ArgumentList.Add($"{baseUrl.TrimEnd('/')}/{method}");
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            var rate = RateLine().Match(output);
            var counts = CountsLine().Match(output);
            if (!rate.Success || !counts.Success) throw new InvalidOperationException($"h2load output not understood:\n{output}");
            var durations = (await File.ReadAllLinesAsync(log, ct))
                .Select(l => l.Split('\t')).Where(p => p.Length >= 3)
                .Select(p => double.Parse(p[2], CultureInfo.InvariantCulture) / 1000.0).Order().ToList();
            return new Result(double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture), Stats.Percentile(durations, 99),
                long.Parse(counts.Groups[1].Value), long.Parse(counts.Groups[2].Value));
        }
        finally
        {
            File.Delete(body);
            File.Delete(log);
        }
    }

    private static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    [GeneratedRegex(@"finished in [\d.]+\w+, ([\d.]+) req/s")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed")]
    private static partial Regex CountsLine();
}
