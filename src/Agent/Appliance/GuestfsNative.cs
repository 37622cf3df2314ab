using System.Runtime.InteropServices;

namespace Imprint.Agent.Appliance;

/// <summary>
/// The part of libguestfs' C API (<c>guestfs(3)</c>, libguestfs.so.0, ABI-stable since 1.0) that Imprint calls.
/// Signatures follow the generator's rules: RErr/RInt/RBool return int (-1 on error), RInt64 int64_t, RString a
/// malloc'd <c>char*</c> (NULL on error), RStringList/RHashtable a NULL-terminated malloc'd <c>char**</c>,
/// RBufferOut a <c>char*</c> with its length in <c>size_t*</c>, RStruct(List) a struct the matching
/// <c>guestfs_free_*</c> releases. Optional arguments go through the <c>*_argv</c> variants: a struct with a bitmask
/// and one field per optional argument, in declaration order (only fields up to the last one used are declared).
/// Returned pointers are freed by <see cref="ApplianceSession"/>, never here.
/// </summary>
internal static unsafe partial class GuestfsNative
{
    private const string Library = "libguestfs.so.0";

    /// <summary>guestfs_create_flags: do not read LIBGUESTFS_* / TMPDIR from the environment.</summary>
    public const uint CreateNoEnvironment = 1;

    public const long AddDriveReadOnlyBit = 1L << 0;
    public const long AddDriveFormatBit = 1L << 1;

    public const long GlobExpandDirectorySlashBit = 1L << 0;

    public const long BtrfsResizeSizeBit = 1L << 0;

