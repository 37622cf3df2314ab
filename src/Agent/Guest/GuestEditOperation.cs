namespace Imprint.Agent.Guest;

/// <summary>One operation queued in an <see cref="GuestEditBatch"/>; paths are already normalised.</summary>
internal abstract record GuestEditOperation(GuestEditOperationKind Kind, string Path);

internal sealed record WriteFileOperation(string Path, GuestFileContent Content, int? Mode, uint? Uid, uint? Gid)
    : GuestEditOperation(GuestEditOperationKind.WriteFile, Path);

internal sealed record DeleteOperation(string Path) : GuestEditOperation(GuestEditOperationKind.Delete, Path);

internal sealed record DeleteGlobOperation(string Pattern) : GuestEditOperation(GuestEditOperationKind.DeleteGlob, Pattern);

/// <summary>DeleteTree removes the directory too; EmptyDirectory (<paramref name="KeepDirectory"/>) keeps it.</summary>
internal sealed record DeleteTreeOperation(string Path, bool KeepDirectory)
    : GuestEditOperation(KeepDirectory ? GuestEditOperationKind.EmptyDirectory : GuestEditOperationKind.DeleteTree, Path);

internal sealed record MkdirPOperation(string Path, int Mode, uint Uid, uint Gid) : GuestEditOperation(GuestEditOperationKind.MkdirP, Path);

internal sealed record SymlinkOperation(string Path, string Target) : GuestEditOperation(GuestEditOperationKind.Symlink, Path);

internal sealed record ChmodOperation(string Path, int Mode) : GuestEditOperation(GuestEditOperationKind.Chmod, Path);

internal sealed record ChownOperation(string Path, uint? Uid, uint? Gid) : GuestEditOperation(GuestEditOperationKind.Chown, Path);

internal sealed record TruncateOperation(string Path) : GuestEditOperation(GuestEditOperationKind.Truncate, Path);
