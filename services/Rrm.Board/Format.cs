using System.Globalization;
using System.Text;
using Rrm.Grpc.Common.V1;

namespace Rrm.Board;

/// <summary>How the board writes values: dates as ISO dates, enumerations in words.</summary>
public static class Format
{
    public static DateOnly? ToDate(this Date? date) =>
        date is null || date.Year == 0 ? null : new DateOnly(date.Year, date.Month, date.Day);

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>ISO date, or an en dash for none.</summary>
    public static string Iso(Date? date) => date.ToDate() is { } d ? Iso(d) : "–";

    /// <summary>A protobuf enumeration value in words: <c>UnderMexicanReview</c> → "under Mexican review".</summary>
    public static string Words(Enum value)
    {
        var name = value.ToString();
        var words = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])) words.Append(' ');
            words.Append(name[i]);
        }
        return Capitalized.Aggregate(words.ToString().ToLowerInvariant(), (s, w) => s.Replace(w.ToLowerInvariant(), w));
    }

    private static readonly string[] Capitalized = ["Mexican", "Mexico", "USTR", "ILC"];

    public static string Number(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Money(Rrm.Grpc.Common.V1.Decimal? value) =>
        value is null || value.Value == "" ? "–" : decimal.Parse(value.Value, CultureInfo.InvariantCulture).ToString("#,0.00", CultureInfo.InvariantCulture);

    /// <summary>"in 3 days", "today", "2 days overdue".</summary>
    public static string DaysLeft(int days) => days switch
    {
        0 => "due today",
        1 => "1 day left",
        > 1 => $"{days} days left",
        -1 => "1 day overdue",
        _ => $"{-days} days overdue",
    };

    /// <summary>"1 case", "3 cases", "2 entries" (with <paramref name="many"/> for an irregular plural).</summary>
    public static string Count(long n, string one, string? many = null) => $"{Number(n)} {(n == 1 ? one : many ?? one + "s")}";

    /// <summary>A facility's approximate workforce; 0 is not known.</summary>
    public static string Workers(int approximate) => approximate > 0 ? $"about {Number(approximate)}" : "not known";

    /// <summary>A facility's everyday name, or its legal name when it has none.</summary>
    public static string FacilityName(string commonName, string legalName) => string.IsNullOrEmpty(commonName) ? legalName : commonName;

    /// <summary>A yyyy-MM-dd query value, or null when it is absent or not such a date.</summary>
    public static DateOnly? ParseIso(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>An instant as an ISO date and time in UTC: "2024-07-26 14:03:22 UTC".</summary>
    public static string IsoUtc(Google.Protobuf.WellKnownTypes.Timestamp? at) =>
        at is null ? "–" : at.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
