namespace Imprint.Agent.Ext;

/// <summary>
/// Where a guest path leads after resolving symlinks inside the guest: the canonical <see cref="Path"/> (no symlink
/// components, no '.' or '..'), the node there (null: missing) and its parent directory (null: the parent is missing
/// or not a directory).
/// </summary>
internal sealed record GuestResolution(string Path, GuestNode? Node, string ParentPath, GuestNode? Parent);
