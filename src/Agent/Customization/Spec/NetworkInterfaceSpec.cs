using System.Text.Json.Serialization;
using YamlDotNet.Serialization;

namespace Imprint.Agent.Customization.Spec;

/// <summary>One NIC: addresses in CIDR form, gateways, resolvers, optional MAC match and MTU.</summary>
public sealed record NetworkInterfaceSpec
{
    public const string DefaultName = "eth0";

    /// <summary>Interface name (default eth0). With <see cref="MacAddress"/> set, the NIC is matched by MAC.</summary>
    public string? Name { get; set; }

    public string? MacAddress { get; set; }

    public bool Dhcp4 { get; set; }

    public bool Dhcp6 { get; set; }

    /// <summary>"10.0.0.5/24", "fd00::5/64".</summary>
    public List<string>? Addresses { get; set; }

    public string? Gateway4 { get; set; }

    public string? Gateway6 { get; set; }

    public List<string>? Nameservers { get; set; }

    public List<string>? SearchDomains { get; set; }

    public int? Mtu { get; set; }

    [JsonIgnore]
    [YamlIgnore]
    public string InterfaceName => string.IsNullOrEmpty(Name) ? DefaultName : Name;
}
