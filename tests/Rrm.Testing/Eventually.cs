namespace Rrm.Testing;

/// <summary>Waits for something asynchronous (a relay, a consumer) to become true, with a bound.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}; last value: {value}");
            await Task.Delay(50);
        }
    }

    /// <summary>Watches for <paramref name="window"/> that something stays false (e.g. nothing is delivered).</summary>
    public static async Task<T> StaysAsync<T>(Func<Task<T>> probe, Func<T, bool> holds, TimeSpan window)
    {
        var end = DateTime.UtcNow + window;
        T value;
        do
        {
            value = await probe();
            if (!holds(value)) return value;
            await Task.Delay(50);
        } while (DateTime.UtcNow < end);
        return value;
    }
}
