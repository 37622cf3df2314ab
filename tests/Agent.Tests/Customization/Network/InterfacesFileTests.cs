using Imprint.Agent.Customization.Network;
using Imprint.Agent.Customization.Spec;

namespace Imprint.Agent.Tests.Customization.Network;

public sealed class InterfacesFileTests
{
    private const string DebianDefault = """
        # This file describes the network interfaces available on your system
        # and how to activate them. For more information, see interfaces(5).

        source /etc/network/interfaces.d/*

        # The loopback network interface
        auto lo
        iface lo inet loopback

        # The primary network interface
        allow-hotplug eth0 eth1
        iface eth0 inet dhcp
        	pre-up /bin/true
        iface eth0 inet6 auto

        iface eth1 inet dhcp

        """;

    private static readonly List<NetworkInterfaceSpec> Eth0Static = [new() { Addresses = ["10.0.0.5/24"], Gateway4 = "10.0.0.1" }];

    [Fact]
    public void Stanzas_for_our_interfaces_are_replaced_and_everything_else_is_kept()
    {
        var updated = InterfacesFile.Render(Eth0Static, DebianDefault, withResolverOptions: true);

        Assert.Equal(
            """
            # This file describes the network interfaces available on your system
            # and how to activate them. For more information, see interfaces(5).

            source /etc/network/interfaces.d/*

            # The loopback network interface
            auto lo
            iface lo inet loopback

            # The primary network interface
            allow-hotplug eth1

            iface eth1 inet dhcp

            # BEGIN imprint
            # Written by imprint.
            auto eth0
            iface eth0 inet static
                address 10.0.0.5/24
                gateway 10.0.0.1
            # END imprint

            """,
            updated);
    }

    [Fact]
    public void Rendering_again_over_the_result_changes_nothing()
    {
        var once = InterfacesFile.Render(Eth0Static, DebianDefault, withResolverOptions: true);

        Assert.Equal(once, InterfacesFile.Render(Eth0Static, once, withResolverOptions: true));
    }

    [Fact]
    public void A_changed_spec_replaces_the_previous_block()
    {
        var once = InterfacesFile.Render(Eth0Static, DebianDefault, withResolverOptions: true);

        var dhcp = InterfacesFile.Render([new NetworkInterfaceSpec { Dhcp4 = true }], once, withResolverOptions: true);

        Assert.EndsWith("iface eth1 inet dhcp\n\n# BEGIN imprint\n# Written by imprint.\nauto eth0\niface eth0 inet dhcp\n# END imprint\n", dhcp, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.5", dhcp, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_starts_from_loopback_only()
    {
        Assert.Equal(
            "auto lo\niface lo inet loopback\n\n# BEGIN imprint\n# Written by imprint.\nauto eth0\niface eth0 inet static\n    address 10.0.0.5/24\n    gateway 10.0.0.1\n# END imprint\n",
            InterfacesFile.Render(Eth0Static, existing: null, withResolverOptions: true));
    }
}