    public const long IsFileFollowSymlinksBit = 1L << 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct AddDriveOptsArgvStruct
    {
        public ulong Bitmask;
        public int ReadOnly;
        public nint Format;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct GlobExpandOptsArgvStruct
    {
        public ulong Bitmask;
        public int DirectorySlash;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct XfsGrowfsArgvStruct
    {
        public ulong Bitmask;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct BtrfsFilesystemResizeArgvStruct
    {
        public ulong Bitmask;
        public long Size;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IsFileOptsArgvStruct
    {
        public ulong Bitmask;
        public int FollowSymlinks;
    }

    /// <summary>struct guestfs_statns: 22 int64_t fields (generator/structs.ml).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StatNs
    {
        public long Dev;
        public long Ino;
        public long Mode;
        public long Nlink;
        public long Uid;
        public long Gid;
        public long Rdev;
        public long Size;
        public long Blksize;
        public long Blocks;
        public long AtimeSec;
        public long AtimeNsec;
        public long MtimeSec;
        public long MtimeNsec;
        public long CtimeSec;
        public long CtimeNsec;
        public long Spare1;
        public long Spare2;
        public long Spare3;
        public long Spare4;
        public long Spare5;
        public long Spare6;
    }

    /// <summary>struct guestfs_statvfs: 11 int64_t fields.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StatVfs
    {
        public long Bsize;
        public long Frsize;
        public long Blocks;
        public long Bfree;
        public long Bavail;
        public long Files;
        public long Ffree;
        public long Favail;
        public long Fsid;
        public long Flag;
        public long Namemax;
    }

    /// <summary>struct guestfs_statns_list { uint32_t len; struct guestfs_statns *val; }.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StatNsList
    {
        public uint Len;
        public StatNs* Val;
    }

    [LibraryImport(Library, EntryPoint = "guestfs_create_flags")]
    public static partial nint CreateFlags(uint flags);

    [LibraryImport(Library, EntryPoint = "guestfs_close")]
    public static partial void Close(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_last_error")]
    public static partial nint LastError(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_last_errno")]
    public static partial int LastErrno(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_set_error_handler")]
    public static partial void SetErrorHandler(nint g, nint callback, nint opaque);

    [LibraryImport(Library, EntryPoint = "guestfs_set_backend", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetBackend(nint g, string backend);

    [LibraryImport(Library, EntryPoint = "guestfs_set_backend_settings")]
    public static partial int SetBackendSettings(nint g, nint* settings);

    [LibraryImport(Library, EntryPoint = "guestfs_set_tmpdir", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetTmpdir(nint g, string? tmpdir);

    [LibraryImport(Library, EntryPoint = "guestfs_set_cachedir", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetCachedir(nint g, string? cachedir);

    [LibraryImport(Library, EntryPoint = "guestfs_set_autosync")]
    public static partial int SetAutosync(nint g, int autosync);

    [LibraryImport(Library, EntryPoint = "guestfs_set_network")]
    public static partial int SetNetwork(nint g, int network);

    [LibraryImport(Library, EntryPoint = "guestfs_set_memsize")]
    public static partial int SetMemsize(nint g, int megabytes);

    [LibraryImport(Library, EntryPoint = "guestfs_get_backend")]
    public static partial nint GetBackend(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_add_drive_opts_argv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddDriveOptsArgv(nint g, string filename, AddDriveOptsArgvStruct* optargs);

    [LibraryImport(Library, EntryPoint = "guestfs_launch")]
    public static partial int Launch(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_shutdown")]
    public static partial int Shutdown(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_sync")]
    public static partial int Sync(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_os")]
    public static partial nint InspectOs(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_type", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint InspectGetType(nint g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_distro", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint InspectGetDistro(nint g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_major_version", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InspectGetMajorVersion(nint g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_minor_version", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InspectGetMinorVersion(nint g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_arch", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint InspectGetArch(nint g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_hostname", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint InspectGetHostname(nint g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_product_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint InspectGetProductName(nint g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_package_format", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint InspectGetPackageFormat(nint g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_mountpoints", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint InspectGetMountpoints(nint g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_list_filesystems")]
    public static partial nint ListFilesystems(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_list_partitions")]
    public static partial nint ListPartitions(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_list_devices")]
    public static partial nint ListDevices(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_part_to_partnum", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int PartToPartnum(nint g, string partition);

    [LibraryImport(Library, EntryPoint = "guestfs_lvs")]
    public static partial nint Lvs(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_vgs")]
    public static partial nint Vgs(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_pvs")]
    public static partial nint Pvs(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_vgpvuuids", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint VgPvUuids(nint g, string vgname);

    [LibraryImport(Library, EntryPoint = "guestfs_pvuuid", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint PvUuid(nint g, string device);

    [LibraryImport(Library, EntryPoint = "guestfs_vfs_type", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint VfsType(nint g, string mountable);

    [LibraryImport(Library, EntryPoint = "guestfs_mount_options", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MountOptions(nint g, string options, string mountable, string mountpoint);

    [LibraryImport(Library, EntryPoint = "guestfs_mount_ro", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MountRo(nint g, string mountable, string mountpoint);

    [LibraryImport(Library, EntryPoint = "guestfs_umount_all")]
    public static partial int UmountAll(nint g);

    [LibraryImport(Library, EntryPoint = "guestfs_read_file", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ReadFile(nint g, string path, nuint* size);

    [LibraryImport(Library, EntryPoint = "guestfs_pread", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint Pread(nint g, string path, int count, long offset, nuint* size);

    [LibraryImport(Library, EntryPoint = "guestfs_ls", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint Ls(nint g, string directory);

    [LibraryImport(Library, EntryPoint = "guestfs_lstatns", StringMarshalling = StringMarshalling.Utf8)]
    public static partial StatNs* Lstatns(nint g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_statns", StringMarshalling = StringMarshalling.Utf8)]
    public static partial StatNs* Statns(nint g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_lstatnslist", StringMarshalling = StringMarshalling.Utf8)]
    public static partial StatNsList* Lstatnslist(nint g, string path, nint* names);

    [LibraryImport(Library, EntryPoint = "guestfs_free_statns")]
    public static partial void FreeStatns(StatNs* stat);

    [LibraryImport(Library, EntryPoint = "guestfs_free_statns_list")]
    public static partial void FreeStatnsList(StatNsList* list);

    [LibraryImport(Library, EntryPoint = "guestfs_readlink", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint Readlink(nint g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_readlinklist", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint Readlinklist(nint g, string path, nint* names);

    [LibraryImport(Library, EntryPoint = "guestfs_glob_expand_opts_argv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint GlobExpandOptsArgv(nint g, string pattern, GlobExpandOptsArgvStruct* optargs);

    [LibraryImport(Library, EntryPoint = "guestfs_exists", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Exists(nint g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_is_dir_opts_argv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int IsDirOptsArgv(nint g, string path, IsFileOptsArgvStruct* optargs);

    [LibraryImport(Library, EntryPoint = "guestfs_write", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Write(nint g, string path, byte* content, nuint size);

    [LibraryImport(Library, EntryPoint = "guestfs_upload", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Upload(nint g, string filename, string remoteFilename);

    [LibraryImport(Library, EntryPoint = "guestfs_chmod", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chmod(nint g, int mode, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_lchown", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Lchown(nint g, int owner, int group, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_ln_s", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LnS(nint g, string target, string linkname);

    [LibraryImport(Library, EntryPoint = "guestfs_rm", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rm(nint g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_rm_rf", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RmRf(nint g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_rmdir", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rmdir(nint g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_mkdir_p", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkdirP(nint g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_mkdir_mode", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkdirMode(nint g, string path, int mode);

    [LibraryImport(Library, EntryPoint = "guestfs_rename", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rename(nint g, string oldPath, string newPath);

    [LibraryImport(Library, EntryPoint = "guestfs_truncate", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Truncate(nint g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_touch", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Touch(nint g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_xfs_growfs_argv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int XfsGrowfsArgv(nint g, string path, XfsGrowfsArgvStruct* optargs);

    [LibraryImport(Library, EntryPoint = "guestfs_btrfs_filesystem_resize_argv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BtrfsFilesystemResizeArgv(nint g, string mountpoint, BtrfsFilesystemResizeArgvStruct* optargs);

    [LibraryImport(Library, EntryPoint = "guestfs_pvresize", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Pvresize(nint g, string device);

    [LibraryImport(Library, EntryPoint = "guestfs_lvresize_free", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LvresizeFree(nint g, string lv, int percent);

    [LibraryImport(Library, EntryPoint = "guestfs_blockdev_getsize64", StringMarshalling = StringMarshalling.Utf8)]
    public static partial long BlockdevGetsize64(nint g, string device);

    [LibraryImport(Library, EntryPoint = "guestfs_statvfs", StringMarshalling = StringMarshalling.Utf8)]
    public static partial StatVfs* Statvfs(nint g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_free_statvfs")]
    public static partial void FreeStatvfs(StatVfs* statvfs);

    [LibraryImport(Library, EntryPoint = "guestfs_find", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint Find(nint g, string directory);

    [LibraryImport(Library, EntryPoint = "guestfs_checksum", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint Checksum(nint g, string type, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_resize2fs", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Resize2fs(nint g, string device);

    [LibraryImport(Library, EntryPoint = "guestfs_vfs_uuid", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint VfsUuid(nint g, string mountable);

    [LibraryImport(Library, EntryPoint = "guestfs_vfs_label", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint VfsLabel(nint g, string mountable);
}
