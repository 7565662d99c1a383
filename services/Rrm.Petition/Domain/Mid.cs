using System.Text;
using System.Text.RegularExpressions;
using Rrm.ServiceDefaults.Reference;

namespace Rrm.Petition.Domain;

/// <summary>
/// Manufacturer Identification Code, built by the rules of 19 CFR Part 102, Appendix (DOMAIN.md §5.2):
/// country, the first three characters of the first two words of the name, up to four digits of the
/// largest number on the street-address line, and the first three letters of the city.
/// </summary>
public static partial class Mid
{
    /// <summary>Rule 1: at most 15 characters.</summary>
    public const int MaxLength = 15;

    /// <summary>Rule 3: English words that are not counted as words of the name (whole words only).</summary>
    private static readonly HashSet<string> IgnoredWords = ["A", "AN", "AND", "OF", "THE"];

    /// <summary>
    /// Rule 2: Canada uses a province code instead of "CA". Keys are folded and reduced to their letters, so
    /// "Québec", "QUEBEC", "Nouvelle-Écosse" and "P.E.I." all match.
    /// </summary>
    private static readonly Dictionary<string, string> CanadianProvinces = BuildProvinces(
        ("XA", ["AB", "ALTA", "ALBERTA"]),
        ("XC", ["BC", "BRITISH COLUMBIA", "COLOMBIE-BRITANNIQUE", "CB"]),
        ("XM", ["MB", "MAN", "MANITOBA"]),
        ("XB", ["NB", "NEW BRUNSWICK", "NOUVEAU-BRUNSWICK"]),
        ("XW", ["NL", "NF", "NFLD", "NEWFOUNDLAND", "LABRADOR", "NEWFOUNDLAND AND LABRADOR", "NEWFOUNDLAND & LABRADOR",
            "TERRE-NEUVE", "TERRE-NEUVE-ET-LABRADOR", "TNL"]),
        ("XT", ["NT", "NWT", "NORTHWEST TERRITORIES", "TERRITOIRES DU NORD-OUEST", "TNO"]),
        ("XN", ["NS", "NOVA SCOTIA", "NOUVELLE-ECOSSE", "NE"]),
        ("XV", ["NU", "NUNAVUT"]),
        ("XO", ["ON", "ONT", "ONTARIO"]),
        ("XP", ["PE", "PEI", "PRINCE EDWARD ISLAND", "ILE-DU-PRINCE-EDOUARD", "IPE"]),
        ("XQ", ["QC", "QUE", "PQ", "QUEBEC"]),
        ("XS", ["SK", "SASK", "SASKATCHEWAN"]),
        ("XY", ["YT", "YK", "YUKON", "YUKON TERRITORY"]));

    /// <summary>
    /// Builds the MID of a manufacturer. <paramref name="canadianProvince"/> is only used (and then required)
    /// when <paramref name="countryCode"/> is "CA".
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A part cannot be derived; <see cref="ArgumentException.ParamName"/> is "manufacturer_name", "city",
    /// "country_code" or "canadian_province".
    /// </exception>
    public static string Derive(string manufacturerName, string streetAddress, string city, string countryCode = "MX", string? canadianProvince = null)
    {
        var mid = CountryPart(countryCode, canadianProvince) + NamePart(manufacturerName) + AddressPart(streetAddress) + CityPart(city);
        // Rule 1: at most 15 characters, no spaces (no part ever contains a space).
        return mid.Length <= MaxLength ? mid : mid[..MaxLength];
    }

    /// <summary>Two upper-case letters (the country), then 1–13 upper-case letters or digits: at most 15 in all.</summary>
    public static bool IsWellFormed(string mid) => mid is not null && WellFormed().IsMatch(mid);

    /// <summary>Rule 2: the ISO code of the country of origin; for Canada the province code (XA … XY) instead.</summary>
    private static string CountryPart(string countryCode, string? canadianProvince)
    {
        var code = TextFolding.Fold(countryCode ?? "");
        if (code.Length != 2 || !code.All(char.IsAsciiLetterUpper))
            throw new ArgumentException($"'{countryCode}' is not a two-letter ISO country code", "country_code");
        if (code != "CA") return code;
        if (canadianProvince is not null && CanadianProvinces.TryGetValue(LettersOf(canadianProvince), out var province))
            return province;
        throw new ArgumentException(
            $"a Canadian MID uses the province code instead of CA: give the province (e.g. ON or Ontario){(string.IsNullOrWhiteSpace(canadianProvince) ? "" : $", not '{canadianProvince}'")}",
            "canadian_province");
    }

