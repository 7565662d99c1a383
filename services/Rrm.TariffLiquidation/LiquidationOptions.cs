using System.ComponentModel.DataAnnotations;

namespace Rrm.TariffLiquidation;

/// <summary>The Tariff-Liquidation service's settings (section "Liquidation").</summary>
public sealed class LiquidationOptions : IValidatableObject
{
    public const string SectionName = "Liquidation";

    /// <summary>
    /// Refuse entry numbers whose check digit is not the one CBP's formula gives (19 CFR 142.3a; CATAIR
    /// Appendix E; EntryNumber.CheckDigit and docs/domain-notes.md). On by default; false
    /// (<c>Liquidation__EnforceCheckDigit=false</c>) checks the XXX-NNNNNNN-N format only, for a customs system
    /// that sends numbers the formula refuses (docs/operations.md).
    /// </summary>
    public bool EnforceCheckDigit { get; set; } = true;

    /// <summary>
    /// How long a <c>RegisterEntries</c> stream may go without sending its next message (its first included) before
    /// it ends with DEADLINE_EXCEEDED and nothing of it is stored.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "must be from 1 second to 1 hour (e.g. 00:00:30)")]
    public TimeSpan EntryStreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a <c>RegisterEntries</c> stream may take to send all its messages before it ends with DEADLINE_EXCEEDED
    /// and nothing of it is stored. A load of 200,000 entries takes seconds (bench/README.md, "bulk entries").
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "must be from 1 second to 1 day (e.g. 00:10:00)")]
    public TimeSpan EntryStreamMaxDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// <c>RegisterEntries</c> streams one instance serves at once; another is refused with RESOURCE_EXHAUSTED. Each holds
    /// two database connections while it loads: 8 take 16 of Npgsql's default pool of 100 (Maximum Pool Size), leaving
    /// the rest to the gate and the other calls.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "must be from 1 to 1000")]
    public int MaxConcurrentEntryStreams { get; set; } = 8;

    /// <summary>
    /// How often each replica's entry gate checks its orders against the instruction ledger's last sequence (besides
    /// reloading on each notification of a new instruction), and confirms it is current (docs/adr/0011).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "must be from 50 ms to 1 minute (e.g. 00:00:01)")]
    public TimeSpan GateCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How old a replica's last confirmation that its orders are current may be before its entry gate answers UNAVAILABLE
    /// and its readiness goes NOT_SERVING (a confirmation is also lost at once when its connection to the ledger fails).
    /// Longer than <see cref="GateCheckInterval"/>; 3 of them by default, so a slow check or two do not take it out of service.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "must be from 100 ms to 10 minutes (e.g. 00:00:03)")]
    public TimeSpan GateMaxStaleness { get; set; } = TimeSpan.FromSeconds(3);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (GateMaxStaleness <= GateCheckInterval)
            yield return new ValidationResult($"must be longer than GateCheckInterval ({GateCheckInterval})", [nameof(GateMaxStaleness)]);
        if (EntryStreamIdleTimeout > EntryStreamMaxDuration)
            yield return new ValidationResult($"must not be longer than EntryStreamMaxDuration ({EntryStreamMaxDuration})", [nameof(EntryStreamIdleTimeout)]);
    }
}
