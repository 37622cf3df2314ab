using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Customization.Network;
using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Customization.Network;

public sealed class NetworkRendererTests : IDisposable
{
    // eth0: dual-stack static with two addresses per family; ens4: DHCPv4 + DHCPv6 matched by MAC.
    private static readonly NetworkSpec Spec = new()
    {
        Interfaces =
        [
            new NetworkInterfaceSpec
            {
                Name = "eth0",
                Addresses = ["10.0.0.5/24", "10.0.1.5/24", "fd00::5/64", "fd00:1::5/64"],
                Gateway4 = "10.0.0.1",
                Gateway6 = "fd00::1",
                Nameservers = ["10.0.0.2", "fd00::2"],
                SearchDomains = ["internal", "example.com"],
                Mtu = 1450,
            },
            new NetworkInterfaceSpec { Name = "ens4", MacAddress = "52:54:00:AB:CD:EF", Dhcp4 = true, Dhcp6 = true },
        ],
    };

    private static readonly NetworkSpec DhcpOnly = new() { Interfaces = [new NetworkInterfaceSpec { Dhcp4 = true }] };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Ifupdown_renders_stanzas_per_family_with_resolvconf_options()
    {
        var edits = NetworkRenderer.Render(NetworkStyle.Ifupdown, Spec);

        Assert.Equal(
            [new GuestFile("/etc/network/interfaces", """
                auto lo
                iface lo inet loopback

                # BEGIN imprint
                # Written by imprint.
                auto eth0
                iface eth0 inet static
                    address 10.0.0.5/24
                    gateway 10.0.0.1
                    mtu 1450
                    dns-nameservers 10.0.0.2 fd00::2
                    dns-search internal example.com
                iface eth0 inet static
                    address 10.0.1.5/24
                iface eth0 inet6 static
                    address fd00::5/64
                    gateway fd00::1
                iface eth0 inet6 static
                    address fd00:1::5/64

                # macAddress 52:54:00:ab:cd:ef: ifupdown matches by name only
                auto ens4
                iface ens4 inet dhcp
                iface ens4 inet6 dhcp
                # END imprint

                """, 0b110_100_100)],
            edits.Files);
        Assert.Empty(edits.Deletes);
    }

    [Fact]
    public void Alpine_renders_the_same_stanzas_without_resolvconf_options()
    {
        var content = NetworkRenderer.Render(NetworkStyle.AlpineInterfaces, Spec).Files.Single().Content;

        Assert.Equal(
            NetworkRenderer.Render(NetworkStyle.Ifupdown, Spec).Files.Single().Content
                .Replace("    dns-nameservers 10.0.0.2 fd00::2\n    dns-search internal example.com\n", string.Empty, StringComparison.Ordinal),
            content);
        Assert.Equal("auto lo\niface lo inet loopback\n\n# BEGIN imprint\n# Written by imprint.\nauto eth0\niface eth0 inet dhcp\n# END imprint\n", NetworkRenderer.Render(NetworkStyle.AlpineInterfaces, DhcpOnly).Files.Single().Content);
    }

    [Fact]
    public void Netplan_renders_one_private_file_that_overrides_cloud_init()
    {
        var edits = NetworkRenderer.Render(NetworkStyle.Netplan, Spec);

        Assert.Equal(
            [new GuestFile("/etc/netplan/90-imprint.yaml", """
                # Written by imprint. Netplan applies files in lexical order and later files override earlier ones' keys,
                # so this file wins over cloud-init's 50-cloud-init.yaml for the same interface.
                network:
                  version: 2
                  ethernets:
                    eth0:
                      dhcp4: false
                      dhcp6: false
                      addresses:
                        - "10.0.0.5/24"
                        - "10.0.1.5/24"
                        - "fd00::5/64"
                        - "fd00:1::5/64"
                      routes:
                        - to: "0.0.0.0/0"
                          via: "10.0.0.1"
                        - to: "::/0"
                          via: "fd00::1"
                      nameservers:
                        addresses: ["10.0.0.2", "fd00::2"]
                        search: ["internal", "example.com"]
                      mtu: 1450
                    ens4:
                      match:
                        macaddress: "52:54:00:ab:cd:ef"
                      set-name: ens4
                      dhcp4: true
                      dhcp6: true

                """, 0b110_000_000)],
            edits.Files);
    }