    /// <summary>
    /// Rule 3: the first three characters of each of the first two words (a one-word name gives three; a
    /// shorter word gives what it has), after dropping the ignored English words.
    /// </summary>
    private static string NamePart(string manufacturerName)
    {
        var words = Words(manufacturerName ?? "").Where(w => !IgnoredWords.Contains(w)).Take(2).ToList();
        if (words.Count == 0)
            throw new ArgumentException($"'{manufacturerName}' has no letters or digits (other than a, an, and, of, the) to build an MID from", "manufacturer_name");
        return string.Concat(words.Select(w => w.Length <= 3 ? w : w[..3]));
    }

    /// <summary>
    /// Rule 3, what a "word" is: accents transliterated ("Ñandú" → NANDU); a hyphenated part is one word
    /// ("Rawles-Aden" → RAWLESADEN); grouped initials are one word, with periods ("A.B.C.") or spaces
    /// ("A B C"); digits are kept ("20th" → 20TH); other punctuation is dropped.
    /// </summary>
    private static IEnumerable<string> Words(string name)
    {
        var initials = new StringBuilder();
        foreach (var token in TextFolding.Fold(name).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var isInitials = InitialsToken().IsMatch(token);
            var word = new string(token.Where(char.IsAsciiLetterOrDigit).ToArray()); // punctuation (and hyphens) dropped
            if (word.Length == 0) continue;
            if (isInitials || (word.Length == 1 && char.IsAsciiLetter(word[0])))
            {
                initials.Append(word); // "A.B.C." or the single letters of "A B C": one word
                continue;
            }
            if (initials.Length > 0)
            {
                yield return initials.ToString();
                initials.Clear();
            }
            yield return word;
        }
        if (initials.Length > 0) yield return initials.ToString();
    }

    /// <summary>
    /// Rule 4: up to the first four digits of the largest number on the street-address line; punctuation
    /// inside a number is ignored ("12,34,56" → 123456); a number that is part of the street's name ("12th",
    /// "5a", "5º") is not used; a postal code written on the line ("C.P. 78000") is not used; no number → "".
    /// </summary>
    private static string AddressPart(string streetAddress)
    {
        var numbers = AddressNumber().Matches(TextFolding.Fold(streetAddress ?? ""))
            .Select(m => new string(m.Value.Where(char.IsAsciiDigit).ToArray()).TrimStart('0'))
            .Select(n => n.Length == 0 ? "0" : n)
            .ToList();
        if (numbers.Count == 0) return "";
        // Largest by value: more digits (leading zeros removed) is larger; same length compares digit by digit.
        var largest = numbers.OrderByDescending(n => n.Length).ThenByDescending(n => n, StringComparer.Ordinal).First();
        return largest.Length <= 4 ? largest : largest[..4];
    }

    /// <summary>Rule 5: the first three letters of the city, accents transliterated, non-letters skipped.</summary>
    private static string CityPart(string city)
    {
        var letters = new string(TextFolding.Fold(city ?? "").Where(char.IsAsciiLetter).ToArray());
        if (letters.Length == 0) throw new ArgumentException($"'{city}' has no letters to build an MID from", "city");
        return letters.Length <= 3 ? letters : letters[..3];
    }

    private static string LettersOf(string text) => new(TextFolding.Fold(text).Where(char.IsAsciiLetter).ToArray());

    private static Dictionary<string, string> BuildProvinces(params (string Code, string[] Names)[] provinces)
    {
        var lookup = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, names) in provinces)
            foreach (var name in names)
                lookup.Add(LettersOf(name), code); // Add: a name claimed by two provinces fails loudly
        return lookup;
    }

    /// <summary>A token of initials with periods: "A.B.C.", "O.A.S.I.S.", "A.B.C" (single letters each followed by a period).</summary>
    [GeneratedRegex(@"^(?:[A-Z]\.)+[A-Z]?\.?\z")]
    private static partial Regex InitialsToken();

    /// <summary>
    /// A number on the street line: digits with inner commas or periods ("12,34,56", "1.500"). Not a number
    /// glued to letters or an ordinal sign (12TH, 5A, 5O (from 5º), 5°, A12), and not a postal code after "C.P."/"CP"/"ZIP".
    /// </summary>
    [GeneratedRegex(@"(?<![A-Z0-9])(?<!\b(?:C\.?\s?P|CODIGO\s+POSTAL|ZIP(?:\s+CODE)?|POSTAL\s+CODE)\.?\s*:?\s*)[0-9]+(?:[.,][0-9]+)*(?![A-Z0-9°])")]
    private static partial Regex AddressNumber();

    [GeneratedRegex(@"^[A-Z]{2}[A-Z0-9]{1,13}\z")]
    private static partial Regex WellFormed();
}
