namespace Imprint.Agent.Customization.Spec;

/// <summary>One NIC: addresses in CIDR form, gateways, resolvers, optional MAC match and MTU.</summary>
public sealed class NetworkInterfaceSpec
{
    public string? Name { get; set; }

    public string? MacAddress { get; set; }

    public bool Dhcp4 { get; set; }

    public bool Dhcp6 { get; set; }

    public List<string>? Addresses { get; set; }

    public string? Gateway4 { get; set; }

    public string? Gateway6 { get; set; }

    public List<string>? Nameservers { get; set; }

    public List<string>? SearchDomains { get; set; }

    public int? Mtu { get; set; }

    public string InterfaceName => string.IsNullOrEmpty(Name) ? "eth0" : Name;
}
