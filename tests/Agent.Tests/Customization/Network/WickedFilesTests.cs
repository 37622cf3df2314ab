using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Customization.Network;
using Imprint.Agent.Customization.Spec;

namespace Imprint.Agent.Tests.Customization.Network;

public sealed class WickedFilesTests
{
    [Fact]
    public void Dual_stack_nic_with_dhcp6_lists_every_address_routes_both_gateways_and_keeps_netconfig_lines()
    {
        var nic = new NetworkInterfaceSpec
        {
            Name = "eth1",
            Dhcp6 = true,
            Addresses = ["10.0.0.5/24", "10.0.0.6/24", "fd00::5/64"],
            Gateway4 = "10.0.0.1",
            Gateway6 = "fd00::1",
            Nameservers = ["10.0.0.2"],
            Mtu = 9000,
            MacAddress = "52:54:00:AB:CD:EF",
        };

        var files = WickedFiles.Render([nic], "# keep\nNETCONFIG_DNS_STATIC_SERVERS=\"1.1.1.1\"\nNETCONFIG_DNS_STATIC_SERVERS=\"8.8.8.8\"\n");

        Assert.Equal(
            [
                new GuestFile("/etc/sysconfig/network/ifcfg-eth1", "# Written by imprint.\nSTARTMODE='auto'\nBOOTPROTO='dhcp6'\nIPADDR='10.0.0.5/24'\nIPADDR_1='10.0.0.6/24'\nIPADDR_2='fd00::5/64'\nMTU='9000'\n# MAC address in the spec: 52:54:00:ab:cd:ef\n", GuestFile.PrivateMode),
                new GuestFile("/etc/sysconfig/network/ifroute-eth1", "# Written by imprint.\ndefault 10.0.0.1 - eth1\ndefault fd00::1 - eth1\n", GuestFile.PrivateMode),
                new GuestFile("/etc/sysconfig/network/config", "# keep\nNETCONFIG_DNS_STATIC_SERVERS=\"10.0.0.2\"\n# NETCONFIG_DNS_STATIC_SERVERS=\"8.8.8.8\"\n"),
            ],
            files);
    }

    [Fact]
    public void Dhcp_only_nic_writes_no_routes_and_leaves_netconfig_alone()
    {
        var files = WickedFiles.Render([new NetworkInterfaceSpec { Dhcp4 = true, Dhcp6 = true }], "NETCONFIG_DNS_STATIC_SERVERS=\"\"\n");

        Assert.Equal([new GuestFile("/etc/sysconfig/network/ifcfg-eth0", "# Written by imprint.\nSTARTMODE='auto'\nBOOTPROTO='dhcp'\n", GuestFile.PrivateMode)], files);
    }
}
