using System.Globalization;
using System.Text.RegularExpressions;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Guest;
using Imprint.Agent.Inspection;
using Imprint.Agent.Lvm;
using Imprint.Agent.Tests.Cli;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Lvm;

/// <summary>
/// Debian on LVM (root LV ext4, swap LV) end to end through the native path: inspect, seal, customize and grow read
/// and write the root LV at its byte offset with e2fsprogs — no appliance. The guests are built once by libguestfs
/// (<see cref="LvmGuestImages"/>); the oracles are e2fsck/dumpe2fs/debugfs at the LV's offset, sgdisk -v, and LVM itself
/// inside one libguestfs appliance reading the grown image (lvs/pvs/vgs and the files through its own ext4 driver).
/// </summary>
public sealed partial class LvmGuestTests : IDisposable
{
    private const long MiB = TestDisks.MiB;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Debian_on_lvm_and_a_pv_with_two_metadata_areas_are_grown_natively_and_lvm_reads_the_result()
    {
        var disk = LvmGuestImages.CopyTo(LvmGuestImages.RootLast, _temp);

        var (inspectExit, inspect, _) = await CliRun.JsonAsync("inspect", disk);
        var (sealExit, seal, _) = await CliRun.JsonAsync("seal", disk);
        var (customizeExit, customize, _) = await CliRun.JsonAsync("customize", disk, "--hostname", "lvm-clone");
        var (resizeExit, resize, _) = await CliRun.JsonAsync("resize", disk, "--size", "128M");
        var twoAreas = LvmGuestImages.CopyTo(LvmGuestImages.TwoMetadataAreas, _temp);
        var (twoExit, two, _) = await CliRun.JsonAsync("resize", twoAreas, "--size", "128M", "--partition", "1");
        var (twoCustomizeExit, twoCustomize, _) = await CliRun.JsonAsync("customize", twoAreas, "--hostname", "two-mdas");

        Assert.True(inspectExit == 0, inspect.Error);
        Assert.Equal("debian", inspect.Guest!.Distro);
        Assert.Equal($"{LvmGuestImages.VolumeGroup}/root", inspect.Guest.RootLogicalVolume);
        var root = inspect.Disk!.Partitions.Single(p => p.LogicalVolume == $"{LvmGuestImages.VolumeGroup}/root");
        var swap = inspect.Disk.Partitions.Single(p => p.LogicalVolume == $"{LvmGuestImages.VolumeGroup}/swap_1");
        Assert.Equal("ext4", root.Filesystem);
        Assert.Equal("swap", swap.Filesystem);
        Assert.Equal(8 * MiB, swap.Size);
        Assert.True(sealExit == 0, seal.Error);
        Assert.Equal("e2fsprogs", seal.Engine); // the ext fast path, at the LV's offset: no appliance
        Assert.Contains(seal.Changes!, c => c.Path == "/root/.bash_history");
        Assert.True(customizeExit == 0, customize.Error);
        Assert.True(resizeExit == 0, resize.Error);
        Assert.Equal($"{LvmGuestImages.VolumeGroup}/root", resize.Resize!.LogicalVolume);
        Assert.Equal("e2fsprogs", resize.Resize.Engine);
        var newLvSize = resize.Resize.NewLogicalVolumeSize!.Value;
        Assert.True(newLvSize > root.Size + (60 * MiB), $"the root LV grew from {root.Size} to only {newLvSize} bytes");

        // The filesystem at the LV's (unchanged) offset: clean, grown to the LV, edited as asked.
        Sh.AssertFsckClean(disk, root.Start);
        Sh.AssertGptValid(disk);
        var fsBytes = GrowthOracle.FileSystemBytes(disk, root.Start);
        Assert.True(fsBytes <= newLvSize && fsBytes > newLvSize - MiB, $"ext4 holds {fsBytes} of the {newLvSize}-byte LV (dumpe2fs -h)");
        Assert.Equal("lvm-clone\n", Sh.DebugfsCat(disk, root.Start, "/etc/hostname"));

        // The PV with a metadata area at its end: that area moved to the new end, the root LV took the space before it.
        Assert.True(twoExit == 0, two.Error);
        Assert.True(twoCustomizeExit == 0, twoCustomize.Error);
        Assert.Equal("twomda-vg/root", two.Resize!.LogicalVolume);
        var twoLvSize = two.Resize.NewLogicalVolumeSize!.Value;
        // 64 MiB more disk, less the 1 MiB partition alignment and the 4 MiB extent the moved area's alignment costs.
        Assert.True(twoLvSize >= two.Resize.OldLogicalVolumeSize + (56 * MiB), $"the root LV grew from {two.Resize.OldLogicalVolumeSize} to only {twoLvSize} bytes");
        var (twoPartitionStart, _) = TestDisks.PartitionRange(twoAreas, 1);
        var twoRootStart = twoPartitionStart + MiB; // pe_start: LVM's default 1 MiB
        Sh.AssertFsckClean(twoAreas, twoRootStart);
        Assert.Equal("two-mdas\n", Sh.DebugfsCat(twoAreas, twoRootStart, "/etc/hostname"));

        // LVM itself, in the appliance: the VG is consistent, the PV fills its grown partition, the root LV has the
        // size we wrote, swap is untouched, and its kernel's ext4 reads the customized files.
        var (partitionStart, partitionLength) = TestDisks.PartitionRange(disk, 1);
        var output = Guestfish.Run(
            $"""
            pvs-full
            lvs-full
            vgs-full
            mount-ro /dev/{LvmGuestImages.VolumeGroup}/root /
            cat /etc/hostname
            is-file /root/.bash_history
            umount /
            mount-ro /dev/twomda-vg/root /
            cat /etc/hostname
            """,
            readOnly: true,
            disk,
            twoAreas);
        var records = Records(output);
        var lvs = records.Where(r => r.ContainsKey("lv_name")).ToList();
        var pvs = records.Where(r => r.ContainsKey("pv_name")).ToList();
        var vgs = records.Where(r => r.ContainsKey("vg_name")).ToList();
        Assert.Equal(["debian-vg", "twomda-vg"], vgs.Select(v => v["vg_name"]).Order().ToArray());
        Assert.Equal(
            new[] { 8 * MiB, newLvSize, twoLvSize }.Order().ToArray(),
            lvs.Select(l => long.Parse(l["lv_size"], CultureInfo.InvariantCulture)).Order().ToArray()); // swap_1 untouched, both roots as we wrote them
        var debianPv = pvs.Single(p => p["pv_mda_count"] == "1");
        var twoPv = pvs.Single(p => p["pv_mda_count"] == "2");
        var pvSize = long.Parse(debianPv["pv_size"], CultureInfo.InvariantCulture);
        var peStart = long.Parse(debianPv["pe_start"], CultureInfo.InvariantCulture);
        Assert.True(pvSize <= partitionLength && pvSize > partitionLength - (4 * MiB), $"LVM sees a {pvSize}-byte PV on a {partitionLength}-byte partition at {partitionStart}");
        Assert.Equal(debianPv["pv_pe_count"], debianPv["pv_pe_alloc_count"]); // root took every free extent
        Assert.Equal(root.Start - partitionStart, peStart + (8 * MiB)); // root follows swap_1's 8 MiB
        Assert.Equal(twoLvSize, long.Parse(twoPv["pv_size"], CultureInfo.InvariantCulture)); // pv_size is the extent area: all root's
        Assert.Equal(twoPv["pv_pe_count"], twoPv["pv_pe_alloc_count"]);
        // guestfish's cat prints the file, then a newline of its own.
        Assert.Contains("lvm-clone\n\nfalse\n", output, StringComparison.Ordinal); // hostname set, /root/.bash_history sealed away
        Assert.EndsWith("two-mdas\n\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debian_installer_layout_is_sealed_natively_but_growing_root_past_swap_is_left_to_libguestfs()
    {
        var disk = LvmGuestImages.CopyTo(LvmGuestImages.RootFirst, _temp);

        var (sealExit, seal, _) = await CliRun.JsonAsync("seal", disk);
        var hash = Sh.Sha256(disk);
        var inspection = await DiskInspector.InspectAsync(disk, CancellationToken.None);
        var root = inspection.Root!;
        LvmPhysicalVolumeMetadata pv;
        using (var image = DiskImage.OpenRead(disk))
        {
            pv = LvmPhysicalVolumeMetadata.Read(image, root.Partition.Range)!;
        }

        var refusal = Assert.Throws<ImprintException>(() => LvmGrowth.Plan(pv, root.LogicalVolume!, root.Partition.Range.Length + (64 * MiB), DateTimeOffset.UnixEpoch));

        Assert.True(sealExit == 0, seal.Error);
        Assert.Equal("e2fsprogs", seal.Engine);
        Assert.Equal("first-vg/root", seal.Guest!.RootLogicalVolume);
        Assert.Equal(ExitCode.Unsupported, refusal.Code);
        Assert.StartsWith("growing LVM LV first-vg/root natively is not safe: LV swap_1 follows it on the PV", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("the libguestfs engine (pvresize, lvextend) handles this layout", refusal.Message, StringComparison.Ordinal);
        if (GuestFileSystemOpener.Default.ApplianceEngine is null)
        {
            // Without an appliance engine in the build, resize ends there, before the first write.
            var (resizeExit, resize, _) = await CliRun.JsonAsync("resize", disk, "--size", "128M");
            Assert.Equal((int)ExitCode.Unsupported, resizeExit);
            Assert.Equal(refusal.Message, resize.Error);
            Assert.Equal(hash, Sh.Sha256(disk)); // not even the file grew
        }

        var (inspectExit, inspect, _) = await CliRun.JsonAsync("inspect", disk);
        Assert.Equal(0, inspectExit);
        Sh.AssertFsckClean(disk, inspect.Disk!.Partitions.Single(p => p.LogicalVolume == "first-vg/root").Start);
    }

    /// <summary>The records guestfish's <c>*-full</c> commands print (<c>[0] = { key: value … }</c>), in order.</summary>
    private static List<Dictionary<string, string>> Records(string output)
    {
        var records = new List<Dictionary<string, string>>();
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith('[') && line.EndsWith('{'))
            {
                records.Add([]);
            }
            else if (records.Count > 0 && FieldPattern().Match(line) is { Success: true } field)
            {
                records[^1][field.Groups[1].Value] = field.Groups[2].Value;
            }
        }

        return records;
    }

    [GeneratedRegex(@"^\s+(\w+): (.*)$")]
    private static partial Regex FieldPattern();
}
