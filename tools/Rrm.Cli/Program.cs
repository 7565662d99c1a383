using System.CommandLine;
using Rrm.Cli;

var root = new RootCommand("""
    rrm — the Rrm.Services client for ILC analysts, USTR and Treasury officers, notification administrators and auditors.
    Text by default, proto3 JSON with --json; every request can also come from a JSON file (--file).
    Exit codes: 0 done; 64 bad input to the client; 65 the service refused the input; 67 not found;
    69 a service unavailable or too slow; 77 not signed in or not allowed; 1 anything else.
    """)
{
    FacilityCommands.Create(),
    PetitionCommands.Create(),
    ReviewCommands.Create(),
    LiquidationCommands.Create(),
    NotificationCommands.Create(),
    TokenCommand.Create(),
};
foreach (var option in CliContext.GlobalOptions) root.Options.Add(option);
return await root.Parse(args).InvokeAsync();
