using System.Globalization;
using System.Text.RegularExpressions;
using Imprint.Agent.Errors;
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
    public async Task Debian_on_lvm_is_sealed_customized_and_grown_natively_and_lvm_reads_the_result()
    {
        var disk = LvmGuestImages.CopyTo(LvmGuestImages.RootLast, _temp);

        var (inspectExit, inspect, _) = await CliRun.JsonAsync("inspect", disk);
        var (sealExit, seal, _) = await CliRun.JsonAsync("seal", disk);
        var (customizeExit, customize, _) = await CliRun.JsonAsync("customize", disk, "--hostname", "lvm-clone");
        var (resizeExit, resize, _) = await CliRun.JsonAsync("resize", disk, "--size", "128M");

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

        // LVM itself, in the appliance: the VG is consistent, the PV fills its grown partition, the root LV has the
        // size we wrote, swap is untouched, and its kernel's ext4 reads the customized files.
        var (partitionStart, partitionLength) = TestDisks.PartitionRange(disk, 1);
        var appliance = LvmGuestImages.Guestfish(
            $"""
            run
            pvs-full
            lvs-full
            vgs-full
            mount-ro /dev/{LvmGuestImages.VolumeGroup}/root /
            cat /etc/hostname
            is-file /root/.bash_history
            """,
            "--ro",
            "-a",
            disk);
        Assert.True(appliance.ExitStatus == 0, $"guestfish failed (exit {appliance.ExitStatus}): {appliance.StandardError}");
        var output = appliance.StandardOutput;
        Assert.Equal(8 * MiB, Field(output, "lv_size", 0)); // LVM lists swap_1 first, as it was created first
        Assert.Equal(newLvSize, Field(output, "lv_size", 1));
        var pvSize = Field(output, "pv_size", 0);
        var peStart = Field(output, "pe_start", 0);
        Assert.True(pvSize <= partitionLength && pvSize > partitionLength - (4 * MiB), $"LVM sees a {pvSize}-byte PV on a {partitionLength}-byte partition at {partitionStart}");
        Assert.Equal(Field(output, "pv_pe_count", 0), Field(output, "pv_pe_alloc_count", 0)); // root took every free extent
        Assert.Equal(root.Start - partitionStart, peStart + (8 * MiB)); // root follows swap_1's 8 MiB
        Assert.Contains("lvm-clone\n", output, StringComparison.Ordinal);
        Assert.EndsWith("false\n", output, StringComparison.Ordinal); // /root/.bash_history was sealed away
    }

    [Fact]
    public async Task Debian_installer_layout_is_sealed_natively_but_growing_root_past_swap_is_left_to_libguestfs()
    {
        var disk = LvmGuestImages.CopyTo(LvmGuestImages.RootFirst, _temp);

        var (sealExit, seal, _) = await CliRun.JsonAsync("seal", disk);
        var hash = Sh.Sha256(disk);
        var (resizeExit, resize, _) = await CliRun.JsonAsync("resize", disk, "--size", "128M");

        Assert.True(sealExit == 0, seal.Error);
        Assert.Equal("first-vg/root", seal.Guest!.RootLogicalVolume);
        Assert.Equal((int)ExitCode.Unsupported, resizeExit);
        Assert.Contains("growing LVM LV first-vg/root natively is not safe: LV swap_1 follows it on the PV", resize.Error, StringComparison.Ordinal);
        Assert.Contains("libguestfs engine", resize.Error, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(disk)); // refused before the first write: not even the file grew
        var (inspectExit, inspect, _) = await CliRun.JsonAsync("inspect", disk);
        Assert.Equal(0, inspectExit);
        Sh.AssertFsckClean(disk, inspect.Disk!.Partitions.Single(p => p.LogicalVolume == "first-vg/root").Start);
    }

    /// <summary>The <paramref name="index"/>-th value of a guestfish <c>*-full</c> field, in bytes or counts.</summary>
    private static long Field(string output, string name, int index)
    {
        var matches = FieldPattern().Matches(output).Where(m => m.Groups[1].Value == name).ToList();
        Assert.True(matches.Count > index, $"guestfish printed no {name} #{index}:\n{output}");
        return long.Parse(matches[index].Groups[2].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^\s*(\w+): (\d+)$", RegexOptions.Multiline)]
    private static partial Regex FieldPattern();
}
