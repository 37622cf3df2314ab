namespace Imprint.Agent.Ext;

/// <summary>The kind of edit an <see cref="ExtEditBatch"/> operation performs.</summary>
public enum ExtOperationKind
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
