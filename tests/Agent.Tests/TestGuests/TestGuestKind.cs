namespace Imprint.Agent.Tests.TestGuests;

/// <summary>The guests of the matrix that need libguestfs to build and to edit (not ext, not the fast path).</summary>
public enum TestGuestKind
{
    /// <summary>Rocky 9 cloud-image-like: GPT, EFI vfat, /boot xfs, root xfs, NetworkManager keyfile, SELinux enforcing.</summary>
    RockyXfs,

    /// <summary>RHEL 8 server-install-like: GPT, EFI, /boot xfs, LVM VG <c>rhel</c> with root (xfs) and swap LVs, ifcfg.</summary>
    RhelLvmXfs,

    /// <summary>Fedora 41-like: GPT, EFI, /boot ext4, one btrfs with <c>root</c> and <c>home</c> subvolumes.</summary>
    FedoraBtrfs,

    /// <summary>openSUSE Leap 15-like: GPT, BIOS boot, EFI, btrfs with @ subvolumes and a default snapshot, wicked ifcfg.</summary>
    OpenSuseBtrfs,
}
