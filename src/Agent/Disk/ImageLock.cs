using System.Runtime.InteropServices;
using Imprint.Agent.Errors;
using Microsoft.Win32.SafeHandles;

namespace Imprint.Agent.Disk;

/// <summary>
/// A lock on a disk image (or block device) that QEMU honours too. QEMU's file driver takes OFD byte-range read locks:
/// byte 100+i while it uses permission i, byte 200+i while it refuses permission i to others (i: 0 consistent read,
/// 1 write, 2 write unchanged, 3 resize, 4 graph mod). Every QEMU opener locks byte 100, so:
/// <list type="bullet">
/// <item>An exclusive (writer) lock is one write lock over bytes 100–204. It fails while anyone — a running VM,
/// <c>qemu-io</c>, <c>qemu-img</c> (even with -U), another imprint reader or writer — holds any of those bytes, and
/// while we hold it every QEMU open fails ("Failed to lock byte 100"). One atomic fcntl, so of two writers exactly one
/// wins.</item>
/// <item>A shared (reader) lock is what a read-only QEMU user takes: read locks on byte 100 (we read) and 201, 203
/// (nobody may write or resize meanwhile), then a check that nobody holds 101, 103 (someone writes or resizes) or 200
/// (someone forbids reading). Readers share with readers and with read-only QEMU (<c>qemu-io -r</c>,
/// <c>qemu-img convert</c> of a source); they conflict with writers in both directions.</item>
/// </list>
/// Locks are non-blocking: a conflict that lasts more than about 300 ms is exit 6 "in use". They are open-file-description locks, so closing
/// other descriptors of the same file (DiskImage, FileStream) never drops them, and they die with the process, so a
/// killed run leaves no stale lock. Within one process a second acquisition of a file already locked (the clone's
/// customize step on the target it holds, inspection during seal) nests instead of conflicting with itself.
/// Block devices are locked the same way (OFD locks work on device nodes; like QEMU's they bind to the node's inode).
/// A device is also opened once with O_EXCL when the writer lock is taken, which fails while a filesystem on it is
/// mounted or a device-mapper/md holder claims it; that descriptor is closed at once, because e2fsck and resize2fs
/// open the device O_EXCL themselves and would fail if we kept it. QEMU never takes O_EXCL.
/// </summary>
public sealed partial class ImageLock : IDisposable
{
    /// <summary>First byte QEMU locks for "I use permission i".</summary>
    public const long PermissionBase = 100;

    /// <summary>First byte QEMU locks for "nobody else may have permission i".</summary>
    public const long ExclusionBase = 200;

    /// <summary>QEMU's permission bits: consistent read, write, write unchanged, resize, graph mod.</summary>
    public const int PermissionCount = 5;

    private const int ConsistentRead = 0;
    private const int Write = 1;
    private const int Resize = 3;

    private const int LockAttempts = 12;

    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(25);

    private static readonly Dictionary<FileIdentity, Held> HeldByThisProcess = [];

    private readonly FileIdentity _identity;
    private bool _disposed;

    private ImageLock(string path, FileIdentity identity, bool isExclusive)
    {
        Path = path;
        _identity = identity;
        IsExclusive = isExclusive;
    }

    public string Path { get; }

    public bool IsExclusive { get; }

    /// <summary>Locks <paramref name="path"/> for writing, or throws exit 6 "in use". Opens the file read-write.</summary>
    public static ImageLock Exclusive(string path) => Acquire(path, exclusive: true, create: false);

    /// <summary>Locks <paramref name="path"/> for reading, or throws exit 6 "in use" when someone writes it.</summary>
    public static ImageLock Shared(string path) => Acquire(path, exclusive: false, create: false);

    /// <summary>
    /// Creates <paramref name="path"/> if absent (never through a symbolic link) and locks it for writing; used for the
    /// TARGET.partial work file.
    /// </summary>
    internal static ImageLock ExclusiveCreating(string path) => Acquire(path, exclusive: true, create: true);

    /// <summary>The file the lock is on, as its descriptor sees it now (even after a rename).</summary>
    internal Statx.Info Info()
    {
        lock (HeldByThisProcess)
        {
            return Statx.OfHandle(HeldByThisProcess[_identity].Handle) ?? throw new IOException($"cannot stat the locked '{Path}'");
        }
    }

    /// <summary>Shrinks the locked file to zero bytes through the locked descriptor (a stale work file from a killed run).</summary>
    internal void Truncate()
    {
        lock (HeldByThisProcess)
        {
            RandomAccess.SetLength(HeldByThisProcess[_identity].Handle, 0);
        }
    }

