using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Imprint.Agent.Disk;

/// <summary>The few stat facts .NET does not expose (file type, device + inode identity), read with statx(2).</summary>
internal static partial class Statx
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint BasicStats = 0x7ff;

    public readonly record struct Info(uint Mode, ulong Inode, uint DevMajor, uint DevMinor, ulong Size, uint Links = 1, uint RDevMajor = 0, uint RDevMinor = 0)
    {
        public bool IsSymbolicLink => (Mode & 0xF000) == 0xA000;

        public bool IsBlockDevice => (Mode & 0xF000) == 0x6000;

        public bool IsRegularFile => (Mode & 0xF000) == 0x8000;
    }

    public static Info? OfPath(string path)
    {
        var buffer = new byte[256];
        return StatX(AtFdCwd, path, 0, BasicStats, buffer) == 0 ? Parse(buffer) : null;
    }

    /// <summary>Like <see cref="OfPath"/> but about a symbolic link itself, not what it points at (lstat).</summary>
    public static Info? OfLink(string path)
    {
        var buffer = new byte[256];
        return StatX(AtFdCwd, path, AtSymlinkNoFollow, BasicStats, buffer) == 0 ? Parse(buffer) : null;
    }

    public static Info? OfHandle(SafeFileHandle handle)
    {
        var buffer = new byte[256];
        return StatXFd((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, BasicStats, buffer) == 0 ? Parse(buffer) : null;
    }

    // struct statx layout (linux/stat.h): nlink u32 @16, mode u16 @28, ino u64 @32, size u64 @40,
    // rdev_major u32 @128, rdev_minor u32 @132, dev_major u32 @136, dev_minor u32 @140.
    private static Info Parse(ReadOnlySpan<byte> b) => new(
        BinaryPrimitives.ReadUInt16LittleEndian(b[28..]),
        BinaryPrimitives.ReadUInt64LittleEndian(b[32..]),
        BinaryPrimitives.ReadUInt32LittleEndian(b[136..]),
        BinaryPrimitives.ReadUInt32LittleEndian(b[140..]),
        BinaryPrimitives.ReadUInt64LittleEndian(b[40..]),
        BinaryPrimitives.ReadUInt32LittleEndian(b[16..]),
        BinaryPrimitives.ReadUInt32LittleEndian(b[128..]),
        BinaryPrimitives.ReadUInt32LittleEndian(b[132..]));

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatX(int dirfd, string path, int flags, uint mask, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatXFd(int dirfd, string path, int flags, uint mask, byte[] buffer);
}
