namespace Imprint.Agent.Tests.Support;

/// <summary>
/// Debian-on-LVM guests built without root by libguestfs itself, in one appliance launch per test run (cached under
/// the test output folder): a GPT disk whose partition 1 is a PV of VG "debian-vg" holding a swap LV and an ext4 root
/// LV with a Debian-like tree. <see cref="RootLast"/> allocates swap first, so free extents follow the root LV after a
/// grow; <see cref="RootFirst"/> is the Debian installer's order (root, then swap_1), where extending root would need
/// a second, non-contiguous segment; <see cref="TwoMetadataAreas"/> keeps a second metadata area at the PV's end.
/// </summary>
public static class LvmGuestImages
{
    public const string VolumeGroup = "debian-vg";
    private const string Recipe = "lvm-guests-v4";
    private static readonly Lazy<string> Folder = new(BuildWithOneRetry);

    /// <summary>64 MiB disk: swap LV (8 MiB) then root LV (the rest of the PV).</summary>
    public static string RootLast => Path.Combine(Folder.Value, "root-last.img");

    /// <summary>64 MiB disk: root LV (32 MiB) then swap_1 LV (8 MiB), free extents after swap_1.</summary>
    public static string RootFirst => Path.Combine(Folder.Value, "root-first.img");

    /// <summary>64 MiB disk whose PV keeps two metadata areas (pvcreate --metadatacopies 2: one at its end), VG
    /// "twomda-vg" with one root LV over the whole PV.</summary>
    public static string TwoMetadataAreas => Path.Combine(Folder.Value, "two-mdas.img");

    /// <summary>A private, sparse copy of a cached image for one test to change.</summary>
    public static string CopyTo(string cached, TempDirectory temp)
    {
        var copy = temp.File(Path.GetFileName(cached));
        Sh.Run("cp", "--sparse=always", cached, copy);
        return copy;
    }

    /// <summary>The appliance is a whole VM under TCG on a loaded CI machine: one failed build is retried from scratch
    /// before every LVM test fails on it.</summary>
    private static string BuildWithOneRetry()
    {
        try
        {
            return Build();
        }
        catch (Exception first) when (first is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"LVM test guests: the first build failed, building again: {first.Message}");
            return Build();
        }
    }

    private static string Build()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "guest-cache", Recipe);
        if (File.Exists(Path.Combine(folder, "done")))
        {
            return folder;
        }

        var work = folder + $".build-{Environment.ProcessId}";
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        Directory.CreateDirectory(work);
        var tree = GuestTrees.DebianLike(Path.Combine(work, "tree"));
        GuestTrees.Write(tree, "etc/fstab", $"/dev/mapper/debian--vg-root / ext4 errors=remount-ro 0 1\n/dev/mapper/debian--vg-swap_1 none swap sw 0 0\n");
        Sh.Run("tar", "-C", tree, "-cf", Path.Combine(work, "tree.tar"), ".");
        // The third PV is made by LVM itself (guestfish has no --metadatacopies), in a launch of its own: in the launch
        // that creates its partition, udev's probe of the new /dev/sdc1 held it ("Can't open /dev/sdc1 exclusively")
        // for over a minute in a CI run at load ~15. A partition present at boot is probed and settled before guestfish
        // runs its first command.
        var script = $"""
            part-init /dev/sda gpt
            part-add /dev/sda p 2048 -2048
            pvcreate /dev/sda1
            vgcreate {VolumeGroup} /dev/sda1
            lvcreate swap_1 {VolumeGroup} 8
            lvcreate-free root {VolumeGroup} 100
            mkswap /dev/{VolumeGroup}/swap_1
            mkfs ext4 /dev/{VolumeGroup}/root
            mount /dev/{VolumeGroup}/root /
            tar-in {work}/tree.tar /
            umount /
            part-init /dev/sdb gpt
            part-add /dev/sdb p 2048 -2048
            pvcreate /dev/sdb1
            vgcreate first-vg /dev/sdb1
            lvcreate root first-vg 32
            lvcreate swap_1 first-vg 8
            mkswap /dev/first-vg/swap_1
            mkfs ext4 /dev/first-vg/root
            mount /dev/first-vg/root /
            tar-in {work}/tree.tar /
            umount /
            part-init /dev/sdc gpt
            part-add /dev/sdc p 2048 -2048
            """;
        Support.Guestfish.RunWith(["-N", $"{work}/root-last.img=disk:64M", "-N", $"{work}/root-first.img=disk:64M", "-N", $"{work}/two-mdas.img=disk:64M"], script);
        var twoAreas = $"""
            debug sh "for try in $(seq 1 30); do udevadm settle --timeout=30; lvm pvcreate -ff -y --metadatacopies 2 --devices /dev/sda1 /dev/sda1 && exit 0; sleep 2; done; exit 1"
            vgcreate twomda-vg /dev/sda1
            lvcreate-free root twomda-vg 100
            mkfs ext4 /dev/twomda-vg/root
            mount /dev/twomda-vg/root /
            tar-in {work}/tree.tar /
            umount /
            """;
        Support.Guestfish.Run(twoAreas, readOnly: false, Path.Combine(work, "two-mdas.img"));

        File.WriteAllText(Path.Combine(work, "done"), Recipe);
        try
        {
            Directory.Move(work, folder);
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, "done")))
        {
            // Another test process built it first.
        }

        return folder;
    }
}
