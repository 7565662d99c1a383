using System.CommandLine;
using Rrm.Cli;

var root = new RootCommand("rrm — the Rrm.Services client for ILC analysts, USTR and Treasury officers, and auditors.")
{
    FacilityCommands.Create(),
    PetitionCommands.Create(),
};
foreach (var option in CliContext.GlobalOptions) root.Options.Add(option);
return await root.Parse(args).InvokeAsync();
