using System.Globalization;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.TestGuests;

/// <summary>
/// Builds the matrix guests without root: the partition table with sgdisk and the small vfat/ext filesystems with
/// their own mkfs at an offset on the host, then one guestfish launch per guest for what needs a kernel (LVM, xfs,
/// btrfs and its subvolumes), which also unpacks the guest's file tree with <c>tar-in</c>. UUIDs are fixed so each
/// fstab names its filesystems the way an installer would.
/// </summary>
public static class TestGuestBuilder
{
    private const string EfiVolumeId = "5A3C1B2E";
    private const string EfiUuid = "5A3C-1B2E";
    private const string RootUuid = "6f1f5a43-0b1e-4f55-9a59-3d6b2b2f8c01";
    private const string BootUuid = "0c2e8b7d-6a41-4f3e-8d9c-1b2a3c4d5e02";
    private const string FedoraBtrfsUuid = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c03";

    // Each btrfs its own fsid: the kernel groups devices by it, so two guests attached at once must not share one.
    private const string SuseBtrfsUuid = "3e4d5c6b-7a89-4b0c-9d1e-2f3a4b5c6d04";

    public static TestGuest Describe(TestGuestKind kind) => kind switch
    {
        TestGuestKind.RockyXfs => new TestGuest
        {
            Kind = kind,
            Row = "Rocky 9 · xfs · GPT (EFI, /boot xfs, root xfs)",
            OsId = "rocky",
            InspectedDistro = "rocky",
            InspectionRoot = "/dev/sda3",
            RootFileSystem = "xfs",
            SizeMiB = 1024,
            RootDevice = "/dev/sda3",
            RootPartition = 3,
            SeLinux = true,
            MountReadOnly = ["mount-ro /dev/sda3 /", "mount-ro /dev/sda2 /boot", "mount-ro /dev/sda1 /boot/efi"],
            FileSystems = [("/dev/sda3", "xfs"), ("/dev/sda2", "xfs")],
            HostnameFiles = ["/etc/hostname"],
            NetworkFolder = "/etc/NetworkManager/system-connections",
            NetworkStyle = "networkmanager",
        },
        TestGuestKind.RhelLvmXfs => new TestGuest
        {
            Kind = kind,
            Row = "RHEL 8 server · LVM (VG rhel: root xfs, swap) · GPT",
            OsId = "rhel",
            InspectedDistro = "rhel",
            InspectionRoot = "/dev/rhel/root",
            RootFileSystem = "xfs",
            SizeMiB = 1280,
            RootDevice = "/dev/rhel/root",
            RootPartition = 3,
            SeLinux = true,
            VolumeGroup = "rhel",
            MountReadOnly = ["mount-ro /dev/rhel/root /", "mount-ro /dev/sda2 /boot", "mount-ro /dev/sda1 /boot/efi"],
            FileSystems = [("/dev/rhel/root", "xfs"), ("/dev/sda2", "xfs")],
            HostnameFiles = ["/etc/hostname"],
            NetworkFolder = "/etc/sysconfig/network-scripts",
            NetworkStyle = "ifcfg",
        },
        TestGuestKind.FedoraBtrfs => new TestGuest
        {
            Kind = kind,
            Row = "Fedora 41 · btrfs subvolumes root/home · GPT (EFI, /boot ext4)",
            OsId = "fedora",
            InspectedDistro = "fedora",
            InspectionRoot = "btrfsvol:/dev/sda3/root",
            RootFileSystem = "btrfs",
            SizeMiB = 1024,
            RootDevice = "/dev/sda3",
            RootPartition = 3,
            SeLinux = true,
            MountReadOnly = ["mount-options ro,subvol=root /dev/sda3 /", "mount-options ro,subvol=home /dev/sda3 /home", "mount-ro /dev/sda2 /boot", "mount-ro /dev/sda1 /boot/efi"],
            FileSystems = [("/dev/sda3", "btrfs"), ("/dev/sda2", "ext4")],
            HostnameFiles = ["/etc/hostname"],
            NetworkFolder = "/etc/NetworkManager/system-connections",
            NetworkStyle = "networkmanager",
        },
        TestGuestKind.OpenSuseBtrfs => new TestGuest
        {
            Kind = kind,
            Row = "openSUSE Leap 15.6 · btrfs @ subvolumes, default snapshot · GPT (BIOS boot, EFI)",
            OsId = "opensuse-leap",
            InspectedDistro = "opensuse",
            InspectionRoot = "/dev/sda3",
            RootFileSystem = "btrfs",
            SizeMiB = 1024,
            RootDevice = "/dev/sda3",
            RootPartition = 3,
            SeLinux = false,
            MountReadOnly = ["mount-ro /dev/sda3 /", "mount-options ro,subvol=@/home /dev/sda3 /home", "mount-options ro,subvol=@/var /dev/sda3 /var", "mount-ro /dev/sda2 /boot/efi"],
            FileSystems = [("/dev/sda3", "btrfs")],
            HostnameFiles = ["/etc/HOSTNAME", "/etc/hostname"],
            NetworkFolder = "/etc/sysconfig/network",
            NetworkStyle = "wicked",
        },
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown test guest"),
    };

