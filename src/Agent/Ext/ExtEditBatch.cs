using System.Text;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Ext;

/// <summary>
/// Edits to apply to an ext filesystem in ONE <c>debugfs -w</c> session, in the order added. Paths are absolute guest
/// paths; directories on the way are resolved through guest symlinks (inside the guest). Arguments are checked when
/// added; the batch as a whole is checked against the image before anything is written
/// (<see cref="ExtFileSystem.ApplyAsync"/>).
/// </summary>
public sealed class ExtEditBatch
{
    /// <summary>Mode of files the batch creates when the caller names none.</summary>
    public const int DefaultFileMode = 0b110_100_100;

    /// <summary>Mode of directories <see cref="MkdirP"/> creates when the caller names none.</summary>
    public const int DefaultDirectoryMode = 0b111_101_101;

    private readonly List<ExtEditOperation> _operations = [];

    public int Count => _operations.Count;

    internal IReadOnlyList<ExtEditOperation> Operations => _operations;

    /// <summary>
    /// Writes <paramref name="content"/>. An existing file keeps its mode, owner and extended attributes unless given
    /// here; a new file is 0644 root:root unless given. Identical content and metadata is reported unchanged.
    /// </summary>
    public ExtEditBatch WriteFile(string path, byte[] content, int? mode = null, uint? uid = null, uint? gid = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (mode is { } m)
        {
            CheckMode(m, path);
        }

        return Add(new WriteFileOperation(NormalizeLeaf(path), ExtFileContent.Of(content.ToArray()), mode, uid, gid));
    }

    /// <summary>
    /// <see cref="WriteFile"/> with the bytes of a host file, which debugfs streams into the guest: for contents too
    /// large to hold in memory. The host file must stay unchanged until the batch is applied.
    /// </summary>
    public ExtEditBatch WriteFileFrom(string path, string hostFile, int? mode = null, uint? uid = null, uint? gid = null)
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

        return Add(new WriteFileOperation(NormalizeLeaf(path), ExtFileContent.FromHostFile(Path.GetFullPath(hostFile)), mode, uid, gid));
    }

    /// <summary><see cref="WriteFile"/> with UTF-8 text (no BOM).</summary>
    public ExtEditBatch WriteText(string path, string text, int? mode = null, uint? uid = null, uint? gid = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WriteFile(path, Encoding.UTF8.GetBytes(text), mode, uid, gid);
    }

    /// <summary>Deletes a file, symlink or special file (never follows a final symlink); a missing path is recorded as such.</summary>
    public ExtEditBatch Delete(string path) => Add(new DeleteOperation(NormalizeLeaf(path)));

    /// <summary>Deletes everything a guest glob matches; matched directories are removed with their contents.</summary>
    public ExtEditBatch DeleteGlob(string pattern)
    {
        GuestPath.Components(pattern, allowDotDot: false);
        return Add(new DeleteGlobOperation(pattern));
    }

    /// <summary>Deletes a directory and everything in it (a symlink at the path is removed, not followed).</summary>
    public ExtEditBatch DeleteTree(string path) => Add(new DeleteTreeOperation(NormalizeLeaf(path), KeepDirectory: false));

    /// <summary>Deletes everything inside a directory and keeps the directory itself.</summary>
    public ExtEditBatch EmptyDirectory(string path) => Add(new DeleteTreeOperation(GuestPath.Normalize(path), KeepDirectory: true));

    /// <summary>Creates a directory and missing parents with this mode and owner; existing directories are left as they are.</summary>
    public ExtEditBatch MkdirP(string path, int mode = DefaultDirectoryMode, uint uid = 0, uint gid = 0)
    {
        CheckMode(mode, path);
        return Add(new MkdirPOperation(GuestPath.Normalize(path), mode, uid, gid));
    }

    /// <summary>Creates a symlink, replacing a file or symlink already at the path.</summary>
    public ExtEditBatch Symlink(string path, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (target.AsSpan().IndexOfAny('\n', '\r', '\0') >= 0)
        {
            throw ImprintException.Usage($"symlink target for '{path}' contains a newline or NUL");
        }

        return Add(new SymlinkOperation(NormalizeLeaf(path), target));
    }

    /// <summary>Sets permission bits (07777, setuid/setgid/sticky included), following a final symlink.</summary>
    public ExtEditBatch Chmod(string path, int mode)
    {
        CheckMode(mode, path);
        return Add(new ChmodOperation(GuestPath.Normalize(path), mode));
    }

    /// <summary>Sets owner and/or group (null keeps it), following a final symlink.</summary>
    public ExtEditBatch Chown(string path, uint? uid, uint? gid)
    {
        if (uid is null && gid is null)
        {
            throw ImprintException.Usage($"chown of '{path}' names neither a uid nor a gid");
        }

        return Add(new ChownOperation(GuestPath.Normalize(path), uid, gid));
    }

    /// <summary>Makes a regular file empty, keeping its inode, mode, owner and attributes (e.g. /etc/machine-id).</summary>
    public ExtEditBatch Truncate(string path) => Add(new TruncateOperation(GuestPath.Normalize(path)));

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

    private ExtEditBatch Add(ExtEditOperation operation)
    {
        _operations.Add(operation);
        return this;
    }
}
