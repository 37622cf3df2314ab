using Imprint.Agent.Tests.Support;
using Imprint.Agent.Tests.Transfer;

namespace Imprint.Agent.Tests.Cli;

/// <summary>
/// <c>clone</c> onto a real block device larger than the source (a Block PVC bigger than the golden): the root partition
/// and its filesystem grow to the device's end, which a regular file's length (0 for a device node) cannot tell.
/// </summary>
public sealed class BlockDeviceCloneTests : IDisposable
{
    private const long MiB = TestDisks.MiB;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [LoopDeviceFact]
    public async Task Clone_onto_a_larger_block_device_grows_the_root_partition_and_filesystem_to_the_device_end()
    {
        var source = _temp.File("golden.raw");
        TestDisks.CreateGpt(source, 32, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
        TestDisks.MakeExt(source, 2, tree: GuestTrees.DebianLike(_temp.File("tree")));
        using var device = new LoopDevice(_temp.File("device.backing"), 96 * MiB);

        var (exit, result, stderr) = await CliRun.JsonAsync("clone", source, device.Path);

        Assert.True(exit == 0, stderr);
        Sh.AssertGptValid(device.Path);
        var (offset, length) = TestDisks.PartitionRange(device.Path, 2);
        Assert.InRange(offset + length, (96 * MiB) - MiB, (96 * MiB) - (33 * 512));
        Sh.AssertFsckClean(device.Path, offset);
        var header = Sh.Run("dumpe2fs", "-h", $"{device.Path}?offset={offset}");
        long Field(string name) => long.Parse(header.Split('\n').Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(Field("Block count") * Field("Block size"), length - MiB, length);
        Assert.Equal(2, result.Resize!.Partition);
        Assert.Equal("golden\n", Sh.DebugfsCat(device.Path, offset, "/etc/hostname"));
    }
}
