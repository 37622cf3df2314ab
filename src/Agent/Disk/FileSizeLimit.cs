using Imprint.Agent.Errors;
using Imprint.Agent.Units;
using Microsoft.Win32.SafeHandles;

namespace Imprint.Agent.Disk;

/// <summary>
/// Setting a file's length past what its filesystem allows (EFBIG: ext4 with 4 KiB blocks stops at 16 TiB, vfat at
/// 4 GiB) is a request that cannot be satisfied (exit 6), not a bug. The limit is found by growing a scratch file
/// beside the disk: growth is sparse, so it allocates nothing, and the scratch file is deleted on close.
/// </summary>
public static class FileSizeLimit
{
    /// <summary>
    /// Sets the length of <paramref name="handle"/> (the file <paramref name="path"/>, when known: the limit is then
    /// probed beside it), turning EFBIG and ENOSPC into their exit codes.
    /// </summary>
    public static void SetLength(SafeFileHandle handle, string? path, long length)
    {
        try
        {
            RandomAccess.SetLength(handle, length);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // .NET reports EFBIG from ftruncate as an out-of-range length.
            var limit = path is null ? null : Probe(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var named = limit is { } l ? $"the largest file it allows is {l} bytes ({ByteSize.Format(l)})" : "it does not allow files that large";
            throw new ImprintException(ExitCode.Conflict, $"'{path ?? "the target"}' cannot be made {length} bytes ({ByteSize.Format(length)}): the filesystem holding it refuses (File too large); {named}", ex);
        }
        catch (IOException ex) when (IoErrno.IsOutOfSpace(ex))
        {
            throw new ImprintException(ExitCode.NotWritable, $"'{path ?? "the target"}' cannot be made {length} bytes: {ex.Message}", ex);
        }
    }

    /// <summary>The largest length a file in <paramref name="folder"/> may have; null when it cannot be found out.</summary>
    public static long? Probe(string folder)
    {
        var scratch = Path.Combine(folder, $".imprint-size-probe-{Guid.NewGuid():N}");
        try
        {
            using var handle = File.OpenHandle(scratch, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
            if (TrySetLength(handle, long.MaxValue))
            {
                return null;
            }

            long fits = 0, fails = long.MaxValue;
            while (fails - fits > 1)
            {
                var middle = fits + ((fails - fits) / 2);
                if (TrySetLength(handle, middle))
                {
                    fits = middle;
                }
                else
                {
                    fails = middle;
                }
            }

            return fits;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool TrySetLength(SafeFileHandle handle, long length)
    {
        try
        {
            RandomAccess.SetLength(handle, length);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }
}
