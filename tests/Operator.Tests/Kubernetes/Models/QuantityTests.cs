using Imprint.Operator.Kubernetes.Models;

namespace Imprint.Operator.Tests.Kubernetes.Models;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("1Ki", 1024L)]
    [InlineData("10Mi", 10485760L)]
    [InlineData("10Gi", 10737418240L)]
    [InlineData("1.5Gi", 1610612736L)]
    [InlineData("2Ti", 2199023255552L)]
    [InlineData("1Pi", 1125899906842624L)]
    [InlineData("1Ei", 1152921504606846976L)]
    [InlineData("1k", 1000L)]
    [InlineData("5M", 5000000L)]
    [InlineData("1.5G", 1500000000L)]
    [InlineData("3T", 3000000000000L)]
    [InlineData("2P", 2000000000000000L)]
    [InlineData("1E", 1000000000000000000L)]
    [InlineData("12345", 12345L)]
    [InlineData("1e3", 1000L)]
    [InlineData("1.5E3", 1500L)]
    [InlineData("1500m", 2L)]
    [InlineData("100m", 1L)]
    public void Parses_to_bytes_rounding_fractions_up(string text, long bytes) =>
        Assert.Equal(bytes, Quantity.Parse(text).ToBytes());

    [Theory]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1048576Ki", "1Gi")]
    [InlineData("1000k", "1M")]
    [InlineData("1500m", "1500m")]
    [InlineData("0.5", "500m")]
    [InlineData("0.1", "100m")]
    [InlineData("2000m", "2")]
    [InlineData("1e3", "1e3")]
    [InlineData("1000e-3", "1")]
    [InlineData("0Gi", "0")]
    [InlineData("100", "100")]
    [InlineData("1.5k", "1500")]
    public void Formats_in_canonical_form(string text, string canonical) =>
        Assert.Equal(canonical, Quantity.Parse(text).ToString());

    [Theory]
    [InlineData(10737418240L, "10Gi")]
    [InlineData(1536L, "1536")]
    [InlineData(3072L, "3Ki")]
    [InlineData(512L, "512")]
    public void FromBytes_picks_the_largest_exact_binary_unit(long bytes, string text) =>
        Assert.Equal(text, Quantity.FromBytes(bytes).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("Gi")]
    [InlineData("10GB")]
    [InlineData("1.2.3")]
    [InlineData("ten")]
    [InlineData("10 Gi")]
    [InlineData("1e99")]
    public void Rejects_text_that_is_not_a_quantity(string text)
    {
        Assert.False(Quantity.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Quantity.Parse(text));
    }

    [Fact]
    public void Round_trips_through_its_own_text()
    {
        foreach (var text in new[] { "7Gi", "250m", "3M", "5e6", "17" })
        {
            var quantity = Quantity.Parse(text);
            Assert.Equal(quantity.Value, Quantity.Parse(quantity.ToString()).Value);
        }
    }
}