    /// <summary>
    /// While this process holds the writer's lock on <paramref name="path"/>, lets a child QEMU that writes it (the
    /// libguestfs appliance) take its own locks: the write lock over bytes 100–204 becomes a read lock on byte 100 only
    /// (one atomic fcntl per range). Every other writer — a VM, another imprint — stays out, first because of that
    /// byte and then because of QEMU's own write and exclusion locks. Disposing takes the writer's lock back once the
    /// child is gone (best effort: the command is ending then). Null when this process holds no writer's lock on it.
    /// </summary>
    public static IDisposable? HandOverToChildWriter(string path)
    {
        var info = Statx.OfPath(System.IO.Path.GetFullPath(path));
        if (info is null)
        {
            return null;
        }

        lock (HeldByThisProcess)
        {
            if (!HeldByThisProcess.TryGetValue(FileIdentity.From(info.Value), out var held) || !held.IsExclusive)
            {
                return null;
            }

            TrySetLock(held.Handle, path, Native.FRdlck, PermissionBase + ConsistentRead, 1);
            TrySetLock(held.Handle, path, Native.FUnlck, PermissionBase + 1, ExclusionBase + PermissionCount - PermissionBase - 1);
            return new HandedOver(held, path);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (HeldByThisProcess)
        {
            var held = HeldByThisProcess[_identity];
            if (--held.Count == 0)
            {
                HeldByThisProcess.Remove(_identity);
                held.Handle.Dispose();
            }
        }
    }

    private static ImageLock Acquire(string path, bool exclusive, bool create)
    {
        var full = System.IO.Path.GetFullPath(path);
        var flags = Native.OCloexec | (exclusive ? Native.ORdwr : Native.ORdonly) | (create ? Native.OCreat | Native.ONoFollow : 0);
        var fd = Native.Open(full, flags, 0x1B6);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw create && errno != Native.ELoop
                ? ImprintException.NotWritable($"cannot create '{path}': {Marshal.GetPInvokeErrorMessage(errno)}")
                : OpenError(path, errno, exclusive);
        }

        var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        try
        {
            var info = Statx.OfHandle(handle) ?? throw new IOException($"cannot stat '{path}'");
            var identity = FileIdentity.From(info);
            lock (HeldByThisProcess)
            {
                if (HeldByThisProcess.TryGetValue(identity, out var already))
                {
                    if (exclusive && !already.IsExclusive)
                    {
                        throw InUse(path);
                    }

                    already.Count++;
                    handle.Dispose();
                    return new ImageLock(full, identity, exclusive);
                }

                if (exclusive && info.IsBlockDevice)
                {
                    ProbeNotClaimed(full, path);
                }

                if (!TryLockBriefly(handle, path, exclusive))
                {
                    throw InUse(path);
                }

                HeldByThisProcess[identity] = new Held(handle, exclusive);
                return new ImageLock(full, identity, exclusive);
            }
        }
        catch
        {
            lock (HeldByThisProcess)
            {
                if (!HeldByThisProcess.Values.Any(h => ReferenceEquals(h.Handle, handle)))
                {
                    handle.Dispose();
                }
            }

            throw;
        }
    }

    private static ImprintException InUse(string path) =>
        ImprintException.Conflict($"in use: {path} is locked by another process (e.g. a running VM or another imprint)");

    private static ImprintException OpenError(string path, int errno, bool exclusive) => errno switch
    {
        Native.ENoent => ImprintException.NotFound($"disk '{path}' does not exist"),
        Native.EIsdir => ImprintException.NotFound($"disk '{path}' is a directory"),
        Native.ELoop => ImprintException.Conflict($"'{path}' is a symbolic link; refusing to write through it"),
        Native.ERofs or Native.EAcces or Native.EPerm when exclusive =>
            ImprintException.NotWritable($"disk '{path}' is not writable: {Marshal.GetPInvokeErrorMessage(errno)}"),
        _ => ImprintException.NotFound($"disk '{path}' cannot be opened: {Marshal.GetPInvokeErrorMessage(errno)}"),
    };

    /// <summary>Opens a block device once with O_EXCL: the kernel refuses while it is mounted or claimed (dm, md, swap).</summary>
    private static void ProbeNotClaimed(string full, string path)
    {
        var fd = Native.Open(full, Native.ORdonly | Native.OCloexec | Native.OExcl, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Native.EBusy)
            {
                throw ImprintException.Conflict($"in use: {path} is mounted or held by the kernel (device-mapper, md, swap)");
            }

            throw OpenError(path, errno, exclusive: true);
        }

