namespace Imprint.Agent.Guest;

/// <summary>What inspection learned about a Linux guest and the edits need (family, init, network style).</summary>
public sealed record GuestFacts
{
    public required string Distro { get; init; }

    public string? Version { get; init; }

    public GuestFamily Family { get; init; }

    public string? ProductName { get; init; }

    public string? Arch { get; init; }

    public string? Hostname { get; init; }

    /// <summary>systemd, openrc, sysvinit, upstart or unknown.</summary>
    public required string InitSystem { get; init; }

    /// <summary>deb, rpm, apk, pacman or unknown.</summary>
    public required string PackageFormat { get; init; }

    /// <summary>netplan, networkmanager, systemd-networkd, ifcfg, wicked, alpine-interfaces, ifupdown or unknown.</summary>
    public required string NetworkStyle { get; init; }

    public bool CloudInit { get; init; }

    /// <summary>SELinux mode from /etc/selinux/config: enforcing, permissive, disabled; null when the guest has no such file.</summary>
    public string? Selinux { get; init; }

    /// <summary>True when /etc/resolv.conf is a symlink into systemd-resolved's runtime folder.</summary>
    public bool ResolvConfIsResolvedStub { get; init; }
}