    [Fact]
    public void Netplan_itself_reads_our_file_and_lets_it_override_cloud_init()
    {
        // Oracle: netplan generate merges cloud-init's DHCP config for eth0 with ours, as the guest would at boot.
        var netplan = Directory.CreateDirectory(_temp.File("root/etc/netplan")).FullName;
        WritePrivate(Path.Combine(netplan, "50-cloud-init.yaml"), "network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: true\n      match:\n        macaddress: \"52:54:00:11:22:33\"\n      set-name: eth0\n");
        WritePrivate(Path.Combine(netplan, "90-imprint.yaml"), NetworkRenderer.Netplan(Spec.Interfaces!));

        Sh.Run("netplan", "generate", "--root-dir", _temp.File("root"));

        var eth0 = File.ReadAllText(_temp.File("root/run/systemd/network/10-netplan-eth0.network"));
        var ens4 = File.ReadAllText(_temp.File("root/run/systemd/network/10-netplan-ens4.network"));
        Assert.DoesNotContain("DHCP=", eth0, StringComparison.Ordinal); // our dhcp4: false won over cloud-init's true
        Assert.Contains("PermanentMACAddress=52:54:00:11:22:33\nName=eth0\n", eth0, StringComparison.Ordinal);
        Assert.Contains("Address=10.0.0.5/24\nAddress=10.0.1.5/24\nAddress=fd00::5/64\nAddress=fd00:1::5/64\nDNS=10.0.0.2\nDNS=fd00::2\nDomains=internal example.com\n", eth0, StringComparison.Ordinal);
        Assert.Contains("[Route]\nDestination=0.0.0.0/0\nGateway=10.0.0.1\n", eth0, StringComparison.Ordinal);
        Assert.Contains("[Route]\nDestination=::/0\nGateway=fd00::1\n", eth0, StringComparison.Ordinal);
        Assert.Contains("MTUBytes=1450", eth0, StringComparison.Ordinal);
        Assert.Contains("PermanentMACAddress=52:54:00:ab:cd:ef\nName=ens4\n", ens4, StringComparison.Ordinal);
        Assert.Contains("DHCP=yes\n", ens4, StringComparison.Ordinal);
    }

    [Fact]
    public void NetworkManager_renders_a_private_keyfile_per_interface()
    {
        var files = NetworkRenderer.Render(NetworkStyle.NetworkManager, Spec).Files;

        Assert.Equal(
            [
                new GuestFile("/etc/NetworkManager/system-connections/imprint-eth0.nmconnection", """
                    # Written by imprint.
                    [connection]
                    id=imprint-eth0
                    uuid=560f9b68-38cd-55ac-9ba7-09399025653b
                    type=ethernet
                    interface-name=eth0
                    autoconnect=true

                    [ethernet]
                    mtu=1450

                    [ipv4]
                    method=manual
                    address1=10.0.0.5/24,10.0.0.1
                    address2=10.0.1.5/24
                    dns=10.0.0.2;
                    dns-search=internal;example.com;

                    [ipv6]
                    method=manual
                    address1=fd00::5/64,fd00::1
                    address2=fd00:1::5/64
                    dns=fd00::2;

                    """, 0b110_000_000),
                new GuestFile("/etc/NetworkManager/system-connections/imprint-ens4.nmconnection", """
                    # Written by imprint.
                    [connection]
                    id=imprint-ens4
                    uuid=abf302e7-385f-55ad-b53b-3148ccf0c8a6
                    type=ethernet
                    autoconnect=true

                    [ethernet]
                    mac-address=52:54:00:AB:CD:EF

                    [ipv4]
                    method=auto

                    [ipv6]
                    method=auto

                    """, 0b110_000_000),
            ],
            files);
    }

    [Fact]
    public void NetworkManager_uuids_are_stable_per_name_and_distinct_between_names()
    {
        static string Uuid(string content) => content.Split('\n').Single(l => l.StartsWith("uuid=", StringComparison.Ordinal))[5..];

        var a = Uuid(NetworkRenderer.Keyfile(new NetworkInterfaceSpec { Name = "eth0", Dhcp4 = true }));
        var b = Uuid(NetworkRenderer.Keyfile(new NetworkInterfaceSpec { Name = "eth0", Addresses = ["10.0.0.9/8"] }));
        var c = Uuid(NetworkRenderer.Keyfile(new NetworkInterfaceSpec { Name = "eth1", Dhcp4 = true }));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", a);
    }

    [Fact]
    public void Networkd_renders_a_network_file_per_interface_matching_name_or_mac()
    {
        var files = NetworkRenderer.Render(NetworkStyle.SystemdNetworkd, Spec).Files;

        Assert.Equal(
            [
                new GuestFile("/etc/systemd/network/10-imprint-eth0.network", """
                    # Written by imprint.
                    [Match]
                    Name=eth0

                    [Link]
                    MTUBytes=1450

                    [Network]
                    DHCP=no
                    Address=10.0.0.5/24
                    Address=10.0.1.5/24
                    Address=fd00::5/64
                    Address=fd00:1::5/64
                    Gateway=10.0.0.1
                    Gateway=fd00::1
                    DNS=10.0.0.2
                    DNS=fd00::2
                    Domains=internal example.com

                    """, 0b110_100_100),
                new GuestFile("/etc/systemd/network/10-imprint-ens4.network", "# Written by imprint.\n[Match]\nMACAddress=52:54:00:ab:cd:ef\n\n[Network]\nDHCP=yes\n", 0b110_100_100),
            ],
            files);
        Assert.Contains("\nDHCP=ipv4\n", NetworkRenderer.Networkd(new NetworkInterfaceSpec { Dhcp4 = true }), StringComparison.Ordinal);
        Assert.Contains("\nDHCP=ipv6\n", NetworkRenderer.Networkd(new NetworkInterfaceSpec { Dhcp6 = true }), StringComparison.Ordinal);
    }

