namespace Imprint.Testing.NodeSimulator.Tests;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("64Mi", 64L << 20)]
    [InlineData("2Gi", 2L << 30)]
    [InlineData("2147483648", 2147483648L)]
    [InlineData("10G", 10_000_000_000L)]
    [InlineData("1.5Gi", 3L << 29)]
    [InlineData("500k", 500_000L)]
    [InlineData("1500m", 2L)]
    public void Parses_kubernetes_quantities_to_bytes(string text, long bytes) => Assert.Equal(bytes, Quantity.Parse(text));

    [Theory]
    [InlineData(64L << 20, "64Mi")]
    [InlineData(3L << 30, "3Gi")]
    [InlineData(1000L, "1000")]
    public void Formats_exact_binary_sizes_canonically(long bytes, string text) => Assert.Equal(text, Quantity.Format(bytes));

    [Fact]
    public void Log_tail_keeps_at_most_2_KiB_of_the_last_80_lines()
    {
        var log = string.Concat(Enumerable.Range(0, 200).Select(i => $"{i:D3}-{new string('x', 40)}\n"));

        var tail = NodeSimulator.LogTail(log);

        Assert.Equal(2048, tail.Length);
        Assert.EndsWith($"199-{new string('x', 40)}", tail, StringComparison.Ordinal);
    }
}
