namespace Rrm.Testing;

/// <summary>Runs the repository's Node tools (tools/node; `./rrm test` installs their packages).</summary>
public static class NodeTool
{
    public static string Directory { get; } = Path.Combine(Repository.Root, "tools", "node");

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string script, TimeSpan timeout, params string[] args) =>
        Command.RunAsync("node", [script, .. args], workingDirectory: Directory, timeout: timeout);
}
