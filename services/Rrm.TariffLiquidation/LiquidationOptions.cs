namespace Rrm.TariffLiquidation;

/// <summary>The Tariff-Liquidation service's settings (section "Liquidation").</summary>
public sealed class LiquidationOptions
{
    public const string SectionName = "Liquidation";

    /// <summary>
    /// Check entry numbers' check digits with the candidate modulus-10 formula. Off by default: CBP's formula
    /// (CATAIR Appendix E) is not confirmed, so only the format is checked (DOMAIN.md §5.3).
    /// </summary>
    public bool EnforceCheckDigit { get; set; }
}
