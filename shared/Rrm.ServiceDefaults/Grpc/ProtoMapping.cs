using System.Globalization;
using Rrm.Grpc.Common.V1;
using Rrm.ServiceDefaults.Errors;

namespace Rrm.ServiceDefaults.Grpc;

/// <summary>Conversions between the common proto types and .NET types, validating as they go.</summary>
public static class ProtoMapping
{
    public static Date ToProto(this DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    /// <summary>
    /// The date of an act: <paramref name="date"/> when given, else <paramref name="today"/>. An invalid
    /// date is recorded as a violation of <paramref name="field"/>, and <paramref name="today"/> returned.
    /// </summary>
    public static DateOnly ToDateOrDefault(this Date? date, string field, DateOnly today, Validation validation)
    {
        if (date is null) return today;
        if (date.Year is < 1900 or > 9999 || date.Month is < 1 or > 12 || date.Day < 1 ||
            date.Day > DateTime.DaysInMonth(date.Year, date.Month))
        {
            validation.Add(field, $"is not a valid calendar date ({date.Year:D4}-{date.Month:D2}-{date.Day:D2})");
            return today;
        }
        return new DateOnly(date.Year, date.Month, date.Day);
    }

    /// <summary>
    /// The effective date of a recorded act: <paramref name="date"/> when given, else today; never in the
    /// future (a violation of <paramref name="field"/>).
    /// </summary>
    public static DateOnly ToActDate(this Date? date, string field, DateOnly today, Validation validation)
    {
        var value = date.ToDateOrDefault(field, today, validation);
        if (value > today) validation.Add(field, $"must not be in the future (today is {today:yyyy-MM-dd})");
        return value;
    }

    /// <summary>An id this suite issued (a UUID); anything else is a violation of <paramref name="field"/>.</summary>
    public static Guid ToId(this string? value, string field, Validation validation)
    {
        if (Guid.TryParse(value, out var id)) return id;
        validation.Add(field, string.IsNullOrWhiteSpace(value) ? "is required" : "must be an id as returned by this service");
        return Guid.Empty;
    }

    /// <summary>As <see cref="ToId"/>, throwing INVALID_ARGUMENT at once.</summary>
    public static Guid ParseId(string? value, string field)
    {
        var validation = new Validation();
        var id = value.ToId(field, validation);
        validation.ThrowIfInvalid();
        return id;
    }

    /// <summary>The value of <typeparamref name="TTo"/> with the same name (domain and proto enums; proto names drop their prefix).</summary>
    public static TTo ByName<TTo>(this Enum value) where TTo : struct, Enum => Enum.Parse<TTo>(value.ToString());

    /// <summary>A proto enum value as its domain value; null for UNSPECIFIED or a number the proto does not define.</summary>
    public static TTo? ToDomain<TTo>(this Enum value) where TTo : struct, Enum =>
        Enum.IsDefined(value.GetType(), value) && Enum.TryParse<TTo>(value.ToString(), out var parsed) ? parsed : null;

    public static Rrm.Grpc.Common.V1.Decimal ToProto(this decimal value) => new() { Value = value.ToString(CultureInfo.InvariantCulture) };

    /// <summary>
    /// An exact amount: plain decimal notation, at most <paramref name="scale"/> decimals, not negative unless
    /// <paramref name="allowNegative"/>. Problems are violations of <paramref name="field"/>; 0 is returned then.
    /// </summary>
    public static decimal ToDecimal(this Rrm.Grpc.Common.V1.Decimal? value, string field, Validation validation, int scale = 2, bool allowNegative = false)
    {
        var text = value?.Value?.Trim() ?? "";
        if (text.Length == 0) { validation.Add(field, "is required"); return 0; }
        if (!IsPlainDecimal(text) || !decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            validation.Add(field, $"'{text}' is not a decimal number such as 1250.00");
            return 0;
        }
        if (amount < 0 && !allowNegative) validation.Add(field, "must not be negative");
        else if (amount.Scale > scale) validation.Add(field, $"has more than {scale} decimals");
        return amount;
    }

    private static bool IsPlainDecimal(string text)
    {
        var digits = text.StartsWith('-') ? text[1..] : text;
        var parts = digits.Split('.');
        return parts.Length <= 2 && parts.All(p => p.Length is > 0 and <= 20 && p.All(char.IsAsciiDigit));
    }
}
