using Rrm.Grpc.Liquidation.V1;

namespace Rrm.Board;

/// <summary>What the pages say about a customs instruction beyond its kind, in one place (the feed and a case's list).</summary>
public static class InstructionView
{
    public static IEnumerable<string> Details(CustomsInstruction i)
    {
        if (!string.IsNullOrEmpty(i.RemedyDescription)) yield return i.RemedyDescription;
        if (i.Replayed) yield return "replayed history";
        if (i.Kind == InstructionKind.LedgerRestored) yield return $"restored through sequence {i.RestoredThroughSequence}";
    }
}
