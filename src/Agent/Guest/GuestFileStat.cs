namespace Imprint.Agent.Guest;

/// <summary>
/// Metadata of one guest file. <see cref="Mode"/> holds the permission bits including setuid/setgid/sticky
/// (<c>07777</c>), never the type bits; <see cref="SymlinkTarget"/> is set for symlinks only.
/// </summary>
public sealed record GuestFileStat(
    string Path,
    GuestFileKind Kind,
    int Mode,
    uint Uid,
    uint Gid,
    long Size,
    string? SymlinkTarget,
    uint Inode);
