using System.Text;
using Imprint.Agent.Appliance;
using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Appliance;

/// <summary>
/// The libguestfs binding against a real appliance (one launch for the class, see <see cref="LaunchedRockyGuest"/>):
/// every call's result is compared with what the guest was built with (guestfish, tar-in), and the failure paths
/// must come back as exceptions that name the call and the path, with the right exit code.
/// </summary>
public sealed class ApplianceSessionTests(LaunchedRockyGuest guest) : IClassFixture<LaunchedRockyGuest>
{
    private ApplianceSession Session => guest.Session;

    [Fact]
    public void Inspection_finds_the_xfs_root_and_reads_distro_version_arch_and_hostname()
    {
        Assert.Equal(["/dev/sda2"], guest.Roots);
        Assert.Equal("linux", Session.InspectType("/dev/sda2"));
        Assert.Equal("rocky", Session.InspectDistro("/dev/sda2"));
        Assert.Equal(9, Session.InspectMajorVersion("/dev/sda2"));
        Assert.Equal(4, Session.InspectMinorVersion("/dev/sda2"));
        Assert.Equal("x86_64", Session.InspectArch("/dev/sda2")); // from the real ELF at /usr/bin/bash
        Assert.Equal("golden", Session.InspectHostname("/dev/sda2"));
        Assert.Equal("Rocky Linux 9.4 (Blue Onyx)", Session.InspectProductName("/dev/sda2"));
        Assert.Equal("rpm", Session.InspectPackageFormat("/dev/sda2"));

        // fstab by UUID, resolved to devices, shortest mount point first (the order to mount them in).
        Assert.Equal(
            [new("/", "/dev/sda2"), new("/boot", "/dev/sda1")],
            Session.InspectMountpoints("/dev/sda2"));
    }

    [Fact]
    public void Lists_devices_partitions_and_filesystems_with_their_types()
    {
        Assert.Equal(["/dev/sda"], Session.ListDevices());
        Assert.Equal(["/dev/sda1", "/dev/sda2"], Session.ListPartitions());
        Assert.Equal(2, Session.PartitionNumber("/dev/sda2"));
        var filesystems = Session.ListFilesystems().ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("ext4", filesystems["/dev/sda1"]);
        Assert.Equal("xfs", filesystems["/dev/sda2"]);
        Assert.Equal("xfs", Session.VfsType("/dev/sda2"));
        Assert.Empty(Session.LogicalVolumes());
        Assert.Equal(ApplianceGuests.RockyDiskBytes, Session.BlockDeviceSize("/dev/sda"));
        Assert.Equal("direct", Session.Backend);
    }

    [Fact]
    public void Reads_files_metadata_symlinks_and_globs_of_the_mounted_guest()
    {
        Assert.Equal("golden\n", Encoding.UTF8.GetString(Session.ReadFile("/etc/hostname")));
        Assert.Equal("# grub\n", Encoding.UTF8.GetString(Session.ReadFile("/boot/grub2/grub.cfg"))); // on partition 1

        var key = Session.Lstat("/etc/ssh/ssh_host_ed25519_key");
        Assert.True(key.IsRegularFile);
        Assert.Equal(0b110_100_000, key.Permissions); // chmod 0640 and chown 0:996 in the build script
        Assert.Equal((0u, 996u), (key.Uid, key.Gid));
        Assert.Equal(ApplianceGuests.RockyHostKey.Length, key.Size);

        var bin = Session.Lstat("/bin");
        Assert.True(bin.IsSymlink);
        Assert.Equal("usr/bin", Session.Readlink("/bin"));
        Assert.True(Session.IsDirectory("/bin", followSymlinks: true));
        Assert.False(Session.IsDirectory("/bin", followSymlinks: false));

        var many = Session.LstatMany("/etc", ["hostname", "no-such-file", "ssh"]);
        Assert.Equal(7, many[0]!.Size);
        Assert.Null(many[1]);
        Assert.True(many[2]!.IsDirectory);
        Assert.Equal(["usr/bin", string.Empty], Session.ReadlinkMany("/", ["bin", "etc"]));

        Assert.Equal(["/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_ed25519_key.pub"], Session.GlobExpand("/etc/ssh/ssh_host_*"));
        Assert.Empty(Session.GlobExpand("/etc/nothing-*"));
        Assert.Contains("hostname", Session.List("/etc"));

        var elf = Session.Pread("/usr/bin/bash", 4, 0);
        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, elf);
        Assert.InRange(Session.FileSystemSize("/"), 350 * TestDisks.MiB, 400 * TestDisks.MiB); // partition 2 is ~399 MiB; the xfs log is not counted
    }

    [Fact]
    public void A_missing_guest_file_is_not_found_and_the_error_names_the_call_and_path()
    {
        var error = Assert.Throws<ApplianceException>(() => Session.ReadFile("/etc/no-such-file"));

        Assert.True(error.IsNotFound);
        Assert.Equal(ExitCode.NotFound, error.Code);
        Assert.Contains("read_file", error.Message, StringComparison.Ordinal);
        Assert.Contains("/etc/no-such-file", error.Message, StringComparison.Ordinal);
        Assert.False(Session.Exists("/etc/no-such-file"));
    }

    [Fact]
    public void Mounting_a_device_that_does_not_exist_is_a_clear_error()
    {
        var error = Assert.Throws<ApplianceException>(() => Session.Mount("/dev/sdz9", "/mnt", string.Empty, readOnly: true));

        Assert.Equal("mount", error.Call);
        Assert.Contains("/dev/sdz9", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(ExitCode.InternalError, error.Code);
    }

    [Fact]
    public void Writing_to_a_read_only_mount_fails_as_not_writable_and_changes_nothing()
    {
        var error = Assert.Throws<ApplianceException>(() => Session.Write("/etc/hostname", "clone\n"u8));

        Assert.Equal(ExitCode.NotWritable, error.Code);
        Assert.Equal(ApplianceException.EROFS, error.Errno);
        Assert.Equal("golden\n", Encoding.UTF8.GetString(Session.ReadFile("/etc/hostname")));
    }
}