        new SafeFileHandle((IntPtr)fd, ownsHandle: true).Dispose();
    }

    /// <summary>
    /// Takes the writer's or the reader's locks, trying again for a moment before giving up: a child this process
    /// forks shares its open file descriptions until it execs (O_CLOEXEC closes them only then), so a lock released
    /// here can outlive its descriptor by a few milliseconds. A VM or another writer holds its lock far longer.
    /// </summary>
    private static bool TryLockBriefly(SafeFileHandle handle, string path, bool exclusive)
    {
        for (var attempt = 0; ; attempt++)
        {
            var locked = exclusive
                ? TrySetLock(handle, path, Native.FWrlck, PermissionBase, ExclusionBase + PermissionCount - PermissionBase)
                : TrySetLock(handle, path, Native.FRdlck, PermissionBase + ConsistentRead, 1)
                    && TrySetLock(handle, path, Native.FRdlck, ExclusionBase + Write, 1)
                    && TrySetLock(handle, path, Native.FRdlck, ExclusionBase + Resize, 1)
                    && !IsLockedByOthers(handle, path, PermissionBase + Write)
                    && !IsLockedByOthers(handle, path, PermissionBase + Resize)
                    && !IsLockedByOthers(handle, path, ExclusionBase + ConsistentRead);
            if (locked || attempt == LockAttempts - 1)
            {
                return locked;
            }

            Thread.Sleep(LockRetryDelay);
        }
    }

    private static bool TrySetLock(SafeFileHandle handle, string path, short type, long start, long length)
    {
        var request = new Native.Flock { Type = type, Whence = 0, Start = start, Length = length };
        if (Native.Fcntl(handle, Native.FOfdSetlk, ref request) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is Native.EAgain or Native.EAcces ? false : throw CannotLock(path, errno);
    }

    /// <summary>
    /// A filesystem without byte-range locks (some NFS or FUSE mounts): refused like QEMU refuses it ("Failed to lock
    /// byte 100"), since nothing could then keep a VM or a second writer out.
    /// </summary>
    private static ImprintException CannotLock(string path, int errno) =>
        ImprintException.Conflict($"cannot lock '{path}': {Marshal.GetPInvokeErrorMessage(errno)}; without file locks nothing keeps a VM or another writer out of the disk");

    /// <summary>Whether another open file holds any lock on <paramref name="offset"/> (F_OFD_GETLK with a write lock).</summary>
    private static bool IsLockedByOthers(SafeFileHandle handle, string path, long offset)
    {
        var probe = new Native.Flock { Type = Native.FWrlck, Whence = 0, Start = offset, Length = 1 };
        if (Native.Fcntl(handle, Native.FOfdGetlk, ref probe) != 0)
        {
            throw CannotLock(path, Marshal.GetLastPInvokeError());
        }

        return probe.Type != Native.FUnlck;
    }

    private sealed class HandedOver(Held held, string path) : IDisposable
    {
        public void Dispose()
        {
            lock (HeldByThisProcess)
            {
                if (!held.Handle.IsClosed)
                {
                    TrySetLock(held.Handle, path, Native.FWrlck, PermissionBase, ExclusionBase + PermissionCount - PermissionBase);
                }
            }
        }
    }

    private sealed class Held(SafeFileHandle handle, bool isExclusive)
    {
        public SafeFileHandle Handle { get; } = handle;

        public bool IsExclusive { get; } = isExclusive;

        public int Count { get; set; } = 1;
    }

    private static partial class Native
    {
        public const int ORdonly = 0;
        public const int ORdwr = 2;
        public const int OCreat = 0x40;
        public const int OExcl = 0x80;
        public const int OCloexec = 0x80000;
        public const int FOfdGetlk = 36;
        public const int FOfdSetlk = 37;
        public const short FRdlck = 0;
        public const short FWrlck = 1;
        public const short FUnlck = 2;
        public const int EPerm = 1;
        public const int ENoent = 2;
        public const int EAgain = 11;
        public const int EAcces = 13;
        public const int EBusy = 16;
        public const int EIsdir = 21;
        public const int ERofs = 30;
        public const int ELoop = 40;

        /// <summary>O_NOFOLLOW differs between architectures (x86_64 0400000, arm64 0100000).</summary>
        public static int ONoFollow => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Open(string path, int flags, int mode);

        [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        public static partial int Fcntl(SafeFileHandle fd, int command, ref Flock flock);

        /// <summary>struct flock on 64-bit Linux (x86_64 and arm64 alike): 32 bytes, l_start at 8.</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct Flock
        {
            public short Type;
            public short Whence;
            public long Start;
            public long Length;
            public int Pid;
        }
    }
}
