using System.Runtime.InteropServices;
using System.Text;
using Imprint.Agent.Diagnostics;

namespace Imprint.Agent.Appliance;

/// <summary>
/// One libguestfs handle and the appliance VM behind it: add the disk, launch once, then typed calls. The guest's
/// filesystems are parsed by the appliance's kernel inside the VM, never by this machine's kernel. Every call is
/// synchronous (libguestfs blocks until the appliance answers) and throws <see cref="ApplianceException"/> with
/// libguestfs' error text and errno. Strings go in and come out as UTF-8; everything libguestfs returns is freed here.
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed unsafe class ApplianceSession : IDisposable
{
    private readonly GuestfsHandle _handle;
    private bool _launched;

    private ApplianceSession(GuestfsHandle handle)
    {
        _handle = handle;
    }

    /// <summary>Calls made to the appliance by this process (each is a round trip to the VM).</summary>
    public static long Calls => Interlocked.Read(ref _calls);

    private static long _calls;

    public bool Launched => _launched;

    /// <summary>The backend libguestfs will use (always <see cref="ApplianceBackend.Name"/>).</summary>
    public string Backend => TakeString(GuestfsNative.GetBackend(Raw), "get_backend", null) ?? string.Empty;

    private nint Raw => _handle.DangerousGetHandle();

    /// <summary>A handle set up for this machine: direct backend, TCG unless KVM is usable, no network, no autosync
    /// (<see cref="Shutdown"/> is explicit, so a write error at the end is reported, not swallowed by close).</summary>
    public static ApplianceSession Create()
    {
        var handle = GuestfsHandle.Create();
        var session = new ApplianceSession(handle);
        try
        {
            session.Check(GuestfsNative.SetBackend(session.Raw, ApplianceBackend.Name), "set_backend", ApplianceBackend.Name);
            using (var settings = new Utf8StringArray(ApplianceBackend.Settings))
            {
                session.Check(GuestfsNative.SetBackendSettings(session.Raw, settings.Pointer), "set_backend_settings", null);
            }

            session.Check(GuestfsNative.SetTmpdir(session.Raw, Path.GetTempPath().TrimEnd('/')), "set_tmpdir", null);
            if (Environment.GetEnvironmentVariable("LIBGUESTFS_CACHEDIR") is { Length: > 0 } cache)
            {
                // Where the agent image keeps its prebuilt appliance; a plain path, not a behaviour switch.
                session.Check(GuestfsNative.SetCachedir(session.Raw, cache), "set_cachedir", cache);
            }

            session.Check(GuestfsNative.SetNetwork(session.Raw, 0), "set_network", null);
            session.Check(GuestfsNative.SetAutosync(session.Raw, 0), "set_autosync", null);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Adds a raw disk image or block device as the next drive (/dev/sda, /dev/sdb, …). Must precede <see cref="Launch"/>.</summary>
    public void AddDrive(string path, bool readOnly)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = Marshal.StringToCoTaskMemUTF8("raw");
        try
        {
            var args = new GuestfsNative.AddDriveOptsArgvStruct
            {
                Bitmask = (ulong)(GuestfsNative.AddDriveReadOnlyBit | GuestfsNative.AddDriveFormatBit),
                ReadOnly = readOnly ? 1 : 0,
                Format = format,
            };
            Check(GuestfsNative.AddDriveOptsArgv(Raw, path, &args), "add_drive_opts", path);
        }
        finally
        {
            Marshal.FreeCoTaskMem(format);
        }
    }

    /// <summary>Starts the appliance VM (once per session; ~15-20 s under TCG, ~2 s with KVM).</summary>
    public void Launch()
    {
        using var span = AgentTrace.Start("appliance.launch");
        Check(GuestfsNative.Launch(Raw), "launch", null);
        _launched = true;
    }

    /// <summary>Unmounts, syncs and stops the appliance, reporting any write-back error. Dispose alone kills it.</summary>
    public void Shutdown()
    {
        using var span = AgentTrace.Start("appliance.shutdown");
        Check(GuestfsNative.Shutdown(Raw), "shutdown", null);
        _launched = false;
    }

    public void Sync() => Check(GuestfsNative.Sync(Raw), "sync", null);

    /// <summary>Operating system roots libguestfs' inspection found (e.g. <c>/dev/sda3</c>, <c>/dev/rl/root</c>, <c>btrfsvol:/dev/sda2/root</c>).</summary>
    public IReadOnlyList<string> InspectOs()
    {
        using var span = AgentTrace.Start("appliance.inspect_os");
        return TakeStringList(GuestfsNative.InspectOs(Raw), "inspect_os", null);
    }

    /// <summary><c>linux</c>, <c>windows</c>, <c>freebsd</c>, … or <c>unknown</c>.</summary>
    public string InspectType(string root) => TakeString(GuestfsNative.InspectGetType(Raw, root), "inspect_get_type", root)!;

    public string InspectDistro(string root) => TakeString(GuestfsNative.InspectGetDistro(Raw, root), "inspect_get_distro", root)!;

    public int InspectMajorVersion(string root) => Check(GuestfsNative.InspectGetMajorVersion(Raw, root), "inspect_get_major_version", root);

    public int InspectMinorVersion(string root) => Check(GuestfsNative.InspectGetMinorVersion(Raw, root), "inspect_get_minor_version", root);

    public string InspectArch(string root) => TakeString(GuestfsNative.InspectGetArch(Raw, root), "inspect_get_arch", root)!;

    public string InspectHostname(string root) => TakeString(GuestfsNative.InspectGetHostname(Raw, root), "inspect_get_hostname", root)!;

    public string InspectProductName(string root) => TakeString(GuestfsNative.InspectGetProductName(Raw, root), "inspect_get_product_name", root)!;

    public string InspectPackageFormat(string root) => TakeString(GuestfsNative.InspectGetPackageFormat(Raw, root), "inspect_get_package_format", root)!;

    /// <summary>The guest's mount points (from its fstab) and what is mounted there, shortest mount point first.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> InspectMountpoints(string root) =>
        [.. TakeHashtable(GuestfsNative.InspectGetMountpoints(Raw, root), "inspect_get_mountpoints", root).OrderBy(p => p.Key.Length).ThenBy(p => p.Key, StringComparer.Ordinal)];

    /// <summary>Every filesystem the appliance sees (partitions, LVs, btrfs subvolumes as <c>btrfsvol:</c>) and its type.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ListFilesystems() =>
        TakeHashtable(GuestfsNative.ListFilesystems(Raw), "list_filesystems", null);

    public IReadOnlyList<string> ListPartitions() => TakeStringList(GuestfsNative.ListPartitions(Raw), "list_partitions", null);

    public IReadOnlyList<string> ListDevices() => TakeStringList(GuestfsNative.ListDevices(Raw), "list_devices", null);

    /// <summary>The partition number of a partition device (<c>/dev/sda3</c> → 3).</summary>
    public int PartitionNumber(string partition) => Check(GuestfsNative.PartToPartnum(Raw, partition), "part_to_partnum", partition);

    /// <summary>Logical volumes as <c>/dev/VG/LV</c>.</summary>
    public IReadOnlyList<string> LogicalVolumes() => TakeStringList(GuestfsNative.Lvs(Raw), "lvs", null);

    public IReadOnlyList<string> VolumeGroups() => TakeStringList(GuestfsNative.Vgs(Raw), "vgs", null);

    public IReadOnlyList<string> PhysicalVolumes() => TakeStringList(GuestfsNative.Pvs(Raw), "pvs", null);

    public IReadOnlyList<string> VolumeGroupPvUuids(string volumeGroup) => TakeStringList(GuestfsNative.VgPvUuids(Raw, volumeGroup), "vgpvuuids", volumeGroup);

    public string PhysicalVolumeUuid(string device) => TakeString(GuestfsNative.PvUuid(Raw, device), "pvuuid", device)!;

    /// <summary>The filesystem UUID (empty when it has none).</summary>
    public string VfsUuid(string mountable) => TakeString(GuestfsNative.VfsUuid(Raw, mountable), "vfs_uuid", mountable)!;

    /// <summary>The filesystem label (empty when it has none).</summary>
    public string VfsLabel(string mountable) => TakeString(GuestfsNative.VfsLabel(Raw, mountable), "vfs_label", mountable)!;

    public string VfsType(string mountable) => TakeString(GuestfsNative.VfsType(Raw, mountable), "vfs_type", mountable)!;

    /// <summary>Mounts inside the appliance (<paramref name="options"/> e.g. <c>subvol=root</c>; empty for none).</summary>
    public void Mount(string mountable, string mountPoint, string options, bool readOnly)
    {
        var all = readOnly ? (options.Length == 0 ? "ro" : $"ro,{options}") : options;
        Check(GuestfsNative.MountOptions(Raw, all, mountable, mountPoint), "mount", $"{mountable} on {mountPoint}");
    }

    public void UmountAll() => Check(GuestfsNative.UmountAll(Raw), "umount_all", null);

    /// <summary>Whole content of a guest file (symlinks followed inside the guest; up to ~2 MiB per call).</summary>
    public byte[] ReadFile(string path)
    {
        nuint size;
        var buffer = GuestfsNative.ReadFile(Raw, path, &size);
        return TakeBuffer(buffer, size, "read_file", path);
    }

    /// <summary>Up to <paramref name="count"/> bytes at <paramref name="offset"/> of a guest file.</summary>
    public byte[] Pread(string path, int count, long offset)
    {
        nuint size;
        var buffer = GuestfsNative.Pread(Raw, path, count, offset, &size);
        return TakeBuffer(buffer, size, "pread", path);
    }

    /// <summary>Names in a guest directory (without . and ..), sorted.</summary>
    public IReadOnlyList<string> List(string directory) => TakeStringList(GuestfsNative.Ls(Raw, directory), "ls", directory);

    /// <summary>lstat of a guest path.</summary>
    public ApplianceStat Lstat(string path)
    {
        Interlocked.Increment(ref _calls);
        var stat = GuestfsNative.Lstatns(Raw, path);
        if (stat == null)
        {
            throw Failure("lstatns", path);
        }

        try
        {
            return ApplianceStat.From(*stat);
        }
        finally
        {
            GuestfsNative.FreeStatns(stat);
        }
    }

    /// <summary>lstat of many names in one directory in one round trip; a missing name gives null.</summary>
    public IReadOnlyList<ApplianceStat?> LstatMany(string directory, IReadOnlyList<string> names)
    {
        Interlocked.Increment(ref _calls);
        using var array = new Utf8StringArray(names);
        var list = GuestfsNative.Lstatnslist(Raw, directory, array.Pointer);
        if (list == null)
        {
            throw Failure("lstatnslist", directory);
        }

        try
        {
            var result = new ApplianceStat?[list->Len];
            for (var i = 0; i < result.Length; i++)
            {
                // libguestfs marks a name it could not stat with st_ino = -1.
                result[i] = list->Val[i].Ino == -1 ? null : ApplianceStat.From(list->Val[i]);
            }

            return result;
        }
        finally
        {
            GuestfsNative.FreeStatnsList(list);
        }
    }

    /// <summary>Every path below a directory, relative to it (recursive, like find(1) without the directory itself).</summary>
    public IReadOnlyList<string> Find(string directory) => TakeStringList(GuestfsNative.Find(Raw, directory), "find", directory);

    /// <summary>Lower-case hex SHA-256 of a guest file, computed inside the appliance.</summary>
    public string Sha256(string path) => TakeString(GuestfsNative.Checksum(Raw, "sha256", path), "checksum", path)!;

    /// <summary>Grows an ext2/3/4 on a device to fill it (online when mounted).</summary>
    public void Resize2fs(string device) => Check(GuestfsNative.Resize2fs(Raw, device), "resize2fs", device);

    public string Readlink(string path) => TakeString(GuestfsNative.Readlink(Raw, path), "readlink", path)!;

    /// <summary>Targets of many symlinks in one directory in one round trip (empty string where a name is no symlink).</summary>
    public IReadOnlyList<string> ReadlinkMany(string directory, IReadOnlyList<string> names)
    {
        using var array = new Utf8StringArray(names);
        return TakeStringList(GuestfsNative.Readlinklist(Raw, directory, array.Pointer), "readlinklist", directory);
    }

    /// <summary>Paths matching a glob(3) pattern inside the guest, without a slash appended to directories.</summary>
    public IReadOnlyList<string> GlobExpand(string pattern)
    {
        var args = new GuestfsNative.GlobExpandOptsArgvStruct { Bitmask = (ulong)GuestfsNative.GlobExpandDirectorySlashBit, DirectorySlash = 0 };
        return TakeStringList(GuestfsNative.GlobExpandOptsArgv(Raw, pattern, &args), "glob_expand", pattern);
    }

    public bool Exists(string path) => Check(GuestfsNative.Exists(Raw, path), "exists", path) != 0;

    public bool IsDirectory(string path, bool followSymlinks)
    {
        var args = new GuestfsNative.IsFileOptsArgvStruct { Bitmask = (ulong)GuestfsNative.IsFileFollowSymlinksBit, FollowSymlinks = followSymlinks ? 1 : 0 };
        return Check(GuestfsNative.IsDirOptsArgv(Raw, path, &args), "is_dir", path) != 0;
    }

    /// <summary>Writes a whole file (created 0644 root:root when new; an existing file keeps its inode, mode and owner).</summary>
    public void Write(string path, ReadOnlySpan<byte> content)
    {
        fixed (byte* bytes = content)
        {
            // A non-null pointer even for empty content: libguestfs rejects NULL buffers.
            byte empty = 0;
            Check(GuestfsNative.Write(Raw, path, content.Length == 0 ? &empty : bytes, (nuint)content.Length), "write", path);
        }
    }

    /// <summary>Copies a host file into the guest (for contents too large for one <see cref="Write"/>).</summary>
    public void Upload(string hostFile, string path) => Check(GuestfsNative.Upload(Raw, hostFile, path), "upload", path);

    /// <summary>Sets permission bits (07777) of a path (symlinks followed, as chmod(2) does).</summary>
    public void Chmod(string path, int mode) => Check(GuestfsNative.Chmod(Raw, mode, path), "chmod", path);

    /// <summary>Sets owner and group of a path itself (a symlink is not followed).</summary>
    public void Lchown(string path, uint uid, uint gid) => Check(GuestfsNative.Lchown(Raw, (int)uid, (int)gid, path), "lchown", path);

    public void Symlink(string target, string linkName) => Check(GuestfsNative.LnS(Raw, target, linkName), "ln_s", linkName);

    /// <summary>Removes a file, symlink or special file (not a directory).</summary>
    public void Remove(string path) => Check(GuestfsNative.Rm(Raw, path), "rm", path);

    /// <summary>Removes a directory tree (or anything else) recursively; a missing path is no error.</summary>
    public void RemoveTree(string path) => Check(GuestfsNative.RmRf(Raw, path), "rm_rf", path);

    public void RemoveDirectory(string path) => Check(GuestfsNative.Rmdir(Raw, path), "rmdir", path);

    /// <summary>Creates a directory and its missing parents (0755, as mkdir -p); existing ones are left alone.</summary>
    public void MkdirP(string path) => Check(GuestfsNative.MkdirP(Raw, path), "mkdir_p", path);

    /// <summary>Creates one directory with this mode (the appliance's umask 022 applies; chmod afterwards for exact bits).</summary>
    public void Mkdir(string path, int mode) => Check(GuestfsNative.MkdirMode(Raw, path, mode), "mkdir_mode", path);

    public void Rename(string oldPath, string newPath) => Check(GuestfsNative.Rename(Raw, oldPath, newPath), "rename", $"{oldPath} -> {newPath}");

    /// <summary>Makes a file empty, keeping its inode, mode and owner.</summary>
    public void Truncate(string path) => Check(GuestfsNative.Truncate(Raw, path), "truncate", path);

    public void Touch(string path) => Check(GuestfsNative.Touch(Raw, path), "touch", path);

    /// <summary>Grows the mounted xfs at <paramref name="mountPoint"/> to fill its device.</summary>
    public void XfsGrowfs(string mountPoint)
    {
        var args = new GuestfsNative.XfsGrowfsArgvStruct { Bitmask = 0 };
        Check(GuestfsNative.XfsGrowfsArgv(Raw, mountPoint, &args), "xfs_growfs", mountPoint);
    }

    /// <summary>Grows the mounted btrfs at <paramref name="mountPoint"/> to fill its device (btrfs filesystem resize max).</summary>
    public void BtrfsResizeToMax(string mountPoint)
    {
        var args = new GuestfsNative.BtrfsFilesystemResizeArgvStruct { Bitmask = 0 };
        Check(GuestfsNative.BtrfsFilesystemResizeArgv(Raw, mountPoint, &args), "btrfs_filesystem_resize", mountPoint);
    }

    /// <summary>Grows an LVM physical volume to fill its (grown) partition.</summary>
    public void Pvresize(string device) => Check(GuestfsNative.Pvresize(Raw, device), "pvresize", device);

    /// <summary>Extends a logical volume by <paramref name="percent"/>% of its volume group's free space.</summary>
    public void LvresizeFree(string logicalVolume, int percent) => Check(GuestfsNative.LvresizeFree(Raw, logicalVolume, percent), "lvresize_free", logicalVolume);

    public long BlockDeviceSize(string device) => Check(GuestfsNative.BlockdevGetsize64(Raw, device), "blockdev_getsize64", device);

    /// <summary>Size in bytes of the filesystem mounted at (or holding) <paramref name="path"/>.</summary>
    public long FileSystemSize(string path)
    {
        Interlocked.Increment(ref _calls);
        var stat = GuestfsNative.Statvfs(Raw, path);
        if (stat == null)
        {
            throw Failure("statvfs", path);
        }

        try
        {
            return stat->Blocks * stat->Frsize;
        }
        finally
        {
            GuestfsNative.FreeStatvfs(stat);
        }
    }

    public void Dispose() => _handle.Dispose();

    private int Check(int result, string call, string? subject)
    {
        Interlocked.Increment(ref _calls);
        return result == -1 ? throw Failure(call, subject) : result;
    }

    private long Check(long result, string call, string? subject)
    {
        Interlocked.Increment(ref _calls);
        return result == -1 ? throw Failure(call, subject) : result;
    }

    private ApplianceException Failure(string call, string? subject)
    {
        var error = Marshal.PtrToStringUTF8(GuestfsNative.LastError(Raw)) ?? "unknown error";
        var errno = GuestfsNative.LastErrno(Raw);
        return new ApplianceException(call, subject, errno, error.Trim());
    }

    private string? TakeString(nint text, string call, string? subject)
    {
        Interlocked.Increment(ref _calls);
        if (text == IntPtr.Zero)
        {
            throw Failure(call, subject);
        }

        try
        {
            return Marshal.PtrToStringUTF8(text);
        }
        finally
        {
            NativeMemory.Free((void*)text);
        }
    }

    private List<string> TakeStringList(nint list, string call, string? subject)
    {
        Interlocked.Increment(ref _calls);
        if (list == IntPtr.Zero)
        {
            throw Failure(call, subject);
        }

        var items = new List<string>();
        var entries = (nint*)list;
        try
        {
            for (var i = 0; entries[i] != IntPtr.Zero; i++)
            {
                items.Add(Marshal.PtrToStringUTF8(entries[i]) ?? string.Empty);
            }
        }
        finally
        {
            for (var i = 0; entries[i] != IntPtr.Zero; i++)
            {
                NativeMemory.Free((void*)entries[i]);
            }

            NativeMemory.Free((void*)list);
        }

        return items;
    }

    private List<KeyValuePair<string, string>> TakeHashtable(nint list, string call, string? subject)
    {
        var flat = TakeStringList(list, call, subject);
        var pairs = new List<KeyValuePair<string, string>>(flat.Count / 2);
        for (var i = 0; i + 1 < flat.Count; i += 2)
        {
            pairs.Add(new KeyValuePair<string, string>(flat[i], flat[i + 1]));
        }

        return pairs;
    }

    private byte[] TakeBuffer(nint buffer, nuint size, string call, string subject)
    {
        Interlocked.Increment(ref _calls);
        if (buffer == IntPtr.Zero)
        {
            throw Failure(call, subject);
        }

        try
        {
            return new ReadOnlySpan<byte>((void*)buffer, checked((int)size)).ToArray();
        }
        finally
        {
            NativeMemory.Free((void*)buffer);
        }
    }

    /// <summary>A NULL-terminated <c>char*[]</c> of UTF-8 strings, freed on dispose.</summary>
    private sealed class Utf8StringArray : IDisposable
    {
        private readonly nint[] _strings;
        private readonly GCHandle _pin;

        public Utf8StringArray(IReadOnlyList<string> strings)
        {
            _strings = new nint[strings.Count + 1];
            for (var i = 0; i < strings.Count; i++)
            {
                _strings[i] = Marshal.StringToCoTaskMemUTF8(strings[i]);
            }

            _pin = GCHandle.Alloc(_strings, GCHandleType.Pinned);
        }

        public nint* Pointer => (nint*)_pin.AddrOfPinnedObject();

        public void Dispose()
        {
            _pin.Free();
            foreach (var text in _strings)
            {
                Marshal.FreeCoTaskMem(text);
            }
        }
    }
}
