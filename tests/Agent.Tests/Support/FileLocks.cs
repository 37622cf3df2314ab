using System.Globalization;

namespace Imprint.Agent.Tests.Support;

/// <summary>
/// The kernel's own list of OFD locks on one file, read from /proc/locks (the oracle: independent of our lock code).
/// Each entry is (type READ/WRITE, first byte, last byte).
/// </summary>
public static class FileLocks
{
    public static IReadOnlyList<(string Type, long Start, long End)> Of(string path)
    {
        var found = new List<(string, long, long)>();
        if (Imprint.Agent.Disk.FileIdentity.Of(path) is not { } identity)
        {
            return found;
        }

        // /proc/locks names a file as MAJ:MIN:INODE with the device in hex; the device must match too, since another
        // filesystem (a tmpfs a concurrent test mounted) can hold a file with the same inode number.
        var name = string.Create(CultureInfo.InvariantCulture, $"{identity.DevMajor:x2}:{identity.DevMinor:x2}:{identity.Inode}");
        foreach (var line in File.ReadLines("/proc/locks"))
        {
            // "3: OFDLCK ADVISORY  READ -1 fe:00:11658447 100 101"
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 8 && fields[1] == "OFDLCK" && fields[5] == name)
            {
                found.Add((fields[3], long.Parse(fields[6], CultureInfo.InvariantCulture), fields[7] == "EOF" ? long.MaxValue : long.Parse(fields[7], CultureInfo.InvariantCulture)));
            }
        }

        return found;
    }

    /// <summary>Polls until some process holds a lock of <paramref name="type"/> covering byte 100 (QEMU's "consistent read").</summary>
    public static bool WaitForLock(string path, string type, Func<bool> stillRunning, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && stillRunning())
        {
            if (Of(path).Any(l => l.Type == type && l.Start <= 100 && l.End >= 100))
            {
                return true;
            }

            Thread.Sleep(5);
        }

        return false;
    }
}