    /// <summary>Builds <paramref name="kind"/> into <paramref name="image"/> (raw, sparse); <paramref name="scratch"/> holds the tree.</summary>
    public static TestGuest Build(TestGuestKind kind, string image, string scratch)
    {
        var guest = Describe(kind);
        var tree = Path.Combine(scratch, "tree");
        Directory.CreateDirectory(tree);
        var tar = Path.Combine(scratch, "tree.tar");
        string[] script = kind switch
        {
            TestGuestKind.RockyXfs => Rocky(image, tree),
            TestGuestKind.RhelLvmXfs => Rhel(image, tree),
            TestGuestKind.FedoraBtrfs => Fedora(image, tree),
            TestGuestKind.OpenSuseBtrfs => OpenSuse(image, tree),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown test guest"),
        };
        GuestfishText.PackTree(tree, tar);
        var hostKey = File.ReadAllText(Path.Combine(tree, "etc/ssh/ssh_host_ed25519_key.pub"));
        var user = kind switch
        {
            TestGuestKind.RockyXfs => "rocky",
            TestGuestKind.RhelLvmXfs => "rhel",
            TestGuestKind.FedoraBtrfs => "fedora",
            _ => "opensuse",
        };
        Guestfish.Run(string.Join('\n', [
            .. script,
            $"tar-in {GuestfishText.Quote(tar)} /",
            $"chown 1000 1000 /home/{user}",
            $"chown 1000 1000 /home/{user}/.bashrc",
            $"chown 1000 1000 /home/{user}/.bash_history",
            "umount-all",
        ]), readOnly: false, image);
        File.Delete(tar);
        Directory.Delete(tree, recursive: true);
        return guest with { GoldenHostKey = hostKey };
    }

    private static string[] Rocky(string image, string tree)
    {
        TestDisks.CreateGpt(image, 1024, new PartitionSpec(100, "EF00", "EFI System Partition"), new PartitionSpec(300, "8300"), new PartitionSpec(0, "8300"));
        Efi(image);
        TestGuestTrees.Rocky(tree, RootUuid, BootUuid, EfiUuid);
        return
        [
            "mkfs xfs /dev/sda3", $"set-uuid /dev/sda3 {RootUuid}",
            "mkfs xfs /dev/sda2", $"set-uuid /dev/sda2 {BootUuid}",
            "mount /dev/sda3 /", "mkdir-p /boot", "mount /dev/sda2 /boot", "mkdir-p /boot/efi", "mount /dev/sda1 /boot/efi",
        ];
    }

