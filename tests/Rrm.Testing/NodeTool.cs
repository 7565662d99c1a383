using System.Diagnostics;

namespace Rrm.Testing;

/// <summary>Runs the repository's Node tools (tools/node; `./rrm test` installs their packages).</summary>
public static class NodeTool
{
    public static string Directory { get; } = Find();

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string script, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cancel.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {timeout}: {await error}");
        }
        return (process.ExitCode, await output, await error);
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var tools = Path.Combine(dir.FullName, "tools", "node");
            if (File.Exists(Path.Combine(tools, "package.json"))) return tools;
        }
        throw new DirectoryNotFoundException("tools/node was not found above " + AppContext.BaseDirectory);
    }
}
