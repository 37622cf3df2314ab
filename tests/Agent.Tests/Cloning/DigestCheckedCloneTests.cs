using System.Globalization;
using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Cli;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Cloning;

/// <summary>
/// A clone told the golden's sealed digest hashes the source as it copies and refuses a golden that changed: one byte
/// flipped inside a guest file's data (found with debugfs bmap, not our code) is enough, and no target is left behind.
/// </summary>
public sealed class DigestCheckedCloneTests : IDisposable
{
    private const long MiB = TestDisks.MiB;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Sealed_digest_matches_an_untouched_golden_and_the_clone_reports_it()
    {
        var (golden, _) = BuildGolden();
        var digest = "sha256:" + Sh.Run("sha256sum", golden).Split(' ')[0];
        var target = _temp.File("clone.raw");

        var (exit, result, stderr) = await CliRun.JsonAsync("clone", golden, target, "--size", "96M", "--expect-digest", digest.ToUpperInvariant().Replace("SHA256:", "sha256:", StringComparison.Ordinal));

        Assert.True(exit == 0, stderr + result.Error);
        Assert.Equal(digest, result.Digest!.Digest);
        Assert.Equal(digest, result.Digest.Expected);
        Assert.True(File.Exists(target));
    }

    [Fact]
    public async Task One_flipped_byte_inside_a_guest_file_makes_the_clone_refuse_with_a_digest_mismatch_and_keep_nothing()
    {
        var (golden, offset) = BuildGolden();
        var sealedDigest = (await CliRun.JsonAsync("digest", golden)).Result.Digest!.Digest;
        FlipDataByte(golden, offset);
        var target = _temp.File("clone.raw");

        var (exit, result, _) = await CliRun.JsonAsync("clone", golden, target, "--expect-digest", sealedDigest);

        Assert.Equal((int)ExitCode.InvalidImage, exit);
        Assert.Contains("digest mismatch", result.Error, StringComparison.Ordinal);
        Assert.Contains("changed since it was sealed", result.Error, StringComparison.Ordinal);
        Assert.Contains(sealedDigest, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".partial"));
    }

    [Fact]
    public async Task A_digest_mismatch_with_overwrite_leaves_the_existing_target_as_it_was()
    {
        var (golden, offset) = BuildGolden();
        var sealedDigest = (await CliRun.JsonAsync("digest", golden)).Result.Digest!.Digest;
        FlipDataByte(golden, offset);
        var target = _temp.File("clone.raw");
        File.WriteAllBytes(target, [.. Enumerable.Repeat((byte)0x5A, 3 * 4096)]);
        var before = Sh.Sha256(target);

        var (exit, result, _) = await CliRun.JsonAsync("clone", golden, target, "--overwrite", "--expect-digest", sealedDigest);

        Assert.Equal((int)ExitCode.InvalidImage, exit);
        Assert.Contains("digest mismatch", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, Sh.Sha256(target)); // the disk the clone would have replaced is untouched
        Assert.False(File.Exists(target + ".partial"));
    }

    [LoopDeviceFact]
    public async Task A_digest_mismatch_onto_a_block_device_zeroes_the_ends_of_the_written_region_so_no_tool_finds_a_disk_there()
    {
        var (golden, offset) = BuildGolden();
        var sealedDigest = (await CliRun.JsonAsync("digest", golden)).Result.Digest!.Digest;
        FlipDataByte(golden, offset);
        var length = new FileInfo(golden).Length;
        using var device = new Transfer.LoopDevice(_temp.File("device.backing"), length + (16 * MiB));

        var (exit, result, _) = await CliRun.JsonAsync("clone", golden, device.Path, "--expect-digest", sealedDigest);

        Assert.Equal((int)ExitCode.InvalidImage, exit);
        Assert.Contains("digest mismatch", result.Error, StringComparison.Ordinal);
        // The copied region's first MiB (MBR, primary GPT) and last MiB (backup GPT) are zeros; the device past the
        // copy keeps its old pattern (nothing beyond the golden's length was written).
        Assert.All(Partitions.PartitionTestImages.ReadBytes(device.Path, 0, (int)MiB), b => Assert.Equal(0, b));
        Assert.All(Partitions.PartitionTestImages.ReadBytes(device.Path, length - MiB, (int)MiB), b => Assert.Equal(0, b));
        Assert.All(Partitions.PartitionTestImages.ReadBytes(device.Path, length, 4096), b => Assert.Equal(0xAB, b));
        // blkid as the oracle: the golden copied there has a GPT, the device has no partition table left to probe.
        Assert.Contains("PTTYPE=gpt", Sh.RunResult("blkid", ["-p", "-o", "export", golden], accept: [0, 2]).StandardOutput, StringComparison.Ordinal);
        var probe = Sh.RunResult("blkid", ["-p", "-o", "export", device.Path], accept: [0, 2]);
        Assert.DoesNotContain("PTTYPE", probe.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_qcow2_source_is_checked_against_the_digest_of_its_raw_content()
    {
        var (golden, offset) = BuildGolden();
        var rawDigest = "sha256:" + Sh.Run("sha256sum", golden).Split(' ')[0];
        var qcow2 = _temp.File("golden.qcow2");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", golden, qcow2);
        FlipDataByte(golden, offset);
        var changedQcow2 = _temp.File("changed.qcow2");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", golden, changedQcow2);
        var (good, bad) = (_temp.File("good.raw"), _temp.File("bad.raw"));

        var (goodExit, goodResult, goodErr) = await CliRun.JsonAsync("clone", qcow2, good, "--expect-digest", rawDigest);
        var (badExit, badResult, _) = await CliRun.JsonAsync("clone", changedQcow2, bad, "--expect-digest", rawDigest);

        // The qcow2 file's own bytes hash to something else: what is compared is the raw disk it holds.
        Assert.NotEqual(rawDigest, "sha256:" + Sh.Run("sha256sum", qcow2).Split(' ')[0]);
        Assert.True(goodExit == 0, goodErr + goodResult.Error);
        Assert.Equal("convert", goodResult.Copy!.Method);
        Assert.Equal((rawDigest, rawDigest), (goodResult.Digest!.Digest, goodResult.Digest.Expected));
        Assert.Equal(rawDigest, "sha256:" + Sh.Run("sha256sum", good).Split(' ')[0]);
        Assert.Equal((int)ExitCode.InvalidImage, badExit);
        Assert.Contains("digest mismatch", badResult.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(bad));
        Assert.False(File.Exists(bad + ".partial"));
    }

    [Fact]
    public async Task A_malformed_expected_digest_is_a_usage_error_before_any_copy()
    {
        var (golden, _) = BuildGolden();
        var target = _temp.File("clone.raw");

        var (exit, result, _) = await CliRun.JsonAsync("clone", golden, target, "--expect-digest", "abc");

        Assert.Equal((int)ExitCode.Usage, exit);
        Assert.Contains("--expect-digest", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    /// <summary>Flips one byte inside /srv/data's fourth block, located by debugfs bmap (not our code).</summary>
    private static void FlipDataByte(string golden, long offset)
    {
        var block = long.Parse(Sh.RunResult("debugfs", ["-R", "bmap /srv/data 3", $"{golden}?offset={offset}"]).StandardOutput.Trim(), CultureInfo.InvariantCulture);
        Partitions.PartitionTestImages.FlipByte(golden, offset + (block * 4096) + 1234);
    }

    private (string Golden, long Offset) BuildGolden()
    {
        var tree = GuestTrees.DebianLike(_temp.File("tree"));
        var data = new byte[64 * 1024];
        new Random(14).NextBytes(data);
        GuestTrees.Write(tree, "srv/placeholder", "x");
        File.WriteAllBytes(Path.Combine(tree, "srv/data"), data);
        var golden = _temp.File("golden.raw");
        TestDisks.CreateGpt(golden, 64, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
        var offset = TestDisks.MakeExt(golden, 2, "ext4", tree, "-b", "4096");
        return (golden, offset);
    }
}
