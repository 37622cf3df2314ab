using System.Diagnostics;

namespace Imprint.Agent.Tests.Support;

/// <summary>
/// A separate process touching a disk: <c>qemu-io</c> holding an image open as a VM would, or the <c>imprint</c>
/// binary itself (locks are per process, so concurrency is only real across processes). Killed on dispose.
/// </summary>
public sealed class HeldProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private HeldProcess(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;

    public bool IsRunning => !_process.HasExited;

    /// <summary>The agent binary built next to the tests (the project reference copies it).</summary>
    public static string ImprintBinary => Path.Combine(AppContext.BaseDirectory, "imprint");

    public static HeldProcess Imprint(params string[] args) => new(ImprintBinary, args);

    /// <summary>
    /// <c>qemu-io</c> with the raw image open (read-write, or read-only with <paramref name="readOnly"/>) for ten
    /// minutes; returns once QEMU's lock on byte 100 is visible, so the image is really held.
    /// </summary>
    public static HeldProcess QemuIo(string image, bool readOnly)
    {
        var held = new HeldProcess("qemu-io", [.. readOnly ? new[] { "-r" } : [], "-f", "raw", "-c", "sleep 600000", image]);
        if (!FileLocks.WaitForLock(image, "READ", () => held.IsRunning, TimeSpan.FromSeconds(30)))
        {
            held.Dispose();
            throw new InvalidOperationException($"qemu-io did not lock '{image}': {held._stderr.Result}");
        }

        return held;
    }

    public void Stop() => Signal("STOP");

    public void Continue() => Signal("CONT");

    public async Task<(int Exit, string Stdout, string Stderr)> WaitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (_process.ExitCode, await _stdout, await _stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Signal("CONT");
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Signal(string name) => Sh.Run("kill", $"-{name}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
