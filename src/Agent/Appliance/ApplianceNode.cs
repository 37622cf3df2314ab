using Imprint.Agent.Guest;

namespace Imprint.Agent.Appliance;

/// <summary>
/// One guest inode as the view knows it. <see cref="Live"/>: it exists in the guest now (possibly with metadata a
/// planned edit changed); false for what a planned batch creates. <see cref="NewContent"/> is set when a planned write
/// gave it content.
/// </summary>
internal sealed record ApplianceNode(GuestFileKind Kind, int Mode, uint Uid, uint Gid, long Size, string? LinkTarget, long Inode, bool Live)
{
    public GuestFileContent? NewContent { get; init; }

    public static ApplianceNode FromStat(ApplianceStat stat, string? linkTarget) => new(
        stat.IsDirectory ? GuestFileKind.Directory : stat.IsRegularFile ? GuestFileKind.File : stat.IsSymlink ? GuestFileKind.Symlink : GuestFileKind.Other,
        stat.Permissions,
        stat.Uid,
        stat.Gid,
        stat.Size,
        linkTarget,
        stat.Inode,
        Live: true);

    public GuestFileStat ToStat(string path) => new(path, Kind, Mode, Uid, Gid, Size, Kind == GuestFileKind.Symlink ? LinkTarget : null, (uint)Inode);
}
