namespace Imprint.Agent.Appliance;

/// <summary>What <c>lstatns</c> reported about a guest path: the full <c>st_mode</c> (type and permission bits), owner, size, inode.</summary>
public sealed record ApplianceStat(int Mode, uint Uid, uint Gid, long Size, long Inode)
{
    private const int TypeMask = 0xF000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    public bool IsRegularFile => (Mode & TypeMask) == 0x8000;

    public bool IsSymlink => (Mode & TypeMask) == 0xA000;

    /// <summary>The permission bits including setuid/setgid/sticky (07777).</summary>
    public int Permissions => Mode & 0xFFF;

    internal static ApplianceStat From(in GuestfsNative.StatNs stat) =>
        new((int)stat.Mode, (uint)stat.Uid, (uint)stat.Gid, stat.Size, stat.Ino);
}
