using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Imprint.Agent.Disk;

/// <summary>
/// Finds the data extents of a sparse file with lseek(SEEK_DATA/SEEK_HOLE), so copies read only allocated bytes.
/// Where the filesystem or device does not support it, the whole range is reported as data.
/// </summary>
public static partial class FileExtents
{
    private const int SeekData = 3;
    private const int SeekHole = 4;
    private const int ENXIO = 6;

    /// <summary>Data extents of <paramref name="handle"/> that intersect <paramref name="range"/>, in order.</summary>
    public static IReadOnlyList<ByteRange> DataExtents(SafeFileHandle handle, ByteRange range)
    {
        var extents = new List<ByteRange>();
        var fd = (int)handle.DangerousGetHandle();
        var position = range.Offset;
        while (position < range.End)
        {
            var dataStart = LSeek(fd, position, SeekData);
            if (dataStart < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == ENXIO)
                {
                    break; // No more data after position: the rest is a hole.
                }

                // SEEK_DATA unsupported (EINVAL on some devices/filesystems): treat everything as data.
                extents.Clear();
                extents.Add(range);
                return extents;
            }

            if (dataStart >= range.End)
            {
                break;
            }

            var holeStart = LSeek(fd, dataStart, SeekHole);
            if (holeStart < 0)
            {
                holeStart = range.End;
            }

            var end = Math.Min(holeStart, range.End);
            extents.Add(new ByteRange(dataStart, end - dataStart));
            position = end;
        }

        return extents;
    }

    /// <summary>Sum of the lengths of <paramref name="extents"/>.</summary>
    public static long TotalLength(IEnumerable<ByteRange> extents) => extents.Sum(e => e.Length);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long LSeek(int fd, long offset, int whence);
}
