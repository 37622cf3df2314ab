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
        var block = long.Parse(Sh.RunResult("debugfs", ["-R", "bmap /srv/data 3", $"{golden}?offset={offset}"]).StandardOutput.Trim(), CultureInfo.InvariantCulture);
        Partitions.PartitionTestImages.FlipByte(golden, offset + (block * 4096) + 1234);
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
    public async Task A_malformed_expected_digest_is_a_usage_error_before_any_copy()
    {
        var (golden, _) = BuildGolden();
        var target = _temp.File("clone.raw");

        var (exit, result, _) = await CliRun.JsonAsync("clone", golden, target, "--expect-digest", "abc");

        Assert.Equal((int)ExitCode.Usage, exit);
        Assert.Contains("--expect-digest", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
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
