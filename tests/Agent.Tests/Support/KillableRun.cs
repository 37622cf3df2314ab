using System.Diagnostics;
using System.Globalization;

namespace Imprint.Agent.Tests.Support;

/// <summary>
/// Runs the real <c>imprint</c> executable (the apphost next to the tests) as its own process group, the way a pod's
/// container holds the agent and the e2fsprogs tools it starts, so a test can stop the whole group like the kubelet
/// does: SIGKILL to every process at once, or SIGTERM to the agent alone (the pod's grace period).
/// </summary>
public sealed class KillableRun : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private KillableRun(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int ProcessGroup => _process.Id;

    /// <summary>Starts <c>imprint ARGS</c> under setsid, so its pid is also its process group id.</summary>
    public static KillableRun Start(params string[] args)
    {
        var startInfo = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "imprint"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        return new KillableRun(Process.Start(startInfo)!);
    }

    /// <summary>Runs to the end without interruption; returns exit code, stdout and stderr.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr, TimeSpan Elapsed)> RunAsync(params string[] args)
    {
        var stopwatch = Stopwatch.StartNew();
        using var run = Start(args);
        var (exit, stdout, stderr) = await run.WaitAsync();
        return (exit, stdout, stderr, stopwatch.Elapsed);
    }

    /// <summary>
    /// Waits until a process named <paramref name="tool"/> (with <paramref name="argument"/> among its arguments, when
    /// given) runs in this group; false when the group ended first or the timeout passed.
    /// </summary>
    public async Task<bool> WaitForToolAsync(string tool, string? argument, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (GroupMembers().Any(m => m.Name == tool && (argument is null || Arguments(m.Pid).Contains(argument))))
            {
                return true;
            }

            if (_process.HasExited)
            {
                return false;
            }

            await Task.Delay(2);
        }

        return false;
    }

    /// <summary>SIGKILL to every process of the group (a pod killed after its grace period, or an OOM kill of the pod).</summary>
    public void KillGroup() => Signal("-KILL", "-" + ProcessGroup.ToString(CultureInfo.InvariantCulture));

    /// <summary>SIGTERM to the agent only, as the kubelet does first; the agent's own children are its business.</summary>
    public void Terminate() => Signal("-TERM", ProcessGroup.ToString(CultureInfo.InvariantCulture));

    /// <summary>Waits for the agent to exit and for every process of its group to be gone (no tool left writing).</summary>
    public async Task<(int Exit, string Stdout, string Stderr)> WaitAsync()
    {
        await _process.WaitForExitAsync();
        while (GroupMembers().Count > 0)
        {
            await Task.Delay(10);
        }

        return (_process.ExitCode, await _stdout, await _stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillGroup();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static string[] Arguments(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        }
        catch (IOException)
        {
            return [];
        }
    }

    private List<(int Pid, string Name)> GroupMembers()
    {
        var members = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // pid (comm) state ppid pgrp ...; comm may hold spaces, so parse after the last ')'.
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            if (fields[0] != "Z" && int.Parse(fields[2], CultureInfo.InvariantCulture) == ProcessGroup)
            {
                members.Add((pid, stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..close]));
            }
        }

        return members;
    }

    private static void Signal(string signal, string target)
    {
        // kill(1) rather than P/Invoke: one fork per kill point costs nothing next to the command it stops.
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { signal, "--", target }, UseShellExecute = false, RedirectStandardError = true })!;
        kill.WaitForExit();
    }
}
