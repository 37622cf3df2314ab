using Imprint.Agent.Guest;

namespace Imprint.Agent.Ext;

/// <summary>
/// An inode as a directory listing shows it, or a node an edit batch creates (<see cref="Inode"/> 0 until debugfs runs).
/// <see cref="TypeAndMode"/> is the full <c>i_mode</c>; new nodes may carry their content or link target.
/// </summary>
internal sealed record GuestNode(uint Inode, int TypeAndMode, uint Uid, uint Gid, long Size)
{
    public const int TypeMask = 0xF000;
    public const int RegularType = 0x8000;
    public const int DirectoryType = 0x4000;
    public const int SymlinkType = 0xA000;
    public const int PermissionMask = 0xFFF;

    public GuestFileKind Kind => (TypeAndMode & TypeMask) switch
    {
        RegularType => GuestFileKind.File,
        DirectoryType => GuestFileKind.Directory,
        SymlinkType => GuestFileKind.Symlink,
        _ => GuestFileKind.Other,
    };

    public int Mode => TypeAndMode & PermissionMask;

    public bool IsReal => Inode != 0;

    /// <summary>Content of a file written earlier in the same batch.</summary>
    public GuestFileContent? NewContent { get; init; }

    /// <summary>Target of a symlink created earlier in the same batch.</summary>
    public string? NewLinkTarget { get; init; }

    /// <summary>The on-disk inode whose extended attributes a rewritten file must carry over (0: none).</summary>
    public uint XattrSource { get; init; }
}
