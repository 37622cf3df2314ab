namespace Imprint.Agent.Disk;

/// <summary>Device and inode of a file: two paths with the same identity are the same file (hard links, bind mounts).</summary>
public readonly record struct FileIdentity(uint DevMajor, uint DevMinor, ulong Inode)
{
    public static FileIdentity? Of(string path) =>
        Statx.OfPath(path) is { } info ? From(info) : null;

    internal static FileIdentity From(Statx.Info info) => new(info.DevMajor, info.DevMinor, info.Inode);
}
