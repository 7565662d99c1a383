namespace Rrm.TariffLiquidation.Domain;

/// <summary>
/// Customs entry numbers (19 CFR 142.3a): 3-character entry filer code, 7-digit number, check digit,
/// written XXX-NNNNNNN-N (DOMAIN.md §5.3).
/// </summary>
public static class EntryNumber
{
    public const int Length = 13;

    /// <summary>
    /// The entry number in XXX-NNNNNNN-N form (upper-cased; the dashes may be left out), or null with the
    /// reason. The filer code is letters and digits in any of the allowed patterns (NNN, ANN, AAN, AAA,
    /// ANA, NAN, NNA, NAA: every mix), but an all-digit code runs 001 to 999.
    /// </summary>
    public static string? Normalize(string? text, bool enforceCheckDigit, out string reason)
    {
        reason = "";
        if (!enforceCheckDigit && IsNormal(text)) return text; // the usual case, without allocating
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
        if (enforceCheckDigit && CheckDigit.Compute(normalized) != normalized[^1] - '0')
        {
            reason = $"the check digit does not match (expected {CheckDigit.Compute(normalized)})";
            return null;
        }
        return normalized;
    }

    /// <summary>Already XXX-NNNNNNN-N with an upper-case filer code that is not 000.</summary>
    private static bool IsNormal(string? text)
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
    /// The check digit, in one place. CBP's formula (CATAIR Appendix E) is not confirmed (DOMAIN.md §5.3),
    /// so numbers are checked for their format only unless the caller enforces it; <see cref="Compute"/>
    /// is the best available understanding: letters of the filer code become digits (A/J=1 … I/R/Z=9), then a
    /// modulus-10 sum doubles every other digit from the right of the ten characters.
    /// </summary>
    public static class CheckDigit
    {
        public static int Compute(string normalized)
        {
            var digits = normalized.Replace("-", "")[..10].Select(DigitOf).ToArray();
            var sum = 0;
            for (var i = 0; i < digits.Length; i++)
            {
                var d = digits[digits.Length - 1 - i];
                if (i % 2 == 0)
                {
                    d *= 2;
                    if (d > 9) d -= 9;
                }
                sum += d;
            }
            return (10 - sum % 10) % 10;
        }

        private static int DigitOf(char c) => char.IsAsciiDigit(c) ? c - '0' : (c - 'A') % 9 + 1;
    }
}
