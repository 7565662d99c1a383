using System.Text.Json;

namespace Rrm.Testing;

/// <summary>
/// The rows of `./rrm chaos`'s table: each scenario appends one to .rrm/chaos/results.jsonl, and the script prints
/// them. Scenarios run shortened inside `./rrm test`, and at full length when RRM_CHAOS=full (`./rrm chaos`).
/// </summary>
public static class ChaosReport
{
    public static bool Full => Environment.GetEnvironmentVariable("RRM_CHAOS") == "full";

    /// <summary>The full-length value, or the shortened one inside `./rrm test`.</summary>
    public static T Pick<T>(T full, T shortened) => Full ? full : shortened;

    public sealed record Row(string Scenario, long Cases, string Faults, long Lost, long Duplicated, long Redelivered, string Notes);

    public static void Add(Row row)
    {
        var directory = Path.Combine(Repository.Root, ".rrm", "chaos");
        Directory.CreateDirectory(directory);
        lock (typeof(ChaosReport))
            File.AppendAllText(Path.Combine(directory, "results.jsonl"), JsonSerializer.Serialize(row) + "\n");
    }
}