    [Fact]
    public void Ifcfg_renders_a_file_per_interface_with_hwaddr_for_a_mac()
    {
        var files = NetworkRenderer.Render(NetworkStyle.Ifcfg, Spec).Files;

        Assert.Equal(
            [
                new GuestFile("/etc/sysconfig/network-scripts/ifcfg-eth0", """
                    # Written by imprint.
                    DEVICE=eth0
                    NAME=eth0
                    TYPE=Ethernet
                    ONBOOT=yes
                    BOOTPROTO=none
                    IPADDR=10.0.0.5
                    PREFIX=24
                    IPADDR1=10.0.1.5
                    PREFIX1=24
                    GATEWAY=10.0.0.1
                    IPV6INIT=yes
                    IPV6_AUTOCONF=no
                    IPV6ADDR=fd00::5/64
                    IPV6ADDR_SECONDARIES="fd00:1::5/64"
                    IPV6_DEFAULTGW=fd00::1
                    DNS1=10.0.0.2
                    DNS2=fd00::2
                    DOMAIN="internal example.com"
                    MTU=1450

                    """, 0b110_100_100),
                new GuestFile("/etc/sysconfig/network-scripts/ifcfg-ens4", "# Written by imprint.\nDEVICE=ens4\nNAME=ens4\nTYPE=Ethernet\nONBOOT=yes\nHWADDR=52:54:00:AB:CD:EF\nBOOTPROTO=dhcp\nIPV6INIT=yes\nDHCPV6C=yes\n", 0b110_100_100),
            ],
            files);
        Assert.Equal("# Written by imprint.\nDEVICE=eth0\nNAME=eth0\nTYPE=Ethernet\nONBOOT=yes\nBOOTPROTO=dhcp\nIPV6INIT=no\n", NetworkRenderer.Ifcfg(DhcpOnly.Interfaces![0]));
    }

    [Theory]
    [InlineData(NetworkStyle.Ifupdown, true)]
    [InlineData(NetworkStyle.AlpineInterfaces, true)]
    [InlineData(NetworkStyle.Netplan, false)]
    [InlineData(NetworkStyle.NetworkManager, false)]
    [InlineData(NetworkStyle.SystemdNetworkd, false)]
    [InlineData(NetworkStyle.Ifcfg, false)]
    public void Cloud_init_guests_get_its_network_rendering_disabled(NetworkStyle style, bool deletesItsInterfacesFiles)
    {
        var edits = NetworkRenderer.Render(style, DhcpOnly, cloudInit: true);

        Assert.Equal(new GuestFile("/etc/cloud/cloud.cfg.d/99-imprint-network.cfg", "# Written by imprint: the network is configured by imprint, not by cloud-init.\nnetwork: {config: disabled}\n", 0b110_100_100), edits.Files[^1]);
        Assert.Equal(deletesItsInterfacesFiles ? ["/etc/network/interfaces.d/50-cloud-init", "/etc/network/interfaces.d/50-cloud-init.cfg"] : [], edits.Deletes);
        Assert.Equal(edits.Files.Count - 1, NetworkRenderer.Render(style, DhcpOnly, cloudInit: false).Files.Count);
    }

    [Theory]
    [InlineData(NetworkStyle.Ifupdown)]
    [InlineData(NetworkStyle.AlpineInterfaces)]
    [InlineData(NetworkStyle.Netplan)]
    [InlineData(NetworkStyle.NetworkManager)]
    [InlineData(NetworkStyle.SystemdNetworkd)]
    [InlineData(NetworkStyle.Ifcfg)]
    public void Rendering_over_its_own_output_gives_the_same_files(NetworkStyle style)
    {
        var first = NetworkRenderer.Render(style, Spec);
        var existing = first.Files.FirstOrDefault(f => f.Path == "/etc/network/interfaces")?.Content;

        var second = NetworkRenderer.Render(style, Spec, existing);

        Assert.Equal(first.Files, second.Files);
    }

    [Theory]
    [InlineData("ifupdown", NetworkStyle.Ifupdown)]
    [InlineData("netplan", NetworkStyle.Netplan)]
    [InlineData("networkmanager", NetworkStyle.NetworkManager)]
    [InlineData("systemd-networkd", NetworkStyle.SystemdNetworkd)]
    [InlineData("ifcfg", NetworkStyle.Ifcfg)]
    [InlineData("alpine-interfaces", NetworkStyle.AlpineInterfaces)]
    [InlineData("unknown", null)]
    public void Inspection_style_names_map_to_the_enum(string name, NetworkStyle? style) =>
        Assert.Equal(style, NetworkRenderer.StyleOf(name));

    private static void WritePrivate(string path, string content)
    {
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
