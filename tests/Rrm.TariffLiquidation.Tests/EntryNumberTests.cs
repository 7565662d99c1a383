using Rrm.TariffLiquidation.Domain;

namespace Rrm.TariffLiquidation.Tests;

/// <summary>Entry numbers (19 CFR 142.3a; DOMAIN.md §5.3; docs/domain-notes.md) and the instructions' dates.</summary>
public sealed class EntryNumberTests
{
    [Theory]
    [InlineData("123-4567890-3", "123-4567890-3")] // NNN
    [InlineData("a23-4567890-3", "A23-4567890-3")] // ANN, lower case accepted
    [InlineData("AB3-4567890-3", "AB3-4567890-3")] // AAN
    [InlineData("ABC45678903", "ABC-4567890-3")]   // AAA, without dashes
    [InlineData("A2C-4567890-3", "A2C-4567890-3")] // ANA
    [InlineData("1B3-4567890-3", "1B3-4567890-3")] // NAN
    [InlineData("12C-4567890-3", "12C-4567890-3")] // NNA
    [InlineData("1BC-4567890-3", "1BC-4567890-3")] // NAA
    [InlineData(" 001-0000000-9 ", "001-0000000-9")]
    public void Every_allowed_filer_code_pattern_is_accepted_and_normalized(string text, string normalized)
    {
        Assert.Equal(normalized, EntryNumber.Normalize(text, enforceCheckDigit: true, out _));
        Assert.Equal(normalized, EntryNumber.Normalize(text, enforceCheckDigit: false, out _));
    }

    [Fact]
    public void Different_entry_numbers_never_share_a_key()
    {
        // The stream's duplicate detection rests on the key: two numbers with one key would lose an entry.
        // Any last digit, so the format-only mode (Liquidation__EnforceCheckDigit=false) is covered too.
        var numbers = new[] { "A00-0000000-0", "100-0000000-0", "00A-0000000-0", "ZZZ-9999999-9", "999-9999999-9", "001-0000000-1", "001-0000001-0", "010-0000000-0" }
            .Concat(Enumerable.Range(0, 20_000).Select(i => $"{"ABCXYZ0189"[i % 10]}{"Q7"[i / 10 % 2]}{"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i / 20 % 36]}-{i * 7919 % 10_000_000:D7}-{i % 10}"))
            .Select(n => EntryNumber.Normalize(n, enforceCheckDigit: false, out _)!).Distinct().ToList();

        Assert.Equal(numbers.Count, numbers.Select(EntryNumber.Key).Distinct().Count());
    }

    [Theory]
    [InlineData("000-1234567-4", "001 to 999")]
    [InlineData("AB-1234567-1", "XXX-NNNNNNN-N")]
    [InlineData("ABCD-123456-1", "XXX-NNNNNNN-N")]
    [InlineData("ABC-123456-12", "XXX-NNNNNNN-N")]
    [InlineData("A_C-1234567-1", "letters and digits")]
    [InlineData("ABC-12345X7-1", "must be digits")]
    [InlineData("", "XXX-NNNNNNN-N")]
    public void Anything_else_is_refused_with_the_reason(string text, string reason)
    {
        Assert.Null(EntryNumber.Normalize(text, enforceCheckDigit: true, out var why));
        Assert.Contains(reason, why);
        Assert.Null(EntryNumber.Normalize(text, enforceCheckDigit: false, out why));
        Assert.Contains(reason, why);
    }

