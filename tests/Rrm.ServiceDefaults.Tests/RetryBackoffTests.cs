using Rrm.ServiceDefaults.Hosting;

namespace Rrm.ServiceDefaults.Tests;

/// <summary>The wait before the next attempt of an outbox row, a deadline or a notification.</summary>
public sealed class RetryBackoffTests
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(5, 32)]
    [InlineData(9, 300)] // 512 s, capped
    [InlineData(1000, 300)]
    public void The_wait_doubles_from_the_first_up_to_the_maximum_within_20_percent(int attempts, double seconds)
    {
        for (var i = 0; i < 100; i++)
        {
            var delay = RetryBackoff.Delay(attempts, First, Max).TotalSeconds;
            Assert.InRange(delay, seconds * 0.8, seconds * 1.2);
        }
    }

    [Fact]
    public void Rows_that_failed_together_come_due_apart()
    {
        var delays = Enumerable.Range(0, 20).Select(_ => RetryBackoff.Delay(3, First, Max)).Distinct().Count();
        Assert.True(delays > 1);
    }
}
