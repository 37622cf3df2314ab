using System.Diagnostics;
using System.Globalization;
using System.Text;
using Imprint.Agent.Diagnostics;
using Imprint.Agent.Errors;
using Imprint.Agent.Tools;

namespace Imprint.Agent.Ext;

/// <summary>
/// One read-only <c>debugfs -f - 'image?offset=N'</c> process kept open for many rounds of commands. debugfs reads a
/// "-" command file from stdin line by line and, while sourcing a file, makes stdout and stderr unbuffered, so a batch
/// written to stdin followed by an end marker is answered completely once both streams show that marker. A fresh
/// process per round cost 4–8 ms (fork/exec plus opening the filesystem); a round here costs a pipe round trip.
/// The process sees the filesystem as it was when it opened it, so the owner (<see cref="GuestTree"/>) closes it
/// before anything writes the image. If we die, debugfs reads EOF on stdin and exits on its own.
/// </summary>
internal sealed class DebugfsSession : IDisposable
{
    private readonly Process _process;
    private readonly string _imagePath;
    private readonly long _offset;
    private bool _disposed;

    private DebugfsSession(Process process, string imagePath, long offset)
    {
        _process = process;
        _imagePath = imagePath;
        _offset = offset;
    }

    public static DebugfsSession Start(string imagePath, long offset)
    {
        var startInfo = new ProcessStartInfo(ToolRunner.Resolve("debugfs"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add("-f");
        startInfo.ArgumentList.Add("-");
        startInfo.ArgumentList.Add($"{imagePath}?offset={offset.ToString(CultureInfo.InvariantCulture)}");
        startInfo.Environment["LC_ALL"] = "C";
        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new ImprintException(ExitCode.ToolFailed, $"cannot run 'debugfs': {ex.Message}. Install it (Debian: make deps) and retry.", ex);
        }

        AgentTrace.ProcessStarted("debugfs -f - (session)");
        return new DebugfsSession(process, imagePath, offset);
    }

    /// <summary>Runs one batch; throws when the filesystem cannot be opened or debugfs went away.</summary>
    public async Task<IReadOnlyList<DebugfsReply>> RunAsync(IReadOnlyList<string> commands, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (commands.Count == 0)
        {
            return [];
        }

        var started = Stopwatch.GetTimestamp();
        var nonce = DebugfsRun.NewNonce();
        var end = DebugfsRun.Marker(nonce, commands.Count);
        using var registration = cancellationToken.Register(Kill);
        var stdoutTask = ReadUntilAsync(_process.StandardOutput, $"debugfs: {end}\n");
        var stderrTask = ReadUntilAsync(_process.StandardError, $"{end}\n");
        try
        {
            await _process.StandardInput.WriteAsync(DebugfsRun.Script(nonce, commands) + end + "\n").ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // debugfs exited; the readers report what it said.
        }

        var (stdout, stdoutComplete) = await stdoutTask.ConfigureAwait(false);
        var (stderr, stderrComplete) = await stderrTask.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        AgentTrace.DebugfsRound(commands.Count, started);
        if (!stdoutComplete || !stderrComplete)
        {
            // debugfs quits when it cannot open the filesystem: report that as the one-shot run does (a malformed image).
            DebugfsRun.Parse(stdout, stderr, nonce, commands, _imagePath, _offset, writable: false);
            throw new ImprintException(
                ExitCode.ToolFailed,
                $"debugfs on the ext filesystem at offset {_offset} of '{_imagePath}' stopped answering: {stderr.Trim()}");
        }

        return DebugfsRun.Parse(stdout, stderr, nonce, commands, _imagePath, _offset, writable: false);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            // EOF on stdin makes debugfs close the filesystem and exit. Not waited for: a read-only debugfs writes
            // nothing when it closes, so a write may start while it is still going away.
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            Kill();
        }

        _process.Dispose();
    }

    /// <summary>Reads until <paramref name="marker"/> ends the text read so far; false when the stream ended first.</summary>
    private static async Task<(string Text, bool Complete)> ReadUntilAsync(StreamReader reader, string marker)
    {
        var text = new StringBuilder();
        var buffer = new char[16384];
        while (true)
        {
            var read = await reader.ReadAsync(buffer).ConfigureAwait(false);
            if (read == 0)
            {
                return (text.ToString(), false);
            }

            text.Append(buffer, 0, read);

            // Nothing follows the end marker until the next batch is written, so it is always at the very end.
            if (text.Length >= marker.Length && EndsWith(text, marker))
            {
                text.Length -= marker.Length;
                return (text.ToString(), true);
            }
        }
    }

    private static bool EndsWith(StringBuilder text, string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (text[text.Length - value.Length + i] != value[i])
            {
                return false;
            }
        }

        return true;
    }

    private void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }
}
