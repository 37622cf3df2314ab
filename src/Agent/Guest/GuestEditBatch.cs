using System.Text;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Guest;

/// <summary>
/// Engine-neutral edits to a guest filesystem, applied in the order added by <see cref="IGuestFileSystem.ApplyAsync"/>
/// (the e2fsprogs engine runs them in ONE <c>debugfs -w</c> session). Arguments are checked when added (absolute path,
/// no '..', newline or NUL, mode within 07777; exit 2); the batch as a whole is checked against the guest before
/// anything is written. Paths: see <see cref="IGuestFileSystem"/>; directories on the way are resolved through guest
/// symlinks, and every change reports the canonical path it touched (symlinks on the way resolved). Ownership is
/// numeric (uid/gid as stored in the guest's inodes; resolve names with the guest's own /etc/passwd first). Modes are
/// permission bits only (07777, setuid/setgid/sticky included), never type bits. Timestamps of written files are
/// "now"; extended attributes (e.g. <c>security.selinux</c>) of an overwritten file are kept.
/// </summary>
public sealed class GuestEditBatch
{
    /// <summary>Mode of files the batch creates when the caller names none.</summary>
    public const int DefaultFileMode = 0b110_100_100;

    /// <summary>Mode of directories <see cref="MkdirP"/> creates when the caller names none.</summary>
    public const int DefaultDirectoryMode = 0b111_101_101;

    private readonly List<GuestEditOperation> _operations = [];

    public int Count => _operations.Count;

    internal IReadOnlyList<GuestEditOperation> Operations => _operations;

    /// <summary>
    /// Writes <paramref name="content"/> as a regular file. The parent directory must exist (exit 3 otherwise: add
    /// <see cref="MkdirP"/> first); a directory at the path is a conflict (exit 6). A final symlink is followed like a
    /// shell redirection (the target file is written, reported under its canonical path), unless the link dangles into
    /// a missing directory: then the link itself is replaced by the file (Overwritten, Detail "replaced a dangling
    /// symlink"). An
    /// existing file keeps its mode, owner and extended attributes unless given here; a new file is 0644 root:root
    /// unless given. Reported <see cref="GuestChangeAction.Created"/>, <see cref="GuestChangeAction.Overwritten"/>, or
    /// <see cref="GuestChangeAction.Unchanged"/> when content, mode and owner are already identical (nothing written).
    /// </summary>
    public GuestEditBatch WriteFile(string path, byte[] content, int? mode = null, uint? uid = null, uint? gid = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (mode is { } m)
        {
            CheckMode(m, path);
        }

        return Add(new WriteFileOperation(NormalizeLeaf(path), GuestFileContent.Of(content.ToArray()), mode, uid, gid));
    }

    /// <summary>
    /// <see cref="WriteFile"/> with the bytes of a host file, which debugfs streams into the guest: for contents too
    /// large to hold in memory. The host file must stay unchanged until the batch is applied.
    /// </summary>
    public GuestEditBatch WriteFileFrom(string path, string hostFile, int? mode = null, uint? uid = null, uint? gid = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostFile);
        if (hostFile.AsSpan().IndexOfAny('\n', '\r', '\0') >= 0)
        {
            // One debugfs command per line: a newline in the name would end the write and start another command.
            throw ImprintException.Usage($"host file for '{path}' has a newline or NUL in its name");
        }

        if (!File.Exists(hostFile))
        {
            throw ImprintException.NotFound($"host file '{hostFile}' for '{path}' does not exist");
        }

        if (mode is { } m)
        {
            CheckMode(m, path);
        }

