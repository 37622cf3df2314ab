using System.Globalization;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
using Imprint.Agent.Guest;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Ext;

public sealed class ExtFileSystemGrowTests
{
    private const long MiB = TestDisks.MiB;

    [Fact]
    public void Plain_resize2fs_at_an_offset_truncates_the_image_to_the_filesystem_size()
    {
        // The pitfall GrowAsync works around, pinned: the disk's tail (here 24 MiB incl. the backup GPT) is cut off.
        using var image = new ExtTestImage(diskMiB: 64, partitionMiB: 20);
        EnlargePartition(image, 40);

        Sh.Run("resize2fs", image.Target, "40M");

        Assert.Equal(40 * MiB, new FileInfo(image.Image).Length);
    }

    [Fact]
    public void E2fsck_at_an_offset_does_not_notice_a_filesystem_longer_than_the_image()
    {
        // Pinned fact: e2fsck compares nothing against the bytes after the offset, so it cannot catch a filesystem
        // that ends past the image; GrowAsync checks the partition end itself.
        using var temp = new TempDirectory();
        var path = temp.File("short.img");
        TestDisks.CreateSparse(path, 32 * MiB);
        Sh.Run("mke2fs", "-q", "-F", "-t", "ext4", "-E", "offset=1048576", path, "32M");
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(31 * MiB);
        }

        Sh.AssertFsckClean(path, MiB);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(1024)]
    public async Task Grow_fills_the_enlarged_partition_and_keeps_the_image_length(int blockSize)
    {
        using var image = new ExtTestImage(blockSize: blockSize, diskMiB: 64, partitionMiB: 20);
        EnlargePartition(image, 40);
        var lengthBefore = new FileInfo(image.Image).Length;
        var (offset, length) = TestDisks.PartitionRange(image.Image, 1);
        var fs = new ExtFileSystem(image.Image, new ByteRange(offset, 20 * MiB));

        var result = await fs.GrowAsync(length);

        Assert.Equal(lengthBefore, new FileInfo(image.Image).Length);
        Assert.Equal((20 * MiB / blockSize, 40 * MiB / blockSize), (result.OldBlockCount, result.NewBlockCount));
        image.AssertFsckClean();
        Sh.AssertGptValid(image.Image);
        Assert.Contains($"Block count:              {(40 * MiB / blockSize).ToString(CultureInfo.InvariantCulture)}", Sh.Run("dumpe2fs", "-h", image.Target), StringComparison.Ordinal);
        Assert.Equal("golden\n", image.Cat("/etc/hostname"));
    }

    [Fact]
    public async Task Grow_replays_a_journal_that_needs_recovery_and_edits_refuse_until_then()
    {
        using var image = new ExtTestImage(diskMiB: 64, partitionMiB: 20);
        // A real journal transaction that was never checkpointed (debugfs journal_open/write/close).
        var commands = Path.Combine(Path.GetDirectoryName(image.Image)!, "journal.cmd");
        File.WriteAllText(commands, "jo\njw -b 300 /dev/null\njc\n");
        Sh.Run("debugfs", "-w", "-f", commands, image.Target);
        EnlargePartition(image, 40);
        var (offset, length) = TestDisks.PartitionRange(image.Image, 1);
        var fs = new ExtFileSystem(image.Image, new ByteRange(offset, 20 * MiB));
        Assert.Contains("needs_recovery", (await fs.ReadSuperblockAsync()).Features);

        var refused = await Assert.ThrowsAsync<ImprintException>(() => fs.ApplyAsync(new GuestEditBatch().WriteText("/etc/hostname", "x\n")));
        Assert.Equal(ExitCode.Conflict, refused.Code);
        Assert.Contains("needs recovery", refused.Message, StringComparison.Ordinal);

        var result = await fs.GrowAsync(length);

        Assert.True(result.Grew);
        Assert.False((await fs.ReadSuperblockAsync()).NeedsRecovery);
        image.AssertFsckClean();
        await fs.ApplyAsync(new GuestEditBatch().WriteText("/etc/hostname", "after\n"));
        Assert.Equal("after\n", image.Cat("/etc/hostname"));
        image.AssertFsckClean();
    }

    [Fact]
    public void E2fsck_at_an_offset_cannot_replay_a_journal()
    {
        // Pinned fact (e2fsprogs 1.47): after replaying, e2fsck reopens the image without "?offset=" and gives up, so
        // RepairAsync replays on a copy of the filesystem instead.
        using var image = new ExtTestImage();
        var commands = Path.Combine(Path.GetDirectoryName(image.Image)!, "journal.cmd");
        File.WriteAllText(commands, "jo\njw -b 300 /dev/null\njc\n");
        Sh.Run("debugfs", "-w", "-f", commands, image.Target);

        var result = Sh.RunResult("e2fsck", ["-fy", image.Target], accept: [1, 2, 4, 8, 12]);

        Assert.True(result.ExitStatus >= 8, result.StandardOutput);
        Assert.Contains("while trying to re-open", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("needs_recovery", Sh.Run("dumpe2fs", "-h", image.Target), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shrinking_or_growing_past_the_image_end_is_refused()
    {
        using var image = new ExtTestImage(diskMiB: 48, partitionMiB: 20);
        var fs = image.Open();
        var before = Sh.Sha256(image.Image);

        var shrink = await Assert.ThrowsAsync<ImprintException>(() => fs.GrowAsync(10 * MiB));
        var pastEnd = await Assert.ThrowsAsync<ImprintException>(() => fs.GrowAsync(48 * MiB));

        Assert.Equal((ExitCode.Conflict, ExitCode.Conflict), (shrink.Code, pastEnd.Code));
        Assert.Contains("shrink", shrink.Message, StringComparison.Ordinal);
        Assert.Equal(before, Sh.Sha256(image.Image));
    }

    [Fact]
    public async Task Check_reports_clean_and_damaged_filesystems()
    {
        using var image = new ExtTestImage();
        var fs = image.Open();
        Assert.True((await fs.CheckAsync()).IsClean);

        image.Debugfs("sif /etc/hostname links_count 5", writable: true);
        var damaged = await fs.CheckAsync();

        Assert.False(damaged.IsClean);
        Assert.Contains("ref count is 5", damaged.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Superblock_reports_block_size_count_and_features()
    {
        using var image = new ExtTestImage(blockSize: 1024, bit64: false);

        var superblock = await image.Open().ReadSuperblockAsync();

        Assert.Equal((1024, 40 * MiB / 1024), (superblock.BlockSize, superblock.BlockCount));
        Assert.Contains("metadata_csum", superblock.Features);
        Assert.False(superblock.Has64Bit);
    }

    /// <summary>Recreates partition 1 at the same start with <paramref name="newMiB"/>, as a clone to a bigger disk would.</summary>
    private static void EnlargePartition(ExtTestImage image, long newMiB)
    {
        var start = image.Offset / 512;
        Sh.Run("sgdisk", "-d1", $"-n1:{start}:+{newMiB}M", "-t1:8300", image.Image);
    }
}
