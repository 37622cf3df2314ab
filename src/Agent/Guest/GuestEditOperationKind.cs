namespace Imprint.Agent.Guest;

/// <summary>The kind of edit an <see cref="GuestEditBatch"/> operation performs.</summary>
public enum GuestEditOperationKind
{
    WriteFile,
    Delete,
    DeleteGlob,
    DeleteTree,
    EmptyDirectory,
    MkdirP,
    Symlink,
    Chmod,
    Chown,
    Truncate,
}
