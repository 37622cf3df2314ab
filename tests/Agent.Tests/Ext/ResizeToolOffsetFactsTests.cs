using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Ext;

/// <summary>
/// Pins the e2fsprogs behaviour <see cref="Agent.Ext.ExtFileSystemShrinker"/> is built around, so an e2fsprogs
/// upgrade that changes it fails here first: <c>resize2fs -M IMAGE?offset=N</c> truncates a regular file to the
/// filesystem's new size without adding the offset (so it cuts off the filesystem's own last N bytes), and it does not
/// when its image descriptor is fd 0 (stdin closed), which is how Imprint runs it.
/// </summary>
public sealed class ResizeToolOffsetFactsTests : IDisposable
{
    private const long MiB = TestDisks.MiB;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Resize2fs_minimum_at_an_offset_truncates_the_file_to_the_filesystem_size_without_the_offset()
    {
        var (disk, offset) = Build("plain.raw");

        Sh.RunResult("resize2fs", ["-M", $"{disk}?offset={offset}"], stdin: string.Empty, accept: [0, 1]);

        var blocks = BlockCount(disk, offset);
        Assert.Equal(blocks * 4096, new FileInfo(disk).Length); // not offset + blocks * 4096: the tail is gone
        Assert.True(new FileInfo(disk).Length < offset + (blocks * 4096));
    }

    [Fact]
    public void Resize2fs_minimum_at_an_offset_with_stdin_closed_leaves_the_file_length_and_a_clean_filesystem()
    {
        var (disk, offset) = Build("closed.raw");
        var before = new FileInfo(disk).Length;

        var result = Sh.RunResult("sh", ["-c", "exec 0<&- ; exec resize2fs -M \"$0\"", $"{disk}?offset={offset}"], accept: [0, 1]);

        Assert.Equal(0, result.ExitStatus);
        Assert.Equal(before, new FileInfo(disk).Length);
        Assert.True(BlockCount(disk, offset) * 4096 < 60 * MiB);
        Sh.AssertFsckClean(disk, offset);
        Sh.AssertGptValid(disk);
    }

    private (string Disk, long Offset) Build(string name)
    {
        var tree = GuestTrees.DebianLike(_temp.File(name + ".tree"));
        var disk = _temp.File(name);
        TestDisks.CreateGpt(disk, 128, new PartitionSpec(0));
        var offset = TestDisks.MakeExt(disk, 1, "ext4", tree, "-b", "4096");
        Sh.RunResult("e2fsck", ["-fy", $"{disk}?offset={offset}"], accept: [0, 1]);
        return (disk, offset);
    }

    private static long BlockCount(string disk, long offset)
    {
        var text = Sh.RunResult("dumpe2fs", ["-h", $"{disk}?offset={offset}"], accept: [0, 1]).StandardOutput;
        var line = text.Split('\n').First(l => l.StartsWith("Block count:", StringComparison.Ordinal));
        return long.Parse(line["Block count:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
