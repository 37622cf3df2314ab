using System.Diagnostics;
using System.Text;
using Imprint.Agent.Diagnostics;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Tools;

/// <summary>
/// Runs external tools with an argument vector (never a shell string), optional stdin, and captured output.
/// Arguments are passed as a list so no value is ever interpreted by a shell.
/// </summary>
public static class ToolRunner
{
    /// <summary>Runs <paramref name="tool"/>; throws <see cref="ToolFailedException"/> on a non-zero exit unless
    /// <paramref name="acceptedExitStatuses"/> lists it.</summary>
    public static async Task<ToolResult> RunAsync(
        string tool,
        IEnumerable<string> arguments,
        string? standardInput = null,
        IReadOnlyCollection<int>? acceptedExitStatuses = null,
        Action<string>? onStandardOutputLine = null,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(Resolve(tool))
        {
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Tools must print in a stable language so their output can be parsed.
        startInfo.Environment["LC_ALL"] = "C";
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                startInfo.Environment[key] = value;
            }
        }

        using var process = new Process { StartInfo = startInfo };
        var started = Stopwatch.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ImprintException(
                ExitCode.ToolFailed,
                $"cannot run '{tool}': {ex.Message}. Install it (Debian: make deps) and retry.",
                ex);
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var stdoutTask = PumpAsync(process.StandardOutput, stdout, onStandardOutputLine);
        var stderrTask = PumpAsync(process.StandardError, stderr, null);
        if (standardInput is not null)
        {
            try
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The tool exited before reading all input; its exit status tells what happened.
            }
        }

        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            throw;
        }

        await Task.WhenAll(stdoutTask, stderrTask).ConfigureAwait(false);
        // IMPRINT_TRACE=1 shows where time goes: every tool run with its duration (never its stdin, which may hold secrets).
        AgentTrace.ToolRan(tool, AgentTrace.Enabled ? string.Join(' ', startInfo.ArgumentList.Take(3)) : string.Empty, process.ExitCode, started);

        var result = new ToolResult(process.ExitCode, stdout.ToString(), stderr.ToString());
        if (result.ExitStatus != 0 && (acceptedExitStatuses is null || !acceptedExitStatuses.Contains(result.ExitStatus)))
        {
            throw new ToolFailedException(tool, result.ExitStatus, result.StandardError.Length > 0 ? result.StandardError : result.StandardOutput);
        }

        return result;
    }

    /// <summary>True when <paramref name="tool"/> can be found on PATH or in the sbin folders.</summary>
    public static bool IsAvailable(string tool) => Resolve(tool) != tool || File.Exists(tool);

    /// <summary>Finds a tool on PATH, then in /usr/sbin and /sbin (e2fsprogs live there and non-root PATHs often lack them).</summary>
    public static string Resolve(string tool)
    {
        if (tool.Contains('/', StringComparison.Ordinal))
        {
            return tool;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return tool;
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder sink, Action<string>? onLine)
    {
        if (onLine is null)
        {
            sink.Append(await reader.ReadToEndAsync().ConfigureAwait(false));
            return;
        }

        // qemu-img -p separates progress updates with '\r', so split on both CR and LF.
        var buffer = new char[4096];
        var line = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            sink.Append(buffer, 0, read);
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (c is '\r' or '\n')
                {
                    if (line.Length > 0)
                    {
                        onLine(line.ToString());
                        line.Clear();
                    }
                }
                else
                {
                    line.Append(c);
                }
            }
        }

        if (line.Length > 0)
        {
            onLine(line.ToString());
        }
    }
}
