namespace Imprint.Agent.Customization.Network;

/// <summary>How a guest configures its network; inspection tells which, and <see cref="NetworkRenderer"/> follows it.</summary>
public enum NetworkStyle
{
    /// <summary>Debian's /etc/network/interfaces.</summary>
    Ifupdown,

    /// <summary>Ubuntu's /etc/netplan/*.yaml.</summary>
    Netplan,

    /// <summary>NetworkManager keyfiles (Fedora, RHEL 9+).</summary>
    NetworkManager,

    /// <summary>/etc/systemd/network/*.network (Arch, Flatcar, minimal images).</summary>
    SystemdNetworkd,

    /// <summary>RHEL/CentOS/Rocky ≤ 8 /etc/sysconfig/network-scripts/ifcfg-*.</summary>
    Ifcfg,

    /// <summary>SUSE's wicked: /etc/sysconfig/network/ifcfg-* (openSUSE Leap/SLES ≤ 15).</summary>
    Wicked,

    /// <summary>Alpine's /etc/network/interfaces (ifupdown-ng; busybox ifupdown reads the same stanzas).</summary>
    AlpineInterfaces,
}
