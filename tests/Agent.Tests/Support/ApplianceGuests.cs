namespace Imprint.Agent.Tests.Support;

/// <summary>
/// Non-ext test guests built with guestfish (one appliance launch each, no root), once per test run and cached
/// under the test output folder keyed by <see cref="Recipe"/>: tests copy the cached image, never write it.
/// </summary>
public static class ApplianceGuests
{
    /// <summary>Bump when a guest's recipe changes, so stale cached images are rebuilt.</summary>
    public const string Recipe = "v1";

    public const string RockyRootUuid = "6c3c8f2e-5d2a-4f0e-9a57-1b7e4c2d9f10";
    public const string RockyBootUuid = "0a4f1c9e-2b6d-4e8a-8c3f-5d7e9b1a2c40";

    /// <summary>Content of the Rocky guest's /etc/ssh/ssh_host_ed25519_key (root:ssh_keys 0640).</summary>
    public const string RockyHostKey = "-----BEGIN OPENSSH PRIVATE KEY-----\ngolden\n-----END OPENSSH PRIVATE KEY-----\n";

    /// <summary>Partition 2 (root xfs) of <see cref="RockyXfs"/> ends here; the disk has no free space after it.</summary>
    public const long RockyDiskBytes = 520 * TestDisks.MiB;

    private static readonly Lazy<string> Rocky = new(BuildRockyXfs, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// A Rocky-9-like cloud image: GPT, /boot ext4 (partition 1, 100 MiB), root xfs (partition 2, the rest), with
    /// os-release, hostname, ssh host keys, machine-id, logs, a NetworkManager keyfile, SELinux enforcing, a real ELF
    /// /usr/bin/bash (for the architecture) and fstab by UUID. Read-only: copy it before writing.
    /// </summary>
    public static string RockyXfs => Rocky.Value;

    /// <summary>A private copy of <see cref="RockyXfs"/> at <paramref name="path"/>.</summary>
    public static string CopyRockyXfs(string path)
    {
        Sh.Run("cp", "--sparse=always", RockyXfs, path);
        return path;
    }

    private static string BuildRockyXfs()
    {
        var cache = Path.Combine(AppContext.BaseDirectory, "guest-cache");
        Directory.CreateDirectory(cache);
        var image = Path.Combine(cache, $"rocky-xfs-{Recipe}.img");
        if (File.Exists(image))
        {
            return image;
        }

        using var scratch = new TempDirectory();
        var tree = GuestFlavors.Rocky(Path.Combine(scratch.Path, "tree"));
        RockyCloudImageExtras(tree);
        var tar = Path.Combine(scratch.Path, "tree.tar");
        Sh.Run("tar", "--owner=0", "--group=0", "--numeric-owner", "-C", tree, "-cf", tar, ".");

        var building = image + ".building";
        TestDisks.CreateSparse(building, RockyDiskBytes);
        Guestfish.Run(
            $"""
            part-init /dev/sda gpt
            part-add /dev/sda p 2048 206847
            part-add /dev/sda p 206848 -34
            mkfs ext4 /dev/sda1
            mkfs xfs /dev/sda2
            set-uuid /dev/sda1 {RockyBootUuid}
            set-uuid /dev/sda2 {RockyRootUuid}
            mount /dev/sda2 /
            mkdir /boot
            mount /dev/sda1 /boot
            tar-in {tar} /
            chmod 0640 /etc/ssh/ssh_host_ed25519_key
            chown 0 996 /etc/ssh/ssh_host_ed25519_key
            umount-all
            """,
            readOnly: false,
            building);
        File.Move(building, image, overwrite: true);
        return image;
    }

    private static void RockyCloudImageExtras(string root)
    {
        GuestTrees.Write(root, "etc/fstab", $"UUID={RockyRootUuid} / xfs defaults 0 0\nUUID={RockyBootUuid} /boot ext4 defaults 1 2\n");
        GuestTrees.Write(root, "etc/machine-id", "4f1c2e3d4b5a69788796a5b4c3d2e1f0\n");
        GuestTrees.Write(root, "etc/selinux/config", "SELINUX=enforcing\nSELINUXTYPE=targeted\n");
        GuestTrees.Write(root, "etc/ssh/ssh_host_ed25519_key", RockyHostKey);
        GuestTrees.Write(root, "etc/ssh/ssh_host_ed25519_key.pub", "ssh-ed25519 AAAAgolden root@golden\n");
        GuestTrees.Write(root, "etc/NetworkManager/system-connections/cloud-init-eth0.nmconnection", "[connection]\nid=cloud-init eth0\nuuid=1dd9a779-d327-56e1-8454-c65e2556c12c\ntype=ethernet\ninterface-name=eth0\n\n[ethernet]\nmac-address=52:54:00:12:34:56\n\n[ipv4]\nmethod=auto\n", 0b110_000_000);
        GuestTrees.Write(root, "var/log/messages", "Dec  5 10:00:00 golden kernel: booted\n");
        GuestTrees.Write(root, "var/log/dnf.log", "dnf ran\n");
        GuestTrees.Write(root, "root/.bash_history", "dnf update\n");
        GuestTrees.Write(root, "boot/grub2/grub.cfg", "# grub\n");
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
        Directory.CreateDirectory(Path.Combine(root, "var/tmp"));

        // A real ELF binary (the host's) where inspection looks for the architecture; /bin is the usual usrmerge link.
        Directory.CreateDirectory(Path.Combine(root, "usr/bin"));
        File.Copy("/usr/bin/true", Path.Combine(root, "usr/bin/bash"), overwrite: true);
        File.CreateSymbolicLink(Path.Combine(root, "bin"), "usr/bin");
        File.CreateSymbolicLink(Path.Combine(root, "sbin"), "usr/sbin");
    }
}
