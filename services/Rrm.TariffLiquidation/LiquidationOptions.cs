namespace Rrm.TariffLiquidation;

/// <summary>The Tariff-Liquidation service's settings (section "Liquidation").</summary>
public sealed class LiquidationOptions
{
    public const string SectionName = "Liquidation";

    /// <summary>
    /// Refuse entry numbers whose check digit is not the one CBP's formula gives (19 CFR 142.3a; CATAIR
    /// Appendix E; EntryNumber.CheckDigit and docs/domain-notes.md). On by default; false
    /// (<c>Liquidation__EnforceCheckDigit=false</c>) checks the XXX-NNNNNNN-N format only, for a customs system
    /// that sends numbers the formula refuses (docs/operations.md).
    /// </summary>
    public bool EnforceCheckDigit { get; set; } = true;
}
