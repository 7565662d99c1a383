using System.Diagnostics.CodeAnalysis;


namespace Rrm.ServiceDefaults.Reference;

/// <summary>A Mexican federal entity: <see cref="Code"/> is the ISO 3166-2:MX suffix ("SLP" of "MX-SLP"), <see cref="Name"/> its usual short name.</summary>
public sealed record MexicanState(string Code, string Name);

/// <summary>The 32 federal entities of Mexico, recognised by code, name, official long name or common spelling.</summary>
public static class MexicanStates
{
    /// <summary>The 31 states and Mexico City, in ISO 3166-2:MX order of their names.</summary>
    public static IReadOnlyList<MexicanState> All { get; } =
    [
        new("AGU", "Aguascalientes"), new("BCN", "Baja California"), new("BCS", "Baja California Sur"), new("CAM", "Campeche"),
        new("CHP", "Chiapas"), new("CHH", "Chihuahua"), new("CMX", "Ciudad de México"), new("COA", "Coahuila"),
        new("COL", "Colima"), new("DUR", "Durango"), new("GUA", "Guanajuato"), new("GRO", "Guerrero"),
        new("HID", "Hidalgo"), new("JAL", "Jalisco"), new("MEX", "Estado de México"), new("MIC", "Michoacán"),
        new("MOR", "Morelos"), new("NAY", "Nayarit"), new("NLE", "Nuevo León"), new("OAX", "Oaxaca"),
        new("PUE", "Puebla"), new("QUE", "Querétaro"), new("ROO", "Quintana Roo"), new("SLP", "San Luis Potosí"),
        new("SIN", "Sinaloa"), new("SON", "Sonora"), new("TAB", "Tabasco"), new("TAM", "Tamaulipas"),
        new("TLA", "Tlaxcala"), new("VER", "Veracruz"), new("YUC", "Yucatán"), new("ZAC", "Zacatecas"),
    ];

    /// <summary>
    /// Official long names, former names and abbreviations in common use (postal, press, INEGI), besides
    /// each entity's code and name. "México" alone is the State of Mexico, not the country or the capital.
    /// </summary>
    private static readonly (string Code, string[] Aliases)[] Aliases =
    [
        ("AGU", ["Ags", "Ags."]),
        ("BCN", ["BC", "B.C.", "Baja California Norte", "B.C.N."]),
        ("BCS", ["B.C.S.", "B.C. Sur"]),
        ("CAM", ["Camp", "Camp."]),
        ("CHP", ["Chis", "Chis."]),
        ("CHH", ["Chih", "Chih."]),
        ("CMX", ["CDMX", "Cd. de México", "Cd. México", "DF", "D.F.", "Distrito Federal", "México D.F.", "México, D.F.",
            "Mexico City", "Ciudad de México (CDMX)"]),
        ("COA", ["Coah", "Coah.", "Coahuila de Zaragoza"]),
        ("COL", ["Col."]),
        ("DUR", ["Dgo", "Dgo."]),
        ("GUA", ["Gto", "Gto."]),
        ("GRO", ["Gro."]),
        ("HID", ["Hgo", "Hgo."]),
        ("JAL", ["Jal."]),
        ("MEX", ["México", "Edomex", "Edo. Méx.", "Edo. de Méx.", "Edo. de México", "Méx.", "State of Mexico", "Mexico State"]),
        ("MIC", ["Mich", "Mich.", "Michoacán de Ocampo"]),
        ("MOR", ["Mor."]),
        ("NAY", ["Nay."]),
        ("NLE", ["NL", "N.L."]),
        ("OAX", ["Oax."]),
        ("PUE", ["Pue."]),
        ("QUE", ["Qro", "Qro.", "Querétaro de Arteaga"]),
        ("ROO", ["Q. Roo", "Q. Roo.", "QRoo", "Q.R."]),
        ("SLP", ["S.L.P."]),
        ("SIN", ["Sin."]),
        ("SON", ["Son."]),
        ("TAB", ["Tab."]),
        ("TAM", ["Tamps", "Tamps."]),
        ("TLA", ["Tlax", "Tlax."]),
        ("VER", ["Ver.", "Veracruz de Ignacio de la Llave", "Veracruz-Llave"]),
        ("YUC", ["Yuc."]),
        ("ZAC", ["Zac."]),
    ];

    private static readonly Dictionary<string, MexicanState> Lookup = BuildLookup();

    /// <summary>
    /// Finds a federal entity by code ("SLP"), ISO code ("MX-SLP"), name ("San Luis Potosí"), official long
    /// name ("Veracruz de Ignacio de la Llave") or common spelling ("CDMX", "Edomex", "Gto."), ignoring case,
    /// accents, periods and extra spaces.
    /// </summary>
    public static bool TryParse(string? input, [NotNullWhen(true)] out MexicanState? state)
    {
        state = null;
        if (string.IsNullOrWhiteSpace(input)) return false;
        var folded = TextFolding.Fold(input);
        if (folded.StartsWith("MX-", StringComparison.Ordinal) || folded.StartsWith("MX ", StringComparison.Ordinal))
            folded = folded[3..]; // ISO 3166-2 form "MX-SLP"
        var key = KeyOf(folded);
        if (key.Length == 0) return false;
        if (Lookup.TryGetValue(key, out state)) return true;
        // "Estado de Jalisco" is Jalisco ("Estado de México" itself is in the table).
        return key.StartsWith("ESTADODE", StringComparison.Ordinal) && Lookup.TryGetValue(key["ESTADODE".Length..], out state);
    }

    /// <summary>What <see cref="TryParse"/> accepts, for error messages.</summary>
    public static string Describe() =>
        "one of the 32 federal entities by name or ISO 3166-2:MX code, e.g. 'San Luis Potosí' or 'SLP', 'Nuevo León' or 'NLE', 'Ciudad de México' or 'CDMX'";

    /// <summary>Folded, and only letters and digits: "  q. roo " → "QROO", "San Luis Potosí" → "SANLUISPOTOSI".</summary>
    private static string KeyOf(string text) => new(TextFolding.Fold(text).Where(char.IsAsciiLetterOrDigit).ToArray());

    private static Dictionary<string, MexicanState> BuildLookup()
    {
        var lookup = new Dictionary<string, MexicanState>(StringComparer.Ordinal);
        foreach (var state in All)
        {
            lookup.Add(KeyOf(state.Code), state);
            lookup.TryAdd(KeyOf(state.Name), state);
        }
        foreach (var (code, aliases) in Aliases)
        {
            var state = All.Single(s => s.Code == code);
            foreach (var alias in aliases)
                if (!lookup.TryAdd(KeyOf(alias), state) && lookup[KeyOf(alias)] != state)
                    throw new InvalidOperationException($"'{alias}' names both {lookup[KeyOf(alias)].Code} and {code}");
        }
        return lookup;
    }
}
