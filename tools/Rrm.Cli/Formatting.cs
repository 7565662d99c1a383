using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.Reflection;
using Rrm.Grpc.Common.V1;

namespace Rrm.Cli;

/// <summary>Dates, enums and tables for people.</summary>
internal static class Formatting
{
    public static Date ToProto(this DateOnly d) => new() { Year = d.Year, Month = d.Month, Day = d.Day };

    public static string Text(this Date? d) => d is null ? "" : $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}";
}

internal static class Enums
{
    /// <summary>"under-review" for PETITION_STATUS_UNDER_REVIEW: the proto name without the enum's prefix.</summary>
    public static string Text<T>(T value) where T : struct, Enum
    {
        var name = OriginalName(value);
        var prefix = Prefix<T>();
        return (name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name).ToLowerInvariant().Replace('_', '-');
    }

    public static T Parse<T>(string text, string option) where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
            if (Convert.ToInt32(value) != 0 && string.Equals(Text(value), text.Trim().Replace('_', '-'), StringComparison.OrdinalIgnoreCase))
                return value;
        throw new FormatException($"{option} must be one of: {Choices<T>()} (not '{text}')");
    }

    /// <summary>"one of: received, under-review, …" for help texts.</summary>
    public static string Choices<T>() where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Where(v => Convert.ToInt32(v) != 0).Select(v => Text(v)));

    private static string OriginalName<T>(T value) where T : struct, Enum =>
        typeof(T).GetField(value.ToString())?.GetCustomAttributes(typeof(OriginalNameAttribute), false).OfType<OriginalNameAttribute>().FirstOrDefault()?.Name
        ?? value.ToString();

    private static string Prefix<T>() where T : struct, Enum => OriginalName(default(T)).Replace("UNSPECIFIED", "");
}

internal static class Table
{
    public static void Print(string[] headers, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        Console.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in all) Console.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        if (all.Count == 0) Console.WriteLine("(none)");
    }
}

internal static class Pages
{
    /// <summary>
    /// Every page of a list as one response: <paramref name="fetch"/> gets a page token and returns that page, whose
    /// <paramref name="items"/> are gathered and whose <paramref name="next"/> token ("" after the last) is asked for next.
    /// </summary>
    public static async Task<TResponse> AllAsync<TResponse, TItem>(Func<string, Task<TResponse>> fetch,
        Func<TResponse, RepeatedField<TItem>> items, Func<TResponse, string> next)
        where TResponse : IMessage<TResponse>, new()
    {
        var all = new TResponse();
        var token = "";
        do
        {
            var page = await fetch(token);
            items(all).AddRange(items(page));
            token = next(page);
        }
        while (token.Length > 0);
        return all;
    }
}
