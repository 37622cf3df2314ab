namespace Imprint.Agent.Sealing;

/// <summary>What a planned edit does to one guest path.</summary>
public enum GuestEditKind
{
    /// <summary>Remove a file, symlink or (recursively) a directory.</summary>
    Delete,

    /// <summary>Make a file empty, keeping its inode, mode and owner (e.g. /etc/machine-id).</summary>
    Truncate,

    /// <summary>Replace a file's content, keeping mode and owner.</summary>
    Rewrite,
}
