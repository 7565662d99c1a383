using System.Globalization;
using System.Text;

namespace Rrm.ServiceDefaults.Reference;

/// <summary>Accent- and case-insensitive forms of names, for matching, search and duplicate keys.</summary>
/// <remarks>
/// NFD decomposition is applied and combining marks (NonSpacingMark) are dropped, but the services run with
/// invariant globalization (no ICU), where <see cref="string.Normalize(NormalizationForm)"/> leaves precomposed
/// letters such as "é" untouched. So a table of Latin letters does the real work; it also covers letters that
/// no normalization decomposes (ß→SS, æ→AE, ø→O, đ→D, ł→L, þ→TH) and the ordinal indicators ª→A, º→O.
/// </remarks>
public static class TextFolding
{
    private static readonly Dictionary<char, string> Latin = Build(
        ("ÀÁÂÃÄÅĀĂĄǍǺȀȂȦẠẢẤẦẨẪẬẮẰẲẴẶàáâãäåāăąǎǻȁȃȧạảấầẩẫậắằẳẵặª", "A"),
        ("ḂḃƀɓƁ", "B"),
        ("ÇĆĈĊČçćĉċč", "C"),
        ("ĎĐÐďđðḌḍ", "D"),
        ("ÈÉÊËĒĔĖĘĚȄȆẸẺẼẾỀỂỄỆèéêëēĕėęěȅȇẹẻẽếềểễệ", "E"),
        ("Ḟḟƒ", "F"),
        ("ĜĞĠĢǦĝğġģǧ", "G"),
        ("ĤĦḤĥħḥ", "H"),
        ("ÌÍÎÏĨĪĬĮİǏȈȊỈỊìíîïĩīĭįıǐȉȋỉị", "I"),
        ("Ĵĵ", "J"),
        ("ĶǨķǩ", "K"),
        ("ĹĻĽĿŁĺļľŀł", "L"),
        ("ṀṁṂṃ", "M"),
        ("ÑŃŅŇǸṄṆñńņňǹṅṇŉ", "N"),
        ("ÒÓÔÕÖØŌŎŐƠǑǾȌȎȮỌỎỐỒỔỖỘỚỜỞỠỢòóôõöøōŏőơǒǿȍȏȯọỏốồổỗộớờởỡợº", "O"),
        ("Ṗṗ", "P"),
        ("ŔŖŘȐȒṚŕŗřȑȓṛ", "R"),
        ("ŚŜŞŠȘṠṢśŝşšșṡṣſ", "S"),
        ("ŢŤŦȚṪṬţťŧțṫṭ", "T"),
        ("ÙÚÛÜŨŪŬŮŰŲƯǓǕǗǙǛȔȖỤỦỨỪỬỮỰùúûüũūŭůűųưǔǖǘǚǜȕȗụủứừửữự", "U"),
        ("Ṿṿ", "V"),
        ("ŴẀẂẄŵẁẃẅ", "W"),
        ("Ẋẋ", "X"),
        ("ÝŶŸẎỲỴỶỸýÿŷẏỳỵỷỹ", "Y"),
        ("ŹŻŽẒźżžẓ", "Z"),
        ("ÆǼǢæǽǣ", "AE"), ("Œœ", "OE"), ("Ĳĳ", "IJ"), ("ß", "SS"), ("Þþ", "TH"));

    /// <summary>
    /// Upper case (invariant), without diacritics (é→E, ñ→N, ß→SS), every run of whitespace replaced by one
    /// space, trimmed. "  Électricos   Ñandú " → "ELECTRICOS NANDU".
    /// </summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var decomposed = Decompose(text);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0; // leading whitespace is trimmed, inner runs become one space
                continue;
            }
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue; // a combining accent
            if (pendingSpace) builder.Append(' ');
            pendingSpace = false; // trailing whitespace never gets appended
            if (Latin.TryGetValue(c, out var plain)) builder.Append(plain);
            else builder.Append(char.ToUpperInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>NFD where the runtime supports it; the letter table covers the rest.</summary>
    private static string Decompose(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormD);
        }
        catch (ArgumentException)
        {
            return text; // ill-formed UTF-16 (a lone surrogate): fold it character by character as it is
        }
    }

    private static Dictionary<char, string> Build(params (string Letters, string Plain)[] groups) =>
        groups.SelectMany(g => g.Letters.Select(c => (c, g.Plain))).ToDictionary(p => p.c, p => p.Plain);
}
