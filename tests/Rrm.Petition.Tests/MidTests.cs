using Rrm.Petition.Domain;
using Rrm.ServiceDefaults.Reference;

namespace Rrm.Petition.Tests;

/// <summary>19 CFR Part 102, Appendix: the worked examples of DOMAIN.md §5.2 and our own edge cases.</summary>
public sealed class MidTests
{
    // DOMAIN.md §5.2 "Examples": the FedEx example, the rule-derived one and the illustrative Mexican facility.
    [Theory]
    [InlineData("Ozrock", "92 Alice Springs Road", "Melbourne", "AU", "AUOZR92MEL")]
    [InlineData("Amalgamated Plastics Corp.", "1215 Industrial Park", "Kowloon", "HK", "HKAMAPLA1215KOW")]
    [InlineData("Ejemplo Industrias Norte S.A. de C.V.", "Av. Industrial 1234", "Villa de Reyes", "MX", "MXEJEIND1234VIL")]
    public void The_worked_examples_give_their_MIDs(string name, string street, string city, string country, string mid) =>
        Assert.Equal(mid, Mid.Derive(name, street, city, country));

    [Fact]
    public void Mexico_is_the_default_country() =>
        Assert.Equal("MXEJEIND1234VIL", Mid.Derive("Ejemplo Industrias Norte S.A. de C.V.", "Av. Industrial 1234", "Villa de Reyes"));

    // Rule 3. The street is empty so the MID is country + name part + city part.
    [Theory]
    // the examples of §5.2 rule 3
    [InlineData("Amalgamated Plastics Corp.", "AMAPLA")]
    [InlineData("Bergstrom", "BER")]
    [InlineData("A.B.C. Company", "ABCCOM")]
    [InlineData("A B C Company", "ABCCOM")]
    [InlineData("O.A.S.I.S. Corp.", "OASCOR")]
    [InlineData("The Garment and Textiles Co.", "GARTEX")]
    [InlineData("Rawles-Aden Corp.", "RAWCOR")]
    [InlineData("20th Century Fox", "20TCEN")]
    [InlineData("Concept 2000", "CON200")]
    // one-word names, and words shorter than three characters
    [InlineData("Nemak", "NEM")]
    [InlineData("  nemak  ", "NEM")]
    [InlineData("Yu Ltd", "YULTD")]
    [InlineData("3M", "3M")]
    [InlineData("Fábrica-Nueva de Occidente", "FABDE")]
    // initials
    [InlineData("J. Smith Manufacturing", "JSMI")]
    [InlineData("A.B. C Company", "ABCCOM")]
    [InlineData("I.B.M. de México", "IBMDE")]
    // only the English words a, an, and, of, the are ignored, and only as whole words
    [InlineData("Theodore Industries", "THEIND")]
    [InlineData("Andromeda Ofertas", "ANDOFE")]
    [InlineData("Bank of America", "BANAME")]
    [InlineData("An Ode", "ODE")]
    [InlineData("A Tasty Bakery", "TASBAK")]
    [InlineData("THE OF AND Acme Tools", "ACMTOO")]
    [InlineData("Grupo de la Industria", "GRUDE")]
    // punctuation dropped, digits kept
    [InlineData("AT&T Mexico", "ATTMEX")]
    [InlineData("O'Brien's Parts", "OBRPAR")]
    [InlineData("Smith & Wesson", "SMIWES")]
    [InlineData("Grupo 7", "GRU7")]
    [InlineData("Impro Industries Mexico, S. de R.L. de C.V.", "IMPIND")]
    // accented and special letters transliterated
    [InlineData("Électricos Ñandú S.A.", "ELENAN")]
    [InlineData("Äußere Straße GmbH", "AUSSTR")]
    [InlineData("Łódź Øresund", "LODORE")]
    [InlineData("Ærø Đakovo", "AERDAK")]
    public void The_name_part_is_three_characters_of_each_of_the_first_two_words(string name, string expected) =>
        Assert.Equal("MX" + expected + "CIU", Mid.Derive(name, "", "Ciudad Juárez"));

