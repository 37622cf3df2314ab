using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Transfer;

/// <summary>
/// A real block device for the "write into an existing device" paths: a loop device over a file pre-filled with a
/// non-zero pattern (a device's old contents are unknown; holes must end up as zeros). Needs root, as CI has.
/// </summary>
public sealed class LoopDevice : IDisposable
{
    private readonly string _backing;

    public LoopDevice(string backing, long bytes)
    {
        _backing = backing;
        using (var file = new FileStream(backing, FileMode.CreateNew, FileAccess.Write))
        {
            var pattern = new byte[1024 * 1024];
            Array.Fill(pattern, (byte)0xAB);
            for (long done = 0; done < bytes; done += pattern.Length)
            {
                file.Write(pattern, 0, (int)Math.Min(pattern.Length, bytes - done));
            }
        }

        Path = Sh.Run("losetup", "--find", "--show", backing).Trim();
    }

    public string Path { get; }

    public void Dispose()
    {
        Sh.RunResult("losetup", ["--detach", Path], accept: [0, 1]);
        File.Delete(_backing);
    }
}
