using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Customization.Spec;

namespace Imprint.Agent.Tests.Customization.Edits;

public sealed class DnsFilesTests
{
    private static readonly DnsSpec Dns = new() { Nameservers = ["10.0.0.2", "fd00::2"], Searches = ["internal", "example.com"], Options = ["edns0", "ndots:2"] };

    [Fact]
    public void A_plain_guest_gets_resolv_conf()
    {
        Assert.Equal(
            [new GuestFile("/etc/resolv.conf", "# Written by imprint.\nnameserver 10.0.0.2\nnameserver fd00::2\nsearch internal example.com\noptions edns0 ndots:2\n", 0b110_100_100)],
            DnsFiles.Render(Dns, resolvConfIsResolvedStub: false));
    }

    [Fact]
    public void A_resolved_stub_guest_gets_a_drop_in_instead()
    {
        Assert.Equal(
            [new GuestFile("/etc/systemd/resolved.conf.d/90-imprint.conf", "# Written by imprint.\n[Resolve]\nDNS=10.0.0.2 fd00::2\nDomains=internal example.com\n", 0b110_100_100)],
            DnsFiles.Render(Dns, resolvConfIsResolvedStub: true));
    }

    [Theory]
    [InlineData("../run/systemd/resolve/stub-resolv.conf", true)]
    [InlineData("/run/systemd/resolve/stub-resolv.conf", true)]
    [InlineData("/run/systemd/resolve/resolv.conf", true)]
    [InlineData("../../run/systemd/resolve/resolv.conf", true)]
    [InlineData("/run/NetworkManager/resolv.conf", false)]
    [InlineData("/etc/resolvconf/run/resolv.conf", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Resolved_stub_targets_are_recognised(string? target, bool stub) =>
        Assert.Equal(stub, DnsFiles.IsResolvedStubTarget(target));
}
