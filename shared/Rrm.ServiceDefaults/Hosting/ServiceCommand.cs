namespace Rrm.ServiceDefaults.Hosting;

/// <summary>
/// A command of one service's binary besides the common ones of <see cref="ServiceRunner"/> (e.g. Tariff-Liquidation's
/// <c>restore-fence</c>): registered as a singleton, run by name with the arguments after it, listed by <c>help</c>.
/// It runs without the host started, like <c>migrate</c>: only what it resolves itself is there.
/// </summary>
/// <param name="Usage">Its lines of <c>help</c>, the name first.</param>
public sealed record ServiceCommand(string Name, string Usage, Func<IServiceProvider, string[], CancellationToken, Task<int>> RunAsync);
