using Rrm.Review.Application;

namespace Rrm.Review.Tests;

/// <summary>Invocation numbers: USTR's ordinals where announced, computed numbers around them, years as USTR counts them.</summary>
public sealed class InvocationNumberTests
{
    private static Invocations.Request R(string id, int y, int m, int d, int? ordinal = null) =>
        new(Guid.Parse($"00000000-0000-0000-0000-{id.PadLeft(12, '0')}"), new DateOnly(y, m, d), null, ordinal);

    private static Invocations.Numbers Of(Dictionary<Guid, Invocations.Numbers> numbers, string id) =>
        numbers[Guid.Parse($"00000000-0000-0000-0000-{id.PadLeft(12, '0')}")];

    [Fact]
    public void Computed_numbers_fill_the_gaps_of_the_record_and_continue_after_the_highest_announced_one()
    {
        var numbers = Invocations.Number([
            R("1", 2021, 5, 12, 1), R("2", 2021, 6, 9, 2), R("3", 2022, 5, 18), R("5", 2022, 7, 20, 5), R("7", 2023, 3, 6, 7), R("8", 2023, 3, 20)]);

        Assert.Equal((1, true), (Of(numbers, "1").Number, Of(numbers, "1").NumberIsUstrs));
        Assert.Equal((3, false), (Of(numbers, "3").Number, Of(numbers, "3").NumberIsUstrs)); // the 4th is missing from the record
        Assert.Equal((5, true), (Of(numbers, "5").Number, Of(numbers, "5").NumberIsUstrs));
        Assert.Equal((8, false), (Of(numbers, "8").Number, Of(numbers, "8").NumberIsUstrs));
        // 2023 counted as USTR counts: after the 5th of 2022, the 7th is the second of 2023 although the 6th is unknown.
        Assert.Equal(2, Of(numbers, "7").NumberInYear);
        Assert.Equal(3, Of(numbers, "8").NumberInYear);
    }

    [Fact]
    public void The_Impro_request_after_the_24th_is_the_25th_and_the_7th_of_2024_when_the_2023_record_ends_at_the_18th()
    {
        var numbers = Invocations.Number([R("18", 2023, 12, 13, 18), R("19", 2024, 1, 18, 19), R("24", 2024, 6, 24, 24), R("25", 2024, 7, 25)]);

        Assert.Equal((25, 7, 2024, false), (Of(numbers, "25").Number, Of(numbers, "25").NumberInYear, Of(numbers, "25").Year, Of(numbers, "25").NumberIsUstrs));
        Assert.Equal(1, Of(numbers, "19").NumberInYear);
    }
}
