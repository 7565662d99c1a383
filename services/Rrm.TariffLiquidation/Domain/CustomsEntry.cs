namespace Rrm.TariffLiquidation.Domain;

/// <summary>
/// An entry of goods as the customs system reported it. Its hold status is derived from the orders; the only
/// change after registration is the report of its liquidation.
/// </summary>
public sealed class CustomsEntry
{
    public string EntryNumber { get; init; } = "";
    public string FilerCode { get; init; } = "";
    public string Importer { get; init; } = "";
    public string Mid { get; init; } = "";
    public string CountryOfOrigin { get; init; } = "";
    public DateOnly EntryDate { get; init; }
    public decimal EnteredValue { get; init; }
    public decimal EstimatedDuties { get; init; }
    public string TariffNumber { get; init; } = "";
    public bool UsmcaClaimed { get; init; }
    /// <summary>Estimated duties without the USMCA preference (HTSUS column 1 general rate), when reported: what a preference suspension charges.</summary>
    public decimal? DutiesWithoutPreference { get; init; }
    /// <summary>When customs liquidated it; null while unliquidated. Only unliquidated entries are held (19 U.S.C. 4692(a)).</summary>
    public DateOnly? LiquidatedOn { get; set; }
    public DateTimeOffset RegisteredAt { get; init; }
}

/// <summary>A facility the service knows from the Review service's events, by each of its MIDs.</summary>
public sealed class KnownMid
{
    public string Mid { get; set; } = "";
    public Guid? FacilityId { get; set; }
    public string FacilityName { get; set; } = "";
    /// <summary>Every MID of the facility, this one included.</summary>
    public List<string> FacilityMids { get; set; } = [];
}
