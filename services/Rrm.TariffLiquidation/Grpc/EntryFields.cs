using Rrm.Grpc.Common.V1;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Grpc;

namespace Rrm.TariffLiquidation.Grpc;

/// <summary>
/// An entry's number and dates, checked the same way wherever a request carries them (RegisterEntries, CheckEntries,
/// ReportEntriesLiquidated), each problem a violation of the field named (liquidation.proto): item <c>index</c> of the
/// request's <c>list</c>, e.g. <c>entries[3].entry_date</c>. The name is only made when needed: the gate checks every entry.
/// </summary>
internal static class EntryFields
{
    /// <summary>USMCA's entry into force: no entry under it is older.</summary>
    public static readonly DateOnly EarliestEntryDate = new(2020, 7, 1);

    /// <summary>The number normalized to XXX-NNNNNNN-N, or null when it is not an entry number.</summary>
    public static string? Number(string text, string list, long index, string name, bool enforceCheckDigit, Validation v)
    {
        var number = Domain.EntryNumber.Normalize(text, enforceCheckDigit, out var reason);
        if (number is null) v.Add(Field(list, index, name), $"'{text}' {reason}");
        return number;
    }

    /// <summary>The entry date: required, not in the future, not before <see cref="EarliestEntryDate"/> (today while missing).</summary>
    public static DateOnly EntryDate(Date? date, string list, long index, DateOnly today, Validation v)
    {
        var field = Field(list, index, "entry_date");
        if (date is null)
        {
            v.Add(field, "is required");
            return today;
        }
        var value = date.ToActDate(field, today, v);
        if (value < EarliestEntryDate) v.Add(field, $"must not be before USMCA's entry into force ({EarliestEntryDate:yyyy-MM-dd})");
        return value;
    }

    /// <summary>The optional liquidation date: not in the future, not before <paramref name="entered"/> when that is known.</summary>
    public static DateOnly? LiquidationDate(Date? date, string list, long index, DateOnly? entered, DateOnly today, Validation v)
    {
        if (date is null) return null;
        var field = Field(list, index, "liquidation_date");
        var value = date.ToActDate(field, today, v);
        if (value < entered) v.Add(field, $"must not be before the entry date ({entered:yyyy-MM-dd})");
        return value;
    }

    /// <summary><c>list[index].name</c>, or <c>list[index]</c> for an item without a name of its own.</summary>
    private static string Field(string list, long index, string name) => name.Length == 0 ? $"{list}[{index}]" : $"{list}[{index}].{name}";
}