    /// <summary>
    /// Entry numbers with their check digits from public sources (docs/domain-notes.md, "Entry number check digit"):
    /// MZ5-… are the test vectors of a customs broker's calculator ("existing check digit calculations"),
    /// github.com/daisykucharski/CheckDigitCalculator, java-version/test/CalculatorTest.java; B76-0324527-8 is
    /// given as CATAIR Appendix E's worked example by a third-party ABI implementation (not read in CBP's text).
    /// </summary>
    [Theory]
    [InlineData("MZ5-0100857-4")]
    [InlineData("MZ5-0100858-2")]
    [InlineData("MZ5-0100859-0")]
    [InlineData("MZ5-0100861-6")]
    [InlineData("MZ5-0100862-4")]
    [InlineData("MZ5-0100863-2")]
    [InlineData("MZ5-0100864-0")]
    [InlineData("MZ5-0100865-7")]
    [InlineData("MZ5-0100866-5")]
    [InlineData("MZ5-0100867-3")]
    [InlineData("MZ5-0100868-1")]
    [InlineData("MZ5-0100869-9")]
    [InlineData("MZ5-0100870-7")]
    [InlineData("B76-0324527-8")]
    public void Published_entry_numbers_have_the_check_digit_the_formula_gives(string number)
    {
        Assert.Equal(number[^1] - '0', EntryNumber.CheckDigit.Compute(number));
        Assert.Equal(number, EntryNumber.Normalize(number, enforceCheckDigit: true, out _));
        Assert.Equal(number, EntryNumber.Create(number[..3], int.Parse(number[4..11])));
    }

    [Theory]
    [InlineData("MZ5-0100857-4")]
    [InlineData("ABC-1234567-6")]
    [InlineData("001-0000000-9")]
    [InlineData("ZZZ-9999999-0")]
    public void Every_other_last_digit_is_refused_with_the_expected_one_unless_only_the_format_is_checked(string right)
    {
        foreach (var wrong in Enumerable.Range(0, 10).Where(d => d != right[^1] - '0').Select(d => $"{right[..^1]}{d}"))
        {
            Assert.Null(EntryNumber.Normalize(wrong, enforceCheckDigit: true, out var reason));
            Assert.Contains($"expected {right[^1]}", reason);
            Assert.Null(EntryNumber.Normalize(wrong.Replace("-", "").ToLowerInvariant(), enforceCheckDigit: true, out _));
            Assert.Equal(wrong, EntryNumber.Normalize(wrong, enforceCheckDigit: false, out _));
        }
    }

    [Fact]
    public void One_mistyped_digit_of_the_number_changes_the_check_digit()
    {
        // The point of a doubled-alternate modulus-10 digit: any single wrong digit is caught.
        for (var n = 0; n < 10_000_000; n += 7_919)
        {
            var number = EntryNumber.Create("MZ5", n);
            for (var position = 4; position < 11; position++)
                foreach (var typo in "0123456789".Where(d => d != number[position]))
                {
                    var mistyped = string.Concat(number.AsSpan(0, position), typo.ToString(), number.AsSpan(position + 1));
                    Assert.Null(EntryNumber.Normalize(mistyped, enforceCheckDigit: true, out _));
                }
        }
    }

    [Theory]
    [InlineData("ABC", "123")] // A–I: 1–9
    [InlineData("JKL", "123")] // J–R: 1–9
    [InlineData("IRZ", "999")]
    [InlineData("STU", "234")] // S–Z: 2–9 (S is 2, not 1)
    [InlineData("XYZ", "789")]
    [InlineData("MZ5", "495")]
    public void Letters_of_the_filer_code_count_as_the_digits_of_CBPs_table(string letters, string digits)
    {
        Assert.Equal(digits, string.Concat(letters.Select(c => EntryNumber.CheckDigit.ValueOf(c))));
        Assert.Equal(EntryNumber.CheckDigit.Compute($"{digits}-4567890"), EntryNumber.CheckDigit.Compute($"{letters}-4567890"));
    }

    [Fact]
    public void A_resumption_gives_CBP_six_months_from_the_notice()
    {
        var facts = new CaseFacts(Guid.NewGuid(), 25, null, "Impro", ["MXIMPIND1250VIL"], false);
        var order = LiquidationOrder.Open(OrderKind.LiquidationSuspension, facts, new DateOnly(2024, 7, 26), "", null, "", DateTimeOffset.UtcNow);
        order.Lift(new DateOnly(2024, 9, 17));

        var resume = CustomsInstructions.Ending(order, replayed: false, DateTimeOffset.UtcNow);

        Assert.Equal((InstructionKind.LiquidationResume, "liquidation.resume"), (resume.Kind, resume.RoutingKey));
        Assert.Equal(new DateOnly(2025, 3, 17), resume.LiquidateBy);
        Assert.False(order.Lift(new DateOnly(2024, 9, 18)));
    }
}