    // Rule 4. "Acme Manufacturing" in Saltillo: MXACMMAN + address part + SAL.
    [Theory]
    // the examples of §5.2 rule 4
    [InlineData("12,34,56 Akasaka Road", "1234")]
    [InlineData("11455 Main Street Suite 9999", "1145")]
    [InlineData("7 12th Street", "7")]
    // the largest number on the line, whatever its position
    [InlineData("Calle Hidalgo 45 Int. 3", "45")]
    [InlineData("Nave 3, Carretera 57 km 1250", "1250")]
    [InlineData("Suite 9999, 2 Main Street", "9999")]
    [InlineData("Av. Juárez 0042", "42")]
    [InlineData("Parque Industrial 1.500, Nave 3", "1500")]
    [InlineData("Apartado Postal 87", "87")]
    // ordinals are part of the street's name
    [InlineData("1st Avenue 88", "88")]
    [InlineData("220 2nd Street", "220")]
    [InlineData("33rd Street 5", "5")]
    [InlineData("Calle 5a 320", "320")]
    [InlineData("5o Retorno 14", "14")]
    [InlineData("5º Retorno 14", "14")]
    [InlineData("5ª Privada 14", "14")]
    [InlineData("5° Piso, Torre 2", "2")]
    // a postal code on the same line is not the address number
    [InlineData("Av. Industrial 1234, C.P. 78000", "1234")]
    [InlineData("Blvd. Los Pinos 12, CP 25000", "12")]
    // no digits: no address part
    [InlineData("Calle Sin Número", "")]
    [InlineData("", "")]
    [InlineData("Calle 20 de Noviembre s/n", "20")]
    public void The_address_part_is_up_to_four_digits_of_the_largest_number(string street, string expected) =>
        Assert.Equal("MXACMMAN" + expected + "SAL", Mid.Derive("Acme Manufacturing", street, "Saltillo"));

    // Rule 5.
    [Theory]
    [InlineData("Villa de Reyes", "VIL")]
    [InlineData("San Luis Potosí", "SAN")]
    [InlineData("Ébano", "EBA")]
    [InlineData("Ñuu Savi", "NUU")]
    [InlineData("El", "EL")]
    [InlineData("3 Ríos", "RIO")]
    [InlineData("Cd. Acuña", "CDA")]
    [InlineData("  ciudad   obregón ", "CIU")]
    public void The_city_part_is_its_first_three_letters(string city, string expected) =>
        Assert.Equal("MXACMMAN100" + expected, Mid.Derive("Acme Manufacturing", "100 King St", city));

    // Rule 2: Canada uses a province code, never CA.
    [Theory]
    [InlineData("ON", "XO")]
    [InlineData("Ontario", "XO")]
    [InlineData(" ontario ", "XO")]
    [InlineData("QC", "XQ")]
    [InlineData("Québec", "XQ")]
    [InlineData("Quebec", "XQ")]
    [InlineData("AB", "XA")]
    [InlineData("Alberta", "XA")]
    [InlineData("BC", "XC")]
    [InlineData("British Columbia", "XC")]
    [InlineData("Colombie-Britannique", "XC")]
    [InlineData("MB", "XM")]
    [InlineData("NB", "XB")]
    [InlineData("Nouveau-Brunswick", "XB")]
    [InlineData("NL", "XW")]
    [InlineData("Newfoundland and Labrador", "XW")]
    [InlineData("Terre-Neuve-et-Labrador", "XW")]
    [InlineData("NT", "XT")]
    [InlineData("Territoires du Nord-Ouest", "XT")]
    [InlineData("NS", "XN")]
    [InlineData("Nouvelle-Écosse", "XN")]
    [InlineData("NU", "XV")]
    [InlineData("PE", "XP")]
    [InlineData("Prince Edward Island", "XP")]
    [InlineData("Île-du-Prince-Édouard", "XP")]
    [InlineData("SK", "XS")]
    [InlineData("YT", "XY")]
    [InlineData("Yukon", "XY")]
    public void Canada_uses_the_province_code(string province, string code) =>
        Assert.Equal(code + "ACMMAN100TOR", Mid.Derive("Acme Manufacturing", "100 King St", "Toronto", "CA", province));

    [Theory]
    [InlineData("us", "USACMMAN100TOR")]
    [InlineData(" Mx ", "MXACMMAN100TOR")]
    public void The_country_code_is_upper_cased(string country, string mid) =>
        Assert.Equal(mid, Mid.Derive("Acme Manufacturing", "100 King St", "Toronto", country));

