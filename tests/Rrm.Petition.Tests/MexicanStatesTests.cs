using Rrm.Petition.Domain;
using Rrm.ServiceDefaults.Reference;

namespace Rrm.Petition.Tests;

public sealed class MexicanStatesTests
{
    private static readonly string[] IsoCodes =
    [
        "AGU", "BCN", "BCS", "CAM", "CHP", "CHH", "CMX", "COA", "COL", "DUR", "GUA", "GRO", "HID", "JAL", "MEX", "MIC",
        "MOR", "NAY", "NLE", "OAX", "PUE", "QUE", "ROO", "SLP", "SIN", "SON", "TAB", "TAM", "TLA", "VER", "YUC", "ZAC",
    ];

    [Fact]
    public void There_are_exactly_the_32_federal_entities_of_ISO_3166_2_MX()
    {
        Assert.Equal(32, MexicanStates.All.Count);
        Assert.Equal(IsoCodes.Order(), MexicanStates.All.Select(s => s.Code).Order());
        Assert.Equal(32, MexicanStates.All.Select(s => s.Name).Distinct().Count());
    }

    [Fact]
    public void Every_entity_is_found_by_its_code_its_ISO_code_and_its_name()
    {
        Assert.All(MexicanStates.All, s =>
        {
            Assert.True(MexicanStates.TryParse(s.Code, out var byCode));
            Assert.True(MexicanStates.TryParse(s.Code.ToLowerInvariant(), out var byLowerCode));
            Assert.True(MexicanStates.TryParse("MX-" + s.Code, out var byIso));
            Assert.True(MexicanStates.TryParse(s.Name, out var byName));
            Assert.True(MexicanStates.TryParse(s.Name.ToUpperInvariant(), out var byUpperName));
            Assert.Equal(s, byCode);
            Assert.Equal(s, byLowerCode);
            Assert.Equal(s, byIso);
            Assert.Equal(s, byName);
            Assert.Equal(s, byUpperName);
        });
    }

    [Theory]
    [InlineData("SLP", "San Luis Potosí")]
    [InlineData("CMX", "Ciudad de México")]
    [InlineData("MEX", "Estado de México")]
    [InlineData("MIC", "Michoacán")]
    [InlineData("NLE", "Nuevo León")]
    [InlineData("QUE", "Querétaro")]
    [InlineData("YUC", "Yucatán")]
    [InlineData("COA", "Coahuila")]
    [InlineData("VER", "Veracruz")]
    [InlineData("ROO", "Quintana Roo")]
    [InlineData("CHP", "Chiapas")]
    [InlineData("CHH", "Chihuahua")]
    public void Entities_carry_their_official_short_names_with_accents(string code, string name)
    {
        Assert.True(MexicanStates.TryParse(code, out var state));
        Assert.Equal(name, state.Name);
    }

