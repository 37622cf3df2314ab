using Imprint.Agent.Disk;

namespace Imprint.Agent.Plans;

/// <summary>
/// What the files a step names looked like before it ran (inode, size, modification time), to tell afterwards whether
/// a failed step left them exactly as they were. A block device cannot be told this way (its writes leave no trace in
/// its metadata), so a step naming one is never reported unchanged.
/// </summary>
public sealed class DiskFileStates
{
    private readonly Dictionary<string, FileState?> _before;

    private DiskFileStates(Dictionary<string, FileState?> before) => _before = before;

    public static DiskFileStates Capture(IEnumerable<string> args)
    {
        var before = new Dictionary<string, FileState?>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            if (arg.StartsWith('-') || arg.Contains("://", StringComparison.Ordinal) || !(Path.IsPathRooted(arg) || File.Exists(arg)))
            {
                continue;
            }

            var path = Path.GetFullPath(arg);
            before[path] = StateOf(path);
        }

        return new DiskFileStates(before);
    }

    /// <summary>True when every named file is as before, null when a block device was named, false otherwise.</summary>
    public bool? Unchanged()
    {
        if (_before.Values.Any(s => s?.IsDevice == true))
        {
            return null;
        }

        return _before.All(pair => StateOf(pair.Key) == pair.Value);
    }

    private static FileState? StateOf(string path)
    {
        if (Statx.OfPath(path) is not { } info)
        {
            return null;
        }

        return info.IsBlockDevice
            ? new FileState(true, info.Inode, 0, 0)
            : new FileState(false, info.Inode, (long)info.Size, File.GetLastWriteTimeUtc(path).Ticks);
    }

    private sealed record FileState(bool IsDevice, ulong Inode, long Size, long ModifiedTicks);
}
