using System.Diagnostics;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Formats;

/// <summary>
/// A named pipe that tells whether anything opened it. A shell waits to open it for writing, which returns only once
/// some process opens it for reading (blocking or not), then says so and keeps opening and closing it, so a reader
/// that does open it reads end-of-file at once and a test never hangs on it.
/// </summary>
public sealed class FifoWatch : IDisposable
{
    private readonly Process _writer;
    private readonly Task<string?> _firstLine;

    public FifoWatch(string path)
    {
        Path = path;
        Sh.Run("mkfifo", path);
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-c", "exec 3>\"$1\"; echo opened; exec 3>&-; while exec 3>\"$1\"; do exec 3>&-; done", "fifo-watch", path })
        {
            start.ArgumentList.Add(arg);
        }

        _writer = Process.Start(start) ?? throw new InvalidOperationException("cannot start bash");
        _firstLine = _writer.StandardOutput.ReadLineAsync();
    }

    public string Path { get; }

    /// <summary>True once any process has opened the pipe.</summary>
    public bool WasOpened => _firstLine.Wait(TimeSpan.FromMilliseconds(300)) && _firstLine.Result == "opened";

    public void Dispose()
    {
        if (!_writer.HasExited)
        {
            _writer.Kill();
            _writer.WaitForExit();
        }

        _writer.Dispose();
        File.Delete(Path);
    }
}
