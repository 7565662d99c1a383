using System.Diagnostics;

namespace Rrm.Testing;

/// <summary>Runs a program to its end: its exit code, output and errors.</summary>
public static class Command
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, IEnumerable<string> args,
        string? input = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory ?? Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} could not be started");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        using var cancel = new CancellationTokenSource(limit);
        try { await process.WaitForExitAsync(cancel.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {limit}: {await error}");
        }
        return (process.ExitCode, await output, await error);
    }
}
