using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Imprint.Agent.Disk;

/// <summary>Linux block-device facts through libc: whether a path is one, and its size (BLKGETSIZE64).</summary>
internal static partial class BlockDevice
{
    private const ulong BlkGetSize64 = 0x80081272;

    public static bool IsBlockDevice(string path)
    {
        return IsBlock(path);
    }

    public static long GetSize(SafeFileHandle handle)
    {
        ulong size = 0;
        if (Ioctl(handle, BlkGetSize64, ref size) != 0)
        {
            throw new IOException($"BLKGETSIZE64 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return checked((long)size);
    }

    private static bool IsBlock(string path)
    {
        // .NET exposes no file type for devices; /sys/dev/block lists them by major:minor, but checking the
        // stat mode through libc is simpler and works for any path.
        return Stat(path, out var mode) == 0 && (mode & 0xF000) == 0x6000;
    }

    private static int Stat(string path, out uint mode)
    {
        mode = 0;
        var buffer = new byte[256];
        var rc = StatX(-100, path, 0, 0x1 /* STATX_TYPE */, buffer);
        if (rc != 0)
        {
            return rc;
        }

        // struct statx: stx_mode is a u16 at offset 28.
        mode = BitConverter.ToUInt16(buffer, 28);
        return 0;
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(SafeFileHandle fd, ulong request, ref ulong value);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatX(int dirfd, string path, int flags, uint mask, byte[] buffer);
}
