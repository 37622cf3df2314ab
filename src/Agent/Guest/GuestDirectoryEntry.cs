namespace Imprint.Agent.Guest;

/// <summary>One entry of a guest directory listing (never <c>.</c> or <c>..</c>). <see cref="Mode"/> is permission bits only.</summary>
public sealed record GuestDirectoryEntry(string Name, GuestFileKind Kind, uint Inode, int Mode, uint Uid, uint Gid, long Size);
