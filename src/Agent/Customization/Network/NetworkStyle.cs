namespace Imprint.Agent.Customization.Network;

/// <summary>How a guest configures its network; inspection tells which, and the renderer follows it.</summary>
public enum NetworkStyle
{
    Ifupdown,
    Netplan,
    NetworkManager,
    SystemdNetworkd,
    Ifcfg,
    AlpineInterfaces,
}
