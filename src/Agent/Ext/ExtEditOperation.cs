namespace Imprint.Agent.Ext;

/// <summary>One operation queued in an <see cref="ExtEditBatch"/>; paths are already normalised.</summary>
internal abstract record ExtEditOperation(ExtOperationKind Kind, string Path);

internal sealed record WriteFileOperation(string Path, ExtFileContent Content, int? Mode, uint? Uid, uint? Gid)
    : ExtEditOperation(ExtOperationKind.WriteFile, Path);

internal sealed record DeleteOperation(string Path) : ExtEditOperation(ExtOperationKind.Delete, Path);

internal sealed record DeleteGlobOperation(string Pattern) : ExtEditOperation(ExtOperationKind.DeleteGlob, Pattern);

/// <summary>DeleteTree removes the directory too; EmptyDirectory (<paramref name="KeepDirectory"/>) keeps it.</summary>
internal sealed record DeleteTreeOperation(string Path, bool KeepDirectory)
    : ExtEditOperation(KeepDirectory ? ExtOperationKind.EmptyDirectory : ExtOperationKind.DeleteTree, Path);

internal sealed record MkdirPOperation(string Path, int Mode, uint Uid, uint Gid) : ExtEditOperation(ExtOperationKind.MkdirP, Path);

internal sealed record SymlinkOperation(string Path, string Target) : ExtEditOperation(ExtOperationKind.Symlink, Path);

internal sealed record ChmodOperation(string Path, int Mode) : ExtEditOperation(ExtOperationKind.Chmod, Path);

internal sealed record ChownOperation(string Path, uint? Uid, uint? Gid) : ExtEditOperation(ExtOperationKind.Chown, Path);

internal sealed record TruncateOperation(string Path) : ExtEditOperation(ExtOperationKind.Truncate, Path);
