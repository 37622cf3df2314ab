namespace Imprint.Agent.Customization.Spec;

/// <summary>Static or DHCP network configuration, rendered in the guest's own style.</summary>
public sealed record NetworkSpec
{
    public List<NetworkInterfaceSpec>? Interfaces { get; set; }
}
