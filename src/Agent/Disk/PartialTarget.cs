using Imprint.Agent.Errors;

namespace Imprint.Agent.Disk;

/// <summary>
/// Where a command writes a new disk: a file target is built as <c>TARGET.partial</c> in the same folder and renamed
/// over TARGET only when everything succeeded, so a failure (or a killed pod) never leaves a half disk under TARGET's
/// name; the operator's retries re-run a step into the same PVC and rely on that. A block device is written in place.
/// Disposing without <see cref="Commit"/> removes the partial file.
/// </summary>
public sealed class PartialTarget : IDisposable
{
    private bool _committed;

    private PartialTarget(string target, string workPath, bool isBlockDevice)
    {
        Target = target;
        WorkPath = workPath;
        IsBlockDevice = isBlockDevice;
    }

    /// <summary>The path the caller asked for.</summary>
    public string Target { get; }

    /// <summary>The path to write: TARGET.partial for files (absent when handed out), TARGET itself for a device.</summary>
    public string WorkPath { get; }

    public bool IsBlockDevice { get; }

    /// <summary>
    /// Checks the target and picks the work path. An existing file target is an error unless
    /// <paramref name="overwrite"/>; a stale TARGET.partial from an earlier, killed run is removed.
    /// </summary>
    public static PartialTarget Prepare(string target, bool overwrite)
    {
        var full = Path.GetFullPath(target);
        if (File.Exists(full) && BlockDevice.IsBlockDevice(full))
        {
            return new PartialTarget(full, full, isBlockDevice: true);
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
        try
        {
            File.Delete(work);
            Ext.ExtUndoJournal.Discard(work);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ImprintException(ExitCode.NotWritable, $"cannot remove the stale '{work}': {ex.Message}", ex);
        }

        return new PartialTarget(full, work, isBlockDevice: false);
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
        if (!_committed && !IsBlockDevice)
        {
            try
            {
                File.Delete(WorkPath);
                Ext.ExtUndoJournal.Discard(WorkPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: the original error matters more than a leftover partial file, which the next run removes.
            }
        }
    }
}
