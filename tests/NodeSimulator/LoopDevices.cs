using System.Diagnostics;

namespace Imprint.Testing.NodeSimulator;

/// <summary>
/// Backs Block volumes with loop devices, so the agent meets a real block device (fixed size, BLKGETSIZE64, no rename
/// over it) as it does in a cluster. Needs root and /dev/loop-control; where attaching fails, Block volumes stay plain
/// files and <see cref="UnavailableReason"/> says why.
/// </summary>
internal static class LoopDevices
{
    private static readonly Lazy<string?> Probe = new(ProbeOnce);

    /// <summary>Null when loop devices can be attached here; else what losetup said.</summary>
    public static string? UnavailableReason => Probe.Value;

    /// <summary>Attaches <paramref name="file"/> to a free loop device and returns the device path.</summary>
    public static string Attach(string file, bool readOnly)
    {
        var (exit, output, error) = Run(readOnly ? ["--find", "--show", "--read-only", file] : ["--find", "--show", file]);
        if (exit != 0 || !output.StartsWith("/dev/loop", StringComparison.Ordinal))
            throw new IOException($"losetup --find --show {file} failed ({exit}): {error.Trim()}");
        return output.Trim();
    }

    /// <summary>Detaches a device (flushing its writes to the backing file).</summary>
    public static void Detach(string device) => Run(["--detach", device]);

    private static string? ProbeOnce()
    {
        if (!OperatingSystem.IsLinux())
            return "not Linux";
        var file = Path.Combine(Path.GetTempPath(), $"imprint-loop-probe-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
                stream.SetLength(1 << 20);
            var device = Attach(file, readOnly: true);
            Detach(device);
            return null;
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            return e.Message;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static (int Exit, string Output, string Error) Run(IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo("losetup") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") + ":/usr/sbin:/sbin";
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }
}
