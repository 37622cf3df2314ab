using System.Diagnostics;

namespace Imprint.Agent.Tests.Fuzz;

/// <summary>Runs the real <c>imprint</c> executable built beside the tests, as a Job would, with a hard time limit.</summary>
public static class ImprintProcess
{
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "imprint");

    /// <summary>Exit code and stderr; a run past <paramref name="timeout"/> is killed and reported as exit -1.</summary>
    public static async Task<(int Exit, string Stderr)> RunAsync(IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"no exit within {timeout.TotalSeconds} s (hang)\n{await stderr}");
        }

        await stdout;
        return (process.ExitCode, await stderr);
    }
}