    [Fact]
    public void A_province_outside_Canada_is_ignored() =>
        Assert.Equal("USACMMAN100BUF", Mid.Derive("Acme Manufacturing", "100 King St", "Buffalo", "US", "Ontario"));

    [Fact]
    public void An_MID_is_never_longer_than_fifteen_characters()
    {
        var mid = Mid.Derive("Maquiladora Internacional", "Boulevard 987654321", "Chihuahua");
        Assert.Equal("MXMAQINT9876CHI", mid);
        Assert.Equal(Mid.MaxLength, mid.Length);
        Assert.True(Mid.IsWellFormed(mid));
    }

    [Theory]
    [InlineData("Ozrock", "92 Alice Springs Road", "Melbourne", "AU", null)]
    [InlineData("Électricos Ñandú", "Calle 5ª 1.234", "Ébano", "MX", null)]
    [InlineData("A.B.C. Company", "", "Ñuu", "CA", "Québec")]
    [InlineData("Äußere-Straße GmbH", "12,34,56", "Köln", "de", null)]
    public void Every_derived_MID_is_well_formed(string name, string street, string city, string country, string? province) =>
        Assert.True(Mid.IsWellFormed(Mid.Derive(name, street, city, country, province)));

    [Theory]
    [InlineData("!!!", "", "Saltillo", "MX", null, "manufacturer_name")]
    [InlineData("", "", "Saltillo", "MX", null, "manufacturer_name")]
    [InlineData("The", "", "Saltillo", "MX", null, "manufacturer_name")]
    [InlineData("Завод", "", "Saltillo", "MX", null, "manufacturer_name")]
    [InlineData("Acme", "", "123", "MX", null, "city")]
    [InlineData("Acme", "", "", "MX", null, "city")]
    [InlineData("Acme", "", "Saltillo", "MEX", null, "country_code")]
    [InlineData("Acme", "", "Saltillo", "M", null, "country_code")]
    [InlineData("Acme", "", "Saltillo", "", null, "country_code")]
    [InlineData("Acme", "", "Saltillo", "M1", null, "country_code")]
    [InlineData("Acme", "", "Toronto", "CA", null, "canadian_province")]
    [InlineData("Acme", "", "Toronto", "CA", "", "canadian_province")]
    [InlineData("Acme", "", "Toronto", "CA", "Texas", "canadian_province")]
    [InlineData("Acme", "", "Toronto", "ca", "Toronto", "canadian_province")]
    public void What_cannot_be_derived_names_the_field(string name, string street, string city, string country, string? province, string field) =>
        Assert.Equal(field, Assert.Throws<ArgumentException>(() => Mid.Derive(name, street, city, country, province)).ParamName);

    [Theory]
    [InlineData("MXIMPIND1250VIL", true)]
    [InlineData("AUOZR92MEL", true)]
    [InlineData("XOACM", true)]
    [InlineData("MXA", true)]
    [InlineData("mximpind", false)]
    [InlineData("MX", false)]
    [InlineData("MXIMPIND1250VILL", false)]
    [InlineData("12ABC", false)]
    [InlineData("MX IMP", false)]
    [InlineData("MXIMPIND\n", false)]
    [InlineData("", false)]
    public void Well_formed_MIDs_are_recognised(string mid, bool wellFormed) => Assert.Equal(wellFormed, Mid.IsWellFormed(mid));

    // The folding behind the accent-insensitive matching above (and the facilities' duplicate keys).
    [Theory]
    [InlineData("Électricos Ñandú", "ELECTRICOS NANDU")]
    [InlineData("  San   Luis\tPotosí \n", "SAN LUIS POTOSI")]
    [InlineData("Straße Æble Øst Đurđevac Łódź", "STRASSE AEBLE OST DURDEVAC LODZ")]
    [InlineData("Cafe\u0301 Mu\u0308ller", "CAFE MULLER")]
    [InlineData("Querétaro", "QUERETARO")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    public void Folding_removes_accents_upper_cases_and_collapses_spaces(string text, string folded) =>
        Assert.Equal(folded, TextFolding.Fold(text));
}
