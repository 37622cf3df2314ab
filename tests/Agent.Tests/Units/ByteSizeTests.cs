using Imprint.Agent.Errors;
using Imprint.Agent.Units;

namespace Imprint.Agent.Tests.Units;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("20G", 20L << 30)]
    [InlineData("20GiB", 20L << 30)]
    [InlineData("20Gi", 20L << 30)]
    [InlineData("512M", 512L << 20)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("10GB", 10_000_000_000)]
    [InlineData("4096", 4096)]
    [InlineData("1T", 1L << 40)]
    [InlineData(" 8k ", 8192)]
    public void Parses_binary_and_decimal_suffixes(string text, long expected) => Assert.Equal(expected, ByteSize.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("G")]
    [InlineData("-1G")]
    [InlineData("twenty")]
    [InlineData("99999999999T")]
    public void Rejects_what_is_not_a_size_with_a_usage_error(string text)
    {
        var error = Assert.Throws<ImprintException>(() => ByteSize.Parse(text));
        Assert.Equal(ExitCode.Usage, error.Code);
    }

    [Theory]
    [InlineData(512, "512 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(8L << 30, "8 GiB")]
    public void Formats_with_binary_units(long bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));
}
