using Imprint.Agent.Integrity;
using Imprint.Agent.Tests.Cli;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Integrity;

public sealed class DiskDigestTests : IDisposable
{
    private const long MiB = TestDisks.MiB;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Sparse_and_fully_written_files_with_the_same_bytes_have_the_digest_sha256sum_prints()
    {
        // Arrange: a 64 MiB sparse file with three data runs (one at the very end), and the same bytes fully written.
        var sparse = _temp.File("sparse.raw");
        TestDisks.CreateSparse(sparse, 64 * MiB);
        var random = new Random(14);
        using (var stream = new FileStream(sparse, FileMode.Open, FileAccess.Write))
        {
            foreach (var (offset, length) in new[] { (0L, 4096), (17 * MiB + 123, 300_000), ((64 * MiB) - 8192, 8192) })
            {
                var data = new byte[length];
                random.NextBytes(data);
                stream.Position = offset;
                stream.Write(data);
            }
        }

        var dense = _temp.File("dense.raw");
        Sh.Run("cp", "--sparse=never", sparse, dense);
        var allocatedSparse = Agent.Cloning.DiskCloner.AllocatedBytes(sparse);
        Assert.True(allocatedSparse < 8 * MiB, $"the test file must really be sparse ({allocatedSparse} bytes allocated)");
        Assert.Equal(64 * MiB, Agent.Cloning.DiskCloner.AllocatedBytes(dense));

        // Act
        var ofSparse = DiskDigest.Compute(sparse, CancellationToken.None);
        var ofDense = DiskDigest.Compute(dense, CancellationToken.None);

        // Assert: the oracle is coreutils' sha256sum of the fully written file; holes were hashed without being read.
        var sha256sum = Sh.Run("sha256sum", dense).Split(' ')[0];
        Assert.Equal("sha256:" + sha256sum, ofSparse.Digest);
        Assert.Equal(ofSparse.Digest, ofDense.Digest);
        Assert.Equal(allocatedSparse, ofSparse.DataBytesRead);
        Assert.Equal(64 * MiB, ofDense.DataBytesRead);
        Assert.Equal(64 * MiB, ofSparse.DiskLength);
    }

    [Fact]
    public async Task Digest_command_prints_the_sha256_prefixed_digest_and_one_flipped_byte_changes_it()
    {
        var disk = _temp.File("disk.raw");
        TestDisks.CreateGpt(disk, 16, new PartitionSpec(0));
        var before = "sha256:" + Sh.Run("sha256sum", disk).Split(' ')[0];

        var (exit, result, _) = await CliRun.JsonAsync("digest", disk);
        Partitions.PartitionTestImages.FlipByte(disk, 5 * MiB);
        var (_, flipped, _) = await CliRun.JsonAsync("digest", disk);

        Assert.Equal(0, exit);
        Assert.Equal(before, result.Digest!.Digest);
        Assert.Equal(16 * MiB, result.Digest.DiskSize);
        Assert.True(DiskDigest.IsValid(result.Digest.Digest));
        Assert.NotEqual(before, flipped.Digest!.Digest);
        Assert.Equal("sha256:" + Sh.Run("sha256sum", disk).Split(' ')[0], flipped.Digest.Digest);
    }

    [Theory]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:e3b0")]
    [InlineData("md5:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:z3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Only_sha256_prefix_and_64_hex_digits_is_a_digest(string text) => Assert.False(DiskDigest.IsValid(text));
}
