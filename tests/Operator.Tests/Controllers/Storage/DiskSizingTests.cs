using Imprint.Operator.Apis;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Storage;

namespace Imprint.Operator.Tests.Controllers.Storage;

public sealed class DiskSizingTests
{
    private const long GiB = 1L << 30;

    [Fact]
    public void A_filesystem_claim_holds_the_disk_file_plus_the_filesystem_overhead_in_whole_mebibytes()
    {
        var claim = DiskSizing.ClaimBytes(10 * GiB, VolumeMode.Filesystem, 0.055);

        Assert.Equal(0, claim % (1 << 20));
        Assert.True(claim * (1 - 0.055) >= 10 * GiB);
        Assert.True(claim - (1 << 20) < 10 * GiB / (1 - 0.055));
    }

    [Fact]
    public void A_block_claim_is_the_disk_rounded_up_to_a_mebibyte() =>
        Assert.Equal(GiB + (1 << 20), DiskSizing.ClaimBytes(GiB + 1, VolumeMode.Block, 0.055));

    [Theory]
    [InlineData("20Gi", 21474836480L)]
    [InlineData("1G", 1000000000L)]
    [InlineData("512Mi", 536870912L)]
    public void Quantities_become_bytes(string quantity, long bytes) =>
        Assert.Equal(bytes, DiskSizing.Bytes(IntOrString.FromString(quantity)));

    [Fact]
    public void Formatting_prefers_whole_binary_units() =>
        Assert.Equal(["2Gi", "3Mi", "5Ki", "1000", "0"], new[] { 2 * GiB, 3L << 20, 5L << 10, 1000L, 0L }.Select(DiskSizing.Format));
}
