using Imprint.Agent.Errors;

namespace Imprint.Agent.Disk;

/// <summary>
/// Where a command writes a new disk: a file target is built as <c>TARGET.partial</c> in the same folder and renamed
/// over TARGET only when everything succeeded, so a failure (or a killed pod) never leaves a half disk under TARGET's
/// name; the operator's retries re-run a step into the same PVC and rely on that. A block device is written in place.
/// The work file (or the device), and with --overwrite the existing TARGET, are held under an exclusive
/// <see cref="ImageLock"/> from before the first write until disposal, so two runs on one target, or a run on a
/// target a VM uses, cannot both proceed: the second exits 6. Nothing that is the source is ever removed or written.
/// Disposing without <see cref="Commit"/> removes the partial file (only if the path still names the file we hold).
/// </summary>
public sealed class PartialTarget : IDisposable
{
    private readonly ImageLock _workLock;
    private readonly ImageLock? _targetLock;
    private bool _committed;
    private bool _disposed;

    private PartialTarget(string target, string workPath, bool isBlockDevice, ImageLock workLock, ImageLock? targetLock)
    {
        Target = target;
        WorkPath = workPath;
        IsBlockDevice = isBlockDevice;
        _workLock = workLock;
        _targetLock = targetLock;
    }

    /// <summary>The path the caller asked for.</summary>
    public string Target { get; }

    /// <summary>The path to write: TARGET.partial for files (an empty file we hold locked), TARGET itself for a device.</summary>
    public string WorkPath { get; }

    public bool IsBlockDevice { get; }

    /// <summary>
    /// Checks the target and picks the work path. An existing file target is an error unless
    /// <paramref name="overwrite"/>; a stale TARGET.partial from an earlier, killed run is emptied and reused once we
    /// hold its lock. A target or work file that is <paramref name="source"/> (same inode, hard link, symbolic link,
    /// same block device) is exit 2; one locked by another process (a VM, another imprint) is exit 6.
    /// <paramref name="sources"/> are every file the command reads (the image, and e.g. a header or CA file).
    /// </summary>
    public static PartialTarget Prepare(string target, bool overwrite, params string?[] sources)
    {
        var full = Path.GetFullPath(target);
        foreach (var source in sources)
        {
            SourceGuard.EnsureNotSource(full, source, "target");
        }

        if (File.Exists(full) && BlockDevice.IsBlockDevice(full))
        {
            return new PartialTarget(full, full, isBlockDevice: true, ImageLock.Exclusive(full), null);
        }

        if (Directory.Exists(full))
        {
            throw ImprintException.Conflict($"target '{target}' is a directory");
        }

        if (File.Exists(full) && !overwrite)
        {
            throw ImprintException.Conflict($"target '{target}' already exists; refusing to overwrite it (pass --overwrite to replace it)");
        }

        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw ImprintException.NotWritable($"target folder '{folder}' does not exist");
        }

        var work = full + ".partial";
        foreach (var source in sources)
        {
            SourceGuard.EnsureNotSource(work, source, "work file");
        }

        var sourceInfos = sources.Select(s => s is null ? null : Statx.OfPath(s)).OfType<Statx.Info>().ToList();
        ImageLock? targetLock = null;
        try
        {
            // The disk being replaced may be in use (a VM, another imprint): refuse before building its successor.
            targetLock = overwrite && File.Exists(full) ? LockWhileNamed(full, create: false, sourceInfos) : null;
            var workLock = LockWhileNamed(work, create: true, sourceInfos);
            workLock.Truncate();
            // The emptied work file is a new disk: an intent record a killed run left for it describes nothing now.
            Ext.ExtUndoJournal.Discard(work);
            return new PartialTarget(full, work, isBlockDevice: false, workLock, targetLock);
        }
        catch
        {
            targetLock?.Dispose();
            throw;
        }
    }

    /// <summary>Moves the finished work file over the target (atomic within the folder). Devices need nothing.</summary>
    public void Commit()
    {
        if (!IsBlockDevice)
        {
            File.Move(WorkPath, Target, overwrite: true);
        }

        _committed = true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_committed && !IsBlockDevice && StillNames(WorkPath, _workLock, followLinks: false))
            {
                File.Delete(WorkPath);
                Ext.ExtUndoJournal.Discard(WorkPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original error matters more than a leftover partial file, which the next run empties.
        }
        finally
        {
            _workLock.Dispose();
            _targetLock?.Dispose();
        }
    }

    /// <summary>
    /// Locks the file at <paramref name="path"/> and checks the path still names it afterwards: another run may have
    /// renamed its finished work file over the target between our open and our lock.
    /// </summary>
    private static ImageLock LockWhileNamed(string path, bool create, List<Statx.Info> sources)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (Statx.OfLink(path) is { } existing && (existing.IsSymbolicLink || !existing.IsRegularFile) && create)
            {
                throw ImprintException.Conflict($"'{path}' exists and is not a regular file; remove it first");
            }

            var held = create ? ImageLock.ExclusiveCreating(path) : ImageLock.Exclusive(path);
            try
            {
                var info = held.Info();
                if (sources.Any(s => SourceGuard.IsSame(info, s)))
                {
                    throw ImprintException.Usage($"'{path}' is the source itself; refusing to remove or write the source");
                }

                if (create && info.Links > 1)
                {
                    throw ImprintException.Conflict($"'{path}' has other hard links; refusing to reuse it as a work file (remove it first)");
                }

                if (StillNames(path, held, followLinks: !create))
                {
                    return held;
                }
            }
            catch
            {
                held.Dispose();
                throw;
            }

            held.Dispose();
        }

        throw ImprintException.Conflict($"in use: '{path}' keeps being replaced by another process");
    }

    private static bool StillNames(string path, ImageLock held, bool followLinks) =>
        (followLinks ? Statx.OfPath(path) : Statx.OfLink(path)) is { } now && FileIdentity.From(now) == FileIdentity.From(held.Info());
}