        return Add(new WriteFileOperation(NormalizeLeaf(path), GuestFileContent.FromHostFile(Path.GetFullPath(hostFile)), mode, uid, gid));
    }

    /// <summary><see cref="WriteFile"/> with UTF-8 text (no BOM).</summary>
    public GuestEditBatch WriteText(string path, string text, int? mode = null, uint? uid = null, uint? gid = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WriteFile(path, Encoding.UTF8.GetBytes(text), mode, uid, gid);
    }

    /// <summary>
    /// Deletes a file, symlink or special file (a final symlink is removed, not followed): one
    /// <see cref="GuestChangeAction.Deleted"/>, or <see cref="GuestChangeAction.Missing"/> when nothing is there (no
    /// error; a missing parent directory is also Missing). A directory at the path is a conflict (exit 6).
    /// </summary>
    public GuestEditBatch Delete(string path) => Add(new DeleteOperation(NormalizeLeaf(path)));

    /// <summary>
    /// Deletes everything a guest glob matches (<see cref="IGuestReader.GlobAsync"/> semantics; matched symlinks are
    /// removed, not followed); matched directories are removed with their contents. One
    /// <see cref="GuestChangeAction.Deleted"/> per top-most match (matches inside a deleted directory are not
    /// repeated; Detail "N entries" for a tree), or one <see cref="GuestChangeAction.Missing"/> whose Path is the
    /// pattern when nothing matched.
    /// </summary>
    public GuestEditBatch DeleteGlob(string pattern)
    {
        GuestPath.Components(pattern, allowDotDot: false);
        return Add(new DeleteGlobOperation(pattern));
    }

    /// <summary>
    /// Deletes a directory and everything in it, or a file/symlink at the path (a symlink is removed, not followed):
    /// one <see cref="GuestChangeAction.Deleted"/> (Detail "N entries" when more than one went), or
    /// <see cref="GuestChangeAction.Missing"/>.
    /// </summary>
    public GuestEditBatch DeleteTree(string path) => Add(new DeleteTreeOperation(NormalizeLeaf(path), KeepDirectory: false));

    /// <summary>
    /// Deletes everything inside a directory (a final symlink to a directory is followed) and keeps the directory, its
    /// mode and owner: one <see cref="GuestChangeAction.Deleted"/> per entry removed, or one
    /// <see cref="GuestChangeAction.Unchanged"/> for the directory when it was empty; Missing when it does not exist;
    /// a conflict (exit 6) when it is not a directory.
    /// </summary>
    public GuestEditBatch EmptyDirectory(string path) => Add(new DeleteTreeOperation(GuestPath.Normalize(path), KeepDirectory: true));

    /// <summary>
    /// Creates a directory and its missing parents (symlinks to directories on the way are followed), like
    /// <c>mkdir -p -m</c>: the final directory gets this mode and owner, missing parents 0755 root:root; existing
    /// directories are left exactly as they are. One <see cref="GuestChangeAction.Created"/> per directory created
    /// (parents first), or one <see cref="GuestChangeAction.Unchanged"/> for the path when it existed. A non-directory
    /// (or a dangling symlink) on the way is a conflict (exit 6).
    /// </summary>
    public GuestEditBatch MkdirP(string path, int mode = DefaultDirectoryMode, uint uid = 0, uint gid = 0)
    {
        CheckMode(mode, path);
        return Add(new MkdirPOperation(GuestPath.Normalize(path), mode, uid, gid));
    }

    /// <summary>
    /// Creates a symlink (owned by root, target stored verbatim, never resolved or checked), replacing a file or
    /// symlink already at the path: <see cref="GuestChangeAction.Created"/> or
    /// <see cref="GuestChangeAction.Overwritten"/> (Detail "-> TARGET"), or Unchanged when a symlink with this exact
    /// target is there. The parent must exist (exit 3); a directory at the path is a conflict (exit 6).
    /// </summary>
    public GuestEditBatch Symlink(string path, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (target.AsSpan().IndexOfAny('\n', '\r', '\0') >= 0)
        {
            throw ImprintException.Usage($"symlink target for '{path}' contains a newline or NUL");
        }

        return Add(new SymlinkOperation(NormalizeLeaf(path), target));
    }

    /// <summary>
    /// Sets permission bits (07777, setuid/setgid/sticky included), following a final symlink: Modified (Detail the
    /// octal mode) or Unchanged. A missing path is an error (exit 3).
    /// </summary>
    public GuestEditBatch Chmod(string path, int mode)
    {
        CheckMode(mode, path);
        return Add(new ChmodOperation(GuestPath.Normalize(path), mode));
    }

    /// <summary>
    /// Sets owner and/or group (null keeps it), following a final symlink: Modified (Detail "UID:GID") or Unchanged.
    /// A missing path is an error (exit 3).
    /// </summary>
    public GuestEditBatch Chown(string path, uint? uid, uint? gid)
    {
        if (uid is null && gid is null)
        {
            throw ImprintException.Usage($"chown of '{path}' names neither a uid nor a gid");
        }

        return Add(new ChownOperation(GuestPath.Normalize(path), uid, gid));
    }

    /// <summary>
    /// Makes a regular file empty, keeping its inode, mode, owner and extended attributes (e.g. /etc/machine-id),
    /// following a final symlink: <see cref="GuestChangeAction.Truncated"/>, or Unchanged when already empty. A missing
    /// path is an error (exit 3), a non-regular file a conflict (exit 6).
    /// </summary>
    public GuestEditBatch Truncate(string path) => Add(new TruncateOperation(GuestPath.Normalize(path)));

    private static string NormalizeLeaf(string path)
    {
        var normalized = GuestPath.Normalize(path);
        if (normalized == GuestPath.Root)
        {
            throw ImprintException.Usage("the guest root '/' cannot be written, deleted or replaced");
        }

        return normalized;
    }

    private static void CheckMode(int mode, string path)
    {
        if (mode is < 0 or > 0xFFF)
        {
            throw ImprintException.Usage($"mode {Convert.ToString(mode, 8)} for '{path}' is not a permission mode (0 to 07777)");
        }
    }

    private GuestEditBatch Add(GuestEditOperation operation)
    {
        _operations.Add(operation);
        return this;
    }
}
