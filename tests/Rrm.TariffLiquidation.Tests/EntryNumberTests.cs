using Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Tests;

/// <summary>Entry numbers (19 CFR 142.3a; DOMAIN.md §5.3) and the instructions' dates.</summary>
public sealed class EntryNumberTests
{
    [Theory]
    [InlineData("123-4567890-1", "123-4567890-1")] // NNN
    [InlineData("a23-4567890-1", "A23-4567890-1")] // ANN, lower case accepted
    [InlineData("AB3-4567890-1", "AB3-4567890-1")] // AAN
    [InlineData("ABC45678901", "ABC-4567890-1")]   // AAA, without dashes
    [InlineData("A2C-4567890-1", "A2C-4567890-1")] // ANA
    [InlineData("1B3-4567890-1", "1B3-4567890-1")] // NAN
    [InlineData("12C-4567890-1", "12C-4567890-1")] // NNA
    [InlineData("1BC-4567890-1", "1BC-4567890-1")] // NAA
    [InlineData(" 001-0000000-0 ", "001-0000000-0")]
    public void Every_allowed_filer_code_pattern_is_accepted_and_normalized(string text, string normalized) =>
        Assert.Equal(normalized, EntryNumber.Normalize(text, enforceCheckDigit: false, out _));

    [Fact]
    public void Different_entry_numbers_never_share_a_key()
    {
        // The stream's duplicate detection rests on the key: two numbers with one key would lose an entry.
        var numbers = new[] { "A00-0000000-0", "100-0000000-0", "00A-0000000-0", "ZZZ-9999999-9", "999-9999999-9", "001-0000000-1", "001-0000001-0", "010-0000000-0" }
            .Concat(Enumerable.Range(0, 20_000).Select(i => $"{"ABCXYZ0189"[i % 10]}{"Q7"[i / 10 % 2]}{"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i / 20 % 36]}-{i * 7919 % 10_000_000:D7}-{i % 10}"))
            .Select(n => EntryNumber.Normalize(n, enforceCheckDigit: false, out _)!).Distinct().ToList();

        Assert.Equal(numbers.Count, numbers.Select(EntryNumber.Key).Distinct().Count());
    }

    [Theory]
    [InlineData("000-1234567-1", "001 to 999")]
    [InlineData("AB-1234567-1", "XXX-NNNNNNN-N")]
    [InlineData("ABCD-123456-1", "XXX-NNNNNNN-N")]
    [InlineData("ABC-123456-12", "XXX-NNNNNNN-N")]
    [InlineData("A_C-1234567-1", "letters and digits")]
    [InlineData("ABC-12345X7-1", "must be digits")]
    [InlineData("", "XXX-NNNNNNN-N")]
    public void Anything_else_is_refused_with_the_reason(string text, string reason)
    {
        Assert.Null(EntryNumber.Normalize(text, enforceCheckDigit: false, out var why));
        Assert.Contains(reason, why);
    }

    [Fact]
    public void The_candidate_check_digit_is_checked_only_when_enforced()
    {
        var digit = EntryNumber.CheckDigit.Compute("ABC-4567890-0");
        var right = $"ABC-4567890-{digit}";
        var wrong = $"ABC-4567890-{(digit + 1) % 10}";

        Assert.Equal(right, EntryNumber.Normalize(right, enforceCheckDigit: true, out _));
        Assert.Null(EntryNumber.Normalize(wrong, enforceCheckDigit: true, out var reason));
        Assert.Contains($"expected {digit}", reason);
        Assert.Equal(wrong, EntryNumber.Normalize(wrong, enforceCheckDigit: false, out _));
    }

    [Fact]
    public void Letters_of_the_filer_code_count_as_their_table_digits_in_the_candidate_formula() =>
        // A/J=1, B/K/S=2, C/L/T=3 (DOMAIN.md §5.3): "ABC" weighs as "123", "JKL" too.
        Assert.Equal(EntryNumber.CheckDigit.Compute("123-4567890-0"), EntryNumber.CheckDigit.Compute("ABC-4567890-0"));

    [Fact]
    public void A_resumption_gives_CBP_six_months_from_the_notice()
    {
        var facts = new CaseFacts(Guid.NewGuid(), 25, null, "Impro", ["MXIMPIND1250VIL"], false);
        var order = LiquidationOrder.Open(OrderKind.LiquidationSuspension, facts, new DateOnly(2024, 7, 26), "", null, "", DateTimeOffset.UtcNow);
        order.Lift(new DateOnly(2024, 9, 17));

        var resume = InstructionRecord.For(order, lifted: true, "", false, DateTimeOffset.UtcNow);

        Assert.Equal((InstructionKind.LiquidationResume, "liquidation.resume"), (resume.Kind, resume.RoutingKey));
        Assert.Equal(new DateOnly(2025, 3, 17), resume.LiquidateBy);
        Assert.False(order.Lift(new DateOnly(2024, 9, 18)));
    }
}
