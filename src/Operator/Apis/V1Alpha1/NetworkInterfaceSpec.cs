using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>One guest network interface, written in the guest's own network configuration style.</summary>
[Description("One guest interface, written in the guest's own style (netplan, ifupdown, NetworkManager, networkd).")]
public sealed class NetworkInterfaceSpec
{
    [Required]
    [MaxLength(15)]
    [Pattern("^[a-zA-Z0-9][-a-zA-Z0-9_.]*$")]
    [Description("Interface name in the guest, e.g. enp1s0 or eth0.")]
    public string Name { get; set; } = string.Empty;

    [Format("mac")]
    [Description("Match the interface by MAC address instead of by name.")]
    public string? MacAddress { get; set; }

    [Description("Use DHCPv4.")]
    public bool? Dhcp4 { get; set; }

    [Description("Use DHCPv6 / SLAAC.")]
    public bool? Dhcp6 { get; set; }

    [MaxItems(16)]
    [Format("cidr")]
    [Description("Static addresses in CIDR notation, e.g. 192.0.2.10/24 or 2001:db8::10/64.")]
    public IList<string>? Addresses { get; set; }

    [Format("ipv4")]
    [Description("IPv4 default gateway.")]
    public string? Gateway4 { get; set; }

    [Format("ipv6")]
    [Description("IPv6 default gateway.")]
    public string? Gateway6 { get; set; }

    [MaxItems(3)]
    [MaxLength(45)]
    [Pattern("^[0-9a-fA-F:.]+$")]
    [Description("Name servers for this interface.")]
    public IList<string>? Nameservers { get; set; }

    [MaxItems(6)]
    [MaxLength(253)]
    [Description("Search domains for this interface.")]
    public IList<string>? SearchDomains { get; set; }

    [Minimum(68)]
    [Maximum(65535)]
    [Description("MTU in bytes.")]
    public int? Mtu { get; set; }
}
