using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Imprint.Agent.Disk;

/// <summary>Linux block-device facts: whether a path or handle is one, and its size (BLKGETSIZE64).</summary>
internal static partial class BlockDevice
{
    private const ulong BlkGetSize64 = 0x80081272;

    public static bool IsBlockDevice(string path) => Statx.OfPath(path)?.IsBlockDevice == true;

    public static bool IsBlockDeviceHandle(SafeFileHandle handle) => Statx.OfHandle(handle)?.IsBlockDevice == true;

    public static long GetSize(SafeFileHandle handle)
    {
        ulong size = 0;
        if (Ioctl(handle, BlkGetSize64, ref size) != 0)
        {
            throw new IOException($"BLKGETSIZE64 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return checked((long)size);
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(SafeFileHandle fd, ulong request, ref ulong value);
}
