namespace Imprint.Agent.Guest;

/// <summary>What a guest directory entry is, from the inode's type bits.</summary>
public enum GuestFileKind
{
    File,
    Directory,
    Symlink,
    /// <summary>Device node, FIFO or socket.</summary>
    Other,
}