    [Theory]
    // accents, case and spaces
    [InlineData("San Luis Potosi", "SLP")]
    [InlineData("  san luis  potosí ", "SLP")]
    [InlineData("SAN LUIS POTOSÍ", "SLP")]
    [InlineData("Nuevo Leon", "NLE")]
    [InlineData("Queretaro", "QUE")]
    [InlineData("Yucatan", "YUC")]
    [InlineData("Michoacan", "MIC")]
    [InlineData("mx-slp", "SLP")]
    [InlineData("MX-CMX", "CMX")]
    // official long names
    [InlineData("Coahuila de Zaragoza", "COA")]
    [InlineData("Michoacán de Ocampo", "MIC")]
    [InlineData("Michoacan de Ocampo", "MIC")]
    [InlineData("Veracruz de Ignacio de la Llave", "VER")]
    [InlineData("Querétaro de Arteaga", "QUE")]
    // the capital
    [InlineData("CDMX", "CMX")]
    [InlineData("cdmx", "CMX")]
    [InlineData("DF", "CMX")]
    [InlineData("D.F.", "CMX")]
    [InlineData("Distrito Federal", "CMX")]
    [InlineData("Mexico City", "CMX")]
    [InlineData("Ciudad de Mexico", "CMX")]
    // the State of Mexico, including "México" alone
    [InlineData("Edomex", "MEX")]
    [InlineData("Estado de Mexico", "MEX")]
    [InlineData("Edo. de Méx.", "MEX")]
    [InlineData("México", "MEX")]
    [InlineData("Mexico", "MEX")]
    [InlineData("MEX", "MEX")]
    // the Baja Californias
    [InlineData("Baja California", "BCN")]
    [InlineData("Baja California Norte", "BCN")]
    [InlineData("B.C.", "BCN")]
    [InlineData("BC", "BCN")]
    [InlineData("Baja California Sur", "BCS")]
    [InlineData("B.C.S.", "BCS")]
    [InlineData("BCS", "BCS")]
    // Chiapas and Chihuahua are different states
    [InlineData("Chiapas", "CHP")]
    [InlineData("Chis.", "CHP")]
    [InlineData("Chihuahua", "CHH")]
    [InlineData("Chih", "CHH")]
    [InlineData("Chih.", "CHH")]
    // abbreviations in common use
    [InlineData("NL", "NLE")]
    [InlineData("N.L.", "NLE")]
    [InlineData("Q. Roo", "ROO")]
    [InlineData("Q.Roo", "ROO")]
    [InlineData("Quintana Roo", "ROO")]
    [InlineData("SLP", "SLP")]
    [InlineData("S.L.P.", "SLP")]
    [InlineData("Tamps", "TAM")]
    [InlineData("Tamps.", "TAM")]
    [InlineData("Coah", "COA")]
    [InlineData("Jal", "JAL")]
    [InlineData("Jal.", "JAL")]
    [InlineData("Gto", "GUA")]
    [InlineData("Gto.", "GUA")]
    [InlineData("Qro", "QUE")]
    [InlineData("Yuc", "YUC")]
    [InlineData("Ver", "VER")]
    [InlineData("Mich", "MIC")]
    [InlineData("Oax", "OAX")]
    [InlineData("Pue", "PUE")]
    [InlineData("Sin", "SIN")]
    [InlineData("Son", "SON")]
    [InlineData("Tab", "TAB")]
    [InlineData("Tlax", "TLA")]
    [InlineData("Zac", "ZAC")]
    [InlineData("Ags", "AGU")]
    [InlineData("Ags.", "AGU")]
    [InlineData("Camp", "CAM")]
    [InlineData("Col", "COL")]
    [InlineData("Dgo", "DUR")]
    [InlineData("Gro", "GRO")]
    [InlineData("Hgo", "HID")]
    [InlineData("Mor", "MOR")]
    [InlineData("Nay", "NAY")]
    // "Estado de" in front of a state's name
    [InlineData("Estado de Chihuahua", "CHH")]
    [InlineData("Estado de Jalisco", "JAL")]
    public void Accents_long_names_and_common_spellings_are_accepted(string input, string code)
    {
        Assert.True(MexicanStates.TryParse(input, out var state));
        Assert.Equal(code, state.Code);
    }

    [Theory]
    [InlineData("Texas")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ZZZ")]
    [InlineData("MX-ZZZ")]
    [InlineData("MX")]
    [InlineData("Estado de")]
    [InlineData("California")]
    [InlineData("Ontario")]
    [InlineData("San Luis")]
    [InlineData("Chi")]
    [InlineData("...")]
    [InlineData(null)]
    public void Anything_else_is_rejected(string? input)
    {
        Assert.False(MexicanStates.TryParse(input, out var state));
        Assert.Null(state);
    }

    [Fact]
    public void The_description_for_error_messages_gives_examples_that_are_accepted()
    {
        var description = MexicanStates.Describe();
        var examples = System.Text.RegularExpressions.Regex.Matches(description, "'([^']+)'").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("San Luis Potosí", examples);
        Assert.Contains("SLP", examples);
        Assert.All(examples, e => Assert.True(MexicanStates.TryParse(e, out _), $"'{e}' is in the description but not accepted"));
    }
}
