using Imprint.Agent.Errors;
using Microsoft.Win32.SafeHandles;

namespace Imprint.Agent.Disk;

/// <summary>
/// Opens the file a copy or conversion writes: a block device as it is; otherwise a new file, or the empty work file
/// a <see cref="PartialTarget"/> created and holds locked. A file with content is never opened for writing here.
/// </summary>
public static class WorkFile
{
    /// <summary>Opens <paramref name="path"/> for writing; <paramref name="created"/> says whether this call created it.</summary>
    public static SafeFileHandle Open(string path, bool isBlockDevice, out bool created)
    {
        created = false;
        if (isBlockDevice)
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }

        if (Statx.OfLink(path) is { } existing)
        {
            if (!existing.IsRegularFile || existing.Size != 0)
            {
                throw ImprintException.Conflict($"target '{path}' already exists; refusing to overwrite it");
            }

            return File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }

        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        created = true;
        return handle;
    }

    /// <summary>Whether <paramref name="path"/> is absent or an empty regular file (a locked work file not yet written).</summary>
    public static bool IsAbsentOrEmpty(string path) =>
        Statx.OfLink(path) is not { } info || (info.IsRegularFile && info.Size == 0);
}
