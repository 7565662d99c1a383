using Rrm.Grpc.Liquidation.V1;
using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.Board.Tests;

/// <summary>The customs instruction ledger read through gRPC as Treasury, to compare the pages with.</summary>
internal static class Ledger
{
    /// <summary>
    /// The Impro case's suspension and resumption instructions, once the Liquidation service has issued both (it does
    /// so from the Review service's events, a moment after the acts).
    /// </summary>
    public static async Task<(CustomsInstruction Suspend, CustomsInstruction Resume)> ImproInstructionsAsync(this BoardSuite suite, string caseId)
    {
        var treasury = Tokens.For(Roles.TreasuryOfficer);
        var issued = await Eventually.GetAsync(
            async () => (await suite.Instructions.ListInstructionsAsync(new() { CaseId = caseId, PageSize = 1000 }, treasury)).Instructions.ToList(),
            found => found.Any(i => i.Kind == InstructionKind.LiquidationResume), what: "the Impro case's resumption instruction");
        return (issued.Single(i => i.Kind == InstructionKind.LiquidationSuspend), issued.Single(i => i.Kind == InstructionKind.LiquidationResume));
    }
}
