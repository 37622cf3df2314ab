using Imprint.Agent.Partitions;

namespace Imprint.Agent.Tests.Partitions;

public sealed class Crc32Tests
{
    [Fact]
    public void Matches_the_standard_check_value_for_123456789() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    [Fact]
    public void Empty_input_has_crc_zero() => Assert.Equal(0u, Crc32.Compute([]));

    [Fact]
    public void Agrees_with_a_bitwise_implementation_and_can_be_computed_in_pieces()
    {
        var data = new byte[16384];
        new Random(42).NextBytes(data);

        var whole = Crc32.Compute(data);
        var pieces = ~Crc32.Append(Crc32.Append(0xFFFFFFFFu, data.AsSpan(0, 1000)), data.AsSpan(1000));

        Assert.Equal(PartitionTestImages.BitwiseCrc32(data), whole);
        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void Computing_allocates_nothing()
    {
        var data = new byte[4096];
        Crc32.Compute(data);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Crc32.Compute(data);
        var after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(before, after);
    }
}
