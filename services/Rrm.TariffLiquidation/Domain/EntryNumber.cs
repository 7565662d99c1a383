using System.Diagnostics.CodeAnalysis;

namespace Rrm.TariffLiquidation.Domain;

/// <summary>
/// Customs entry numbers (19 CFR 142.3a): 3-character entry filer code, 7-digit number, check digit,
/// written XXX-NNNNNNN-N (DOMAIN.md §5.3; the check digit's formula and its sources: docs/domain-notes.md).
/// </summary>
public static class EntryNumber
{
    public const int Length = 13;

    /// <summary>
    /// The entry number in XXX-NNNNNNN-N form (upper-cased; the dashes may be left out), or null with the
    /// reason. The filer code is letters and digits in any of the allowed patterns (NNN, ANN, AAN, AAA,
    /// ANA, NAN, NNA, NAA: every mix), but an all-digit code runs 001 to 999. With
    /// <paramref name="enforceCheckDigit"/> the last digit must be the one <see cref="CheckDigit"/> computes.
    /// </summary>
    public static string? Normalize(string? text, bool enforceCheckDigit, out string reason)
    {
        reason = "";
        // The usual case, without allocating.
        if (IsNormal(text) && (!enforceCheckDigit || CheckDigit.Compute(text) == text[^1] - '0')) return text;
        var raw = (text ?? "").Trim().ToUpperInvariant();
        var compact = raw.Replace("-", "");
        if (compact.Length != 11 || (raw.Length == Length && (raw[3] != '-' || raw[11] != '-')) || (raw.Length != 11 && raw.Length != Length))
        {
            reason = "must be XXX-NNNNNNN-N (a 3-character filer code, 7 digits and a check digit)";
            return null;
        }
        var filer = compact[..3];
        if (!filer.All(char.IsAsciiLetterOrDigit))
        {
            reason = "the filer code must be letters and digits";
            return null;
        }
        if (filer == "000")
        {
            reason = "an all-digit filer code runs from 001 to 999";
            return null;
        }
        if (!compact[3..].All(char.IsAsciiDigit))
        {
            reason = "the 7-digit number and the check digit must be digits";
            return null;
        }
        var normalized = $"{filer}-{compact[3..10]}-{compact[10]}";
        if (enforceCheckDigit && CheckDigit.Compute(normalized) is var expected && expected != normalized[^1] - '0')
        {
            reason = $"has check digit {normalized[^1]}, expected {expected} (CBP's formula, CATAIR Appendix E)";
            return null;
        }
        return normalized;
    }

    /// <summary>The entry number XXX-NNNNNNN-N for a filer code and a 7-digit number, with its check digit.</summary>
    public static string Create(string filerCode, int number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, 9_999_999);
        var first = $"{filerCode.ToUpperInvariant()}-{number:D7}";
        var normalized = Normalize($"{first}-{CheckDigit.Compute(first)}", enforceCheckDigit: true, out var reason);
        return normalized ?? throw new ArgumentException($"'{filerCode}' {reason}", nameof(filerCode));
    }

    /// <summary>Already XXX-NNNNNNN-N with an upper-case filer code that is not 000.</summary>
    private static bool IsNormal([NotNullWhen(true)] string? text)
    {
        if (text is not { Length: Length } || text[3] != '-' || text[11] != '-') return false;
        for (var i = 0; i < 3; i++)
            if (!char.IsAsciiDigit(text[i]) && !char.IsAsciiLetterUpper(text[i])) return false;
        for (var i = 4; i < Length; i++)
            if (i != 11 && !char.IsAsciiDigit(text[i])) return false;
        return text.AsSpan(0, 3) is not "000";
    }

    /// <summary>A normalized entry number as a number, one to one (filer code in base 36, then the ten digits).</summary>
    public static long Key(string normalized)
    {
        long filer = 0;
        for (var i = 0; i < 3; i++) filer = filer * 36 + (char.IsAsciiDigit(normalized[i]) ? normalized[i] - '0' : normalized[i] - 'A' + 10);
        return filer * 10_000_000_000L + long.Parse(normalized.AsSpan(4, 7)) * 10 + (normalized[12] - '0');
    }

    /// <summary>
    /// The check digit, as CBP computes it from the first ten characters (19 CFR 142.3a(b); CATAIR Appendix E
    /// "Valid Entry Numbers"), as implemented by customs-broker software (sources and test vectors:
    /// docs/domain-notes.md):
    /// <list type="number">
    /// <item>each letter of the filer code becomes a digit: A–I are 1–9, J–R are 1–9, S–Z are 2–9;</item>
    /// <item>of the ten digits, those in even positions counted from the left (2nd, 4th … 10th, so the last one
    /// and every other one before it) are doubled, a product over 9 counting as the sum of its digits
    /// (10 → 1 … 18 → 9), and added to the digits in odd positions;</item>
    /// <item>the check digit is what takes that sum to the next multiple of 10 (0 if it is one).</item>
    /// </list>
    /// Example: MZ5-0100857 → 4 9 5 0 1 0 0 8 5 7 → 4 + 9·2→9 + 5 + 0 + 1 + 0 + 0 + 8·2→7 + 5 + 7·2→5 = 36 → 4.
    /// </summary>
    public static class CheckDigit
    {
        /// <summary>
        /// The check digit of <paramref name="number"/>: its filer code and 7-digit number as XXX-NNNNNNN or
        /// XXXNNNNNNN, with or without a check digit after them (ignored), letters in either case.
        /// </summary>
        public static int Compute(ReadOnlySpan<char> number)
        {
            var sequence = number.Length > 3 && number[3] == '-' ? number[4..] : number[3..];
            if (sequence.Length < 7) throw new ArgumentException("needs a filer code and a 7-digit number", nameof(number));
            var sum = 0;
            for (var i = 0; i < 10; i++)
            {
                var d = ValueOf(i < 3 ? number[i] : sequence[i - 3]);
                if (i % 2 == 1)
                {
                    d *= 2;
                    if (d > 9) d -= 9;
                }
                sum += d;
            }
            return (10 - sum % 10) % 10;
        }

        /// <summary>A digit as itself; a letter by CBP's table: A–I 1–9, J–R 1–9, S–Z 2–9.</summary>
        public static int ValueOf(char c) => char.ToUpperInvariant(c) switch
        {
            >= '0' and <= '9' and var d => d - '0',
            >= 'A' and <= 'I' and var a => a - 'A' + 1,
            >= 'J' and <= 'R' and var j => j - 'J' + 1,
            >= 'S' and <= 'Z' and var s => s - 'S' + 2,
            _ => throw new ArgumentException($"'{c}' is neither a letter A–Z nor a digit", nameof(c)),
        };
    }
}