    private static string[] Rhel(string image, string tree)
    {
        TestDisks.CreateGpt(image, 1280, new PartitionSpec(100, "EF00", "EFI System Partition"), new PartitionSpec(300, "8300"), new PartitionSpec(0, "8E00"));
        Efi(image);
        TestGuestTrees.Rhel(tree, BootUuid, EfiUuid);
        return
        [
            "pvcreate /dev/sda3", "vgcreate rhel /dev/sda3", "lvcreate swap rhel 64", "lvcreate-free root rhel 100",
            "mkswap /dev/rhel/swap label:swap",
            "mkfs xfs /dev/rhel/root",
            "mkfs xfs /dev/sda2", $"set-uuid /dev/sda2 {BootUuid}",
            "mount /dev/rhel/root /", "mkdir-p /boot", "mount /dev/sda2 /boot", "mkdir-p /boot/efi", "mount /dev/sda1 /boot/efi",
        ];
    }

    private static string[] Fedora(string image, string tree)
    {
        TestDisks.CreateGpt(image, 1024, new PartitionSpec(100, "EF00", "EFI System Partition"), new PartitionSpec(256, "8300"), new PartitionSpec(0, "8300"));
        Efi(image);
        TestDisks.MakeExt(image, 2, "ext4", null, "-U", BootUuid, "-L", "boot");
        TestGuestTrees.Fedora(tree, FedoraBtrfsUuid, BootUuid, EfiUuid);
        return
        [
            "mkfs btrfs /dev/sda3 label:fedora", $"set-uuid /dev/sda3 {FedoraBtrfsUuid}",
            "mount /dev/sda3 /", "btrfs-subvolume-create /root", "btrfs-subvolume-create /home", "umount /",
            "mount-options subvol=root /dev/sda3 /", "mkdir-p /home", "mount-options subvol=home /dev/sda3 /home",
            "mkdir-p /boot", "mount /dev/sda2 /boot", "mkdir-p /boot/efi", "mount /dev/sda1 /boot/efi",
        ];
    }

    private static string[] OpenSuse(string image, string tree)
    {
        TestDisks.CreateGpt(image, 1024, new PartitionSpec(2, "EF02", "BIOS boot"), new PartitionSpec(64, "EF00", "EFI System Partition"), new PartitionSpec(0, "8300"));
        Efi(image, partition: 2);
        TestGuestTrees.OpenSuse(tree, SuseBtrfsUuid, EfiUuid);

        // Snapper's layout: subvolume ids follow creation order on a fresh filesystem, so the root snapshot is 258.
        return
        [
            "mkfs btrfs /dev/sda3", $"set-uuid /dev/sda3 {SuseBtrfsUuid}",
            "mount /dev/sda3 /", "btrfs-subvolume-create /@", "btrfs-subvolume-create /@/.snapshots", "mkdir /@/.snapshots/1",
            "btrfs-subvolume-create /@/.snapshots/1/snapshot", "btrfs-subvolume-create /@/home", "btrfs-subvolume-create /@/var",
            "write /@/.snapshots/1/info.xml \"<snapshot><type>single</type><num>1</num><description>first root filesystem</description></snapshot>\"",
            "btrfs-subvolume-set-default 258 /", "umount /",
            "mount /dev/sda3 /", "mkdir-p /home", "mount-options subvol=@/home /dev/sda3 /home", "mkdir-p /var", "mount-options subvol=@/var /dev/sda3 /var",
            "mkdir-p /.snapshots", "mount-options subvol=@/.snapshots /dev/sda3 /.snapshots",
            "mkdir-p /boot/efi", "mount /dev/sda2 /boot/efi",
        ];
    }

    private static void Efi(string image, int partition = 1)
    {
        var (offset, length) = TestDisks.PartitionRange(image, partition);
        Sh.Run("mkfs.vfat", "-F", "16", "-i", EfiVolumeId, "-n", "EFI", $"--offset={(offset / 512).ToString(CultureInfo.InvariantCulture)}", image, (length / 1024).ToString(CultureInfo.InvariantCulture));
    }
}
