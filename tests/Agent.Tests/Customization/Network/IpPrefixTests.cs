using Imprint.Agent.Customization.Network;

namespace Imprint.Agent.Tests.Customization.Network;

public sealed class IpPrefixTests
{
    [Theory]
    [InlineData("10.0.0.5/24", "10.0.0.5/24", false, "255.255.255.0")]
    [InlineData("192.168.1.9/32", "192.168.1.9/32", false, "255.255.255.255")]
    [InlineData("10.0.0.5/0", "10.0.0.5/0", false, "0.0.0.0")]
    [InlineData("172.16.0.1/12", "172.16.0.1/12", false, "255.240.0.0")]
    [InlineData("fd00::5/64", "fd00::5/64", true, null)]
    [InlineData("FD00:0:0::5/128", "fd00::5/128", true, null)]
    public void Valid_prefixes_parse_and_print_canonically(string text, string canonical, bool ipv6, string? netmask)
    {
        var prefix = IpPrefix.Parse(text);

        Assert.Equal((canonical, ipv6), (prefix.ToString(), prefix.IsIPv6));
        if (netmask is not null)
        {
            Assert.Equal(netmask, prefix.Netmask);
        }
    }

    [Theory]
    [InlineData("10.0.0.300/24")]
    [InlineData("10.0.0.5")]
    [InlineData("10.0.0.5/33")]
    [InlineData("10.0.0.5/-1")]
    [InlineData("10.0.0.5/ 24")]
    [InlineData("10.1/8")]
    [InlineData("010.0.0.1/8")]
    [InlineData("fd00::5/129")]
    [InlineData("fe80::1%eth0/64")]
    [InlineData("/24")]
    [InlineData("")]
    public void Invalid_prefixes_are_refused(string text) =>
        Assert.False(IpPrefix.TryParse(text, out _));

    [Theory]
    [InlineData("10.0.0.1", true, false)]
    [InlineData("::1", false, true)]
    [InlineData("10.1", false, false)]
    [InlineData("1", false, false)]
    [InlineData("0x0a.0.0.1", false, false)]
    [InlineData("::ffff:10.0.0.1", false, true)]
    public void Addresses_are_parsed_strictly(string text, bool ipv4, bool ipv6) =>
        Assert.Equal((ipv4, ipv6), (IpAddressText.IsIPv4(text), IpAddressText.IsIPv6(text)));
}
