using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Customization.Spec;

namespace Imprint.Agent.Customization.Network;

/// <summary>
/// Renders a <see cref="NetworkSpec"/> in the guest's own configuration style. Output is deterministic (same spec and
/// same existing file, same bytes), so customizing twice changes nothing.
/// </summary>
public static class NetworkRenderer
{
    /// <summary>cloud.cfg.d drop-in that stops cloud-init from rewriting the network config at the clone's first boot.</summary>
    public const string CloudInitDropInPath = "/etc/cloud/cloud.cfg.d/99-imprint-network.cfg";

    public const string CloudInitDropIn = "# Written by imprint: the network is configured by imprint, not by cloud-init.\nnetwork: {config: disabled}\n";

    public const string NetplanPath = "/etc/netplan/90-imprint.yaml";

    /// <summary>cloud-init's ifupdown output, which would configure the same NIC a second time.</summary>
    public static readonly IReadOnlyList<string> CloudInitInterfacesFiles = ["/etc/network/interfaces.d/50-cloud-init", "/etc/network/interfaces.d/50-cloud-init.cfg"];

    /// <summary>Maps inspection's style name (GuestFacts.NetworkStyle) to the enum; null for "unknown" and others.</summary>
    public static NetworkStyle? StyleOf(string inspected) => inspected switch
    {
        "ifupdown" => NetworkStyle.Ifupdown,
        "netplan" => NetworkStyle.Netplan,
        "networkmanager" => NetworkStyle.NetworkManager,
        "systemd-networkd" => NetworkStyle.SystemdNetworkd,
        "ifcfg" => NetworkStyle.Ifcfg,
        "alpine-interfaces" => NetworkStyle.AlpineInterfaces,
        "wicked" => NetworkStyle.Wicked,
        _ => null,
    };

    /// <summary>
    /// The files for <paramref name="style"/>. <paramref name="existingInterfaces"/> is the guest's current
    /// /etc/network/interfaces (only the two interfaces styles read it); <paramref name="existingNetconfig"/> SUSE's
    /// /etc/sysconfig/network/config (only wicked reads it). With <paramref name="cloudInit"/>, cloud-init's
    /// network rendering is disabled by a drop-in and its ifupdown files are deleted, so it cannot undo this at boot.
    /// </summary>
    public static GuestEdits Render(NetworkStyle style, NetworkSpec spec, string? existingInterfaces = null, bool cloudInit = false, string? existingNetconfig = null)
    {
        var nics = spec.Interfaces ?? [];
        var files = style switch
        {
            NetworkStyle.Ifupdown => [new GuestFile(InterfacesFile.Path, InterfacesFile.Render(nics, existingInterfaces, withResolverOptions: true), GuestFile.PublicMode)],
            NetworkStyle.AlpineInterfaces => [new GuestFile(InterfacesFile.Path, InterfacesFile.Render(nics, existingInterfaces, withResolverOptions: false), GuestFile.PublicMode)],
            NetworkStyle.Netplan => [new GuestFile(NetplanPath, Netplan(nics), GuestFile.PrivateMode)],
            NetworkStyle.NetworkManager => nics.Select(n => new GuestFile(KeyfilePath(n.InterfaceName), Keyfile(n), GuestFile.PrivateMode)).ToList(),
            NetworkStyle.SystemdNetworkd => nics.Select(n => new GuestFile(NetworkdPath(n.InterfaceName), Networkd(n), GuestFile.PublicMode)).ToList(),
            NetworkStyle.Ifcfg => nics.Select(n => new GuestFile(IfcfgPath(n.InterfaceName), Ifcfg(n), GuestFile.PublicMode)).ToList(),
            NetworkStyle.Wicked => WickedFiles.Render(nics, existingNetconfig),
            _ => throw new ArgumentOutOfRangeException(nameof(style), style, "unknown network style"),
        };
        if (!cloudInit)
        {
            return new GuestEdits(files, [], []);
        }

        List<GuestFile> all = [.. files, new GuestFile(CloudInitDropInPath, CloudInitDropIn, GuestFile.PublicMode)];
        IReadOnlyList<string> deletes = style is NetworkStyle.Ifupdown or NetworkStyle.AlpineInterfaces ? CloudInitInterfacesFiles : [];
        return new GuestEdits(all, [], deletes);
    }

    public static string KeyfilePath(string interfaceName) => $"/etc/NetworkManager/system-connections/imprint-{interfaceName}.nmconnection";

    public static string NetworkdPath(string interfaceName) => $"/etc/systemd/network/10-imprint-{interfaceName}.network";

    public static string IfcfgPath(string interfaceName) => $"/etc/sysconfig/network-scripts/ifcfg-{interfaceName}";

    /// <summary>
    /// A netplan file. Netplan reads /etc/netplan/*.yaml in lexical order and a later file overrides an earlier
    /// file's keys for the same interface, so 90-imprint.yaml wins over cloud-init's 50-cloud-init.yaml (which may
    /// configure the same NIC with DHCP): dhcp4/dhcp6 are always written, explicitly. Mode 0600, as netplan wants.
    /// </summary>
    public static string Netplan(IReadOnlyList<NetworkInterfaceSpec> nics)
    {
        var text = new StringBuilder("""
            # Written by imprint. Netplan applies files in lexical order and later files override earlier ones' keys,
            # so this file wins over cloud-init's 50-cloud-init.yaml for the same interface.
            network:
              version: 2
              ethernets:

            """);
        foreach (var nic in nics)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {nic.InterfaceName}:\n");
            if (nic.MacAddress is { } mac)
            {
                text.Append(CultureInfo.InvariantCulture, $"      match:\n        macaddress: \"{mac.ToLowerInvariant()}\"\n      set-name: {nic.InterfaceName}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"      dhcp4: {(nic.Dhcp4 ? "true" : "false")}\n      dhcp6: {(nic.Dhcp6 ? "true" : "false")}\n");
            var prefixes = Prefixes(nic).ToList();
            if (prefixes.Count > 0)
            {
                text.Append("      addresses:\n");
                foreach (var prefix in prefixes)
                {
                    text.Append(CultureInfo.InvariantCulture, $"        - \"{prefix}\"\n");
                }
            }

            // "0.0.0.0/0" rather than "default": older netplan (Ubuntu 20.04) only knows the former.
            var routes = new List<(string To, string Via)>();
            if (nic.Gateway4 is { } gw4)
            {
                routes.Add(("0.0.0.0/0", gw4));
            }

            if (nic.Gateway6 is { } gw6)
            {
                routes.Add(("::/0", gw6));
            }

            if (routes.Count > 0)
            {
                text.Append("      routes:\n");
                foreach (var (to, via) in routes)
                {
                    text.Append(CultureInfo.InvariantCulture, $"        - to: \"{to}\"\n          via: \"{via}\"\n");
                }
            }

            if (nic.Nameservers is { Count: > 0 } || nic.SearchDomains is { Count: > 0 })
            {
                text.Append("      nameservers:\n");
                if (nic.Nameservers is { Count: > 0 } ns)
                {
                    text.Append(CultureInfo.InvariantCulture, $"        addresses: [{string.Join(", ", ns.Select(n => $"\"{n}\""))}]\n");
                }

                if (nic.SearchDomains is { Count: > 0 } search)
                {
                    text.Append(CultureInfo.InvariantCulture, $"        search: [{string.Join(", ", search.Select(s => $"\"{s}\""))}]\n");
                }
            }

            if (nic.Mtu is { } mtu)
            {
                text.Append(CultureInfo.InvariantCulture, $"      mtu: {mtu}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// A NetworkManager keyfile (mode 0600: NetworkManager ignores group/world-readable keyfiles). Its uuid derives
    /// from the interface name, so a re-run writes the same bytes. With a MAC address the profile matches the NIC by
    /// <c>mac-address=</c> alone (no interface-name), so it applies whatever the kernel names the NIC.
    /// </summary>
    public static string Keyfile(NetworkInterfaceSpec nic)
    {
        var name = nic.InterfaceName;
        var text = new StringBuilder("# Written by imprint.\n[connection]\n");
        text.Append(CultureInfo.InvariantCulture, $"id=imprint-{name}\nuuid={StableUuid("imprint-nm:" + name)}\ntype=ethernet\n");
        if (nic.MacAddress is null)
        {
            text.Append(CultureInfo.InvariantCulture, $"interface-name={name}\n");
        }

        text.Append("autoconnect=true\n\n[ethernet]\n");
        AppendIf(text, "mac-address=", nic.MacAddress?.ToUpperInvariant());
        AppendIf(text, "mtu=", nic.Mtu?.ToString(CultureInfo.InvariantCulture));
        var dns = nic.Nameservers ?? [];
        var v4 = Prefixes(nic).Where(p => !p.IsIPv6).ToList();
        var v6 = Prefixes(nic).Where(p => p.IsIPv6).ToList();
        var v4Active = v4.Count > 0 || nic.Dhcp4;

        // Search domains are per profile; listing them once (on the first active family) is enough.
        AppendKeyfileFamily(text, "ipv4", v4, nic.Gateway4, nic.Dhcp4, "disabled", dns.Where(IpAddressText.IsIPv4), v4Active ? nic.SearchDomains : null);
        AppendKeyfileFamily(text, "ipv6", v6, nic.Gateway6, nic.Dhcp6, "ignore", dns.Where(IpAddressText.IsIPv6), v4Active ? null : nic.SearchDomains);
        return text.ToString();
    }

    /// <summary>A systemd-networkd .network file; 10- sorts first and networkd uses the first file that matches.</summary>
    public static string Networkd(NetworkInterfaceSpec nic)
    {
        var text = new StringBuilder("# Written by imprint.\n[Match]\n");
        text.Append(nic.MacAddress is { } mac ? $"MACAddress={mac.ToLowerInvariant()}\n" : $"Name={nic.InterfaceName}\n");
        if (nic.Mtu is { } mtu)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n[Link]\nMTUBytes={mtu}\n");
        }

        text.Append("\n[Network]\n");
        var dhcp = (nic.Dhcp4, nic.Dhcp6) switch
        {
            (true, true) => "yes",
            (true, false) => "ipv4",
            (false, true) => "ipv6",
            _ => "no",
        };
        text.Append("DHCP=").Append(dhcp).Append('\n');
        foreach (var prefix in Prefixes(nic))
        {
            text.Append(CultureInfo.InvariantCulture, $"Address={prefix}\n");
        }

        AppendIf(text, "Gateway=", nic.Gateway4);
        AppendIf(text, "Gateway=", nic.Gateway6);
        foreach (var ns in nic.Nameservers ?? [])
        {
            text.Append(CultureInfo.InvariantCulture, $"DNS={ns}\n");
        }

        AppendIf(text, "Domains=", nic.SearchDomains is { Count: > 0 } sd ? string.Join(' ', sd) : null);
        return text.ToString();
    }

    /// <summary>
    /// A RHEL ifcfg file (initscripts and NetworkManager's ifcfg-rh plugin). Extra IPv4 addresses are IPADDR1/PREFIX1…;
    /// extra IPv6 ones go to IPV6ADDR_SECONDARIES. HWADDR makes the file apply only to the NIC with that MAC.
    /// </summary>
    public static string Ifcfg(NetworkInterfaceSpec nic)
    {
        var name = nic.InterfaceName;
        var text = new StringBuilder("# Written by imprint.\n");
        text.Append(CultureInfo.InvariantCulture, $"DEVICE={name}\nNAME={name}\nTYPE=Ethernet\nONBOOT=yes\n");
        AppendIf(text, "HWADDR=", nic.MacAddress?.ToUpperInvariant());
        var v4 = Prefixes(nic).Where(p => !p.IsIPv6).ToList();
        var v6 = Prefixes(nic).Where(p => p.IsIPv6).ToList();
        text.Append(nic.Dhcp4 ? "BOOTPROTO=dhcp\n" : "BOOTPROTO=none\n");
        for (var i = 0; i < v4.Count; i++)
        {
            var suffix = i == 0 ? string.Empty : i.ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"IPADDR{suffix}={v4[i].Address}\nPREFIX{suffix}={v4[i].PrefixLength}\n");
        }

        AppendIf(text, "GATEWAY=", nic.Gateway4);
        if (v6.Count > 0 || nic.Dhcp6)
        {
            text.Append("IPV6INIT=yes\n");
            text.Append(nic.Dhcp6 ? "DHCPV6C=yes\n" : "IPV6_AUTOCONF=no\n");
            AppendIf(text, "IPV6ADDR=", v6.FirstOrDefault()?.ToString());
            AppendIf(text, "IPV6ADDR_SECONDARIES=", v6.Count > 1 ? $"\"{string.Join(' ', v6.Skip(1))}\"" : null);
            AppendIf(text, "IPV6_DEFAULTGW=", nic.Gateway6);
        }
        else
        {
            text.Append("IPV6INIT=no\n");
        }

        var dns = nic.Nameservers ?? [];
        for (var i = 0; i < dns.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"DNS{i + 1}={dns[i]}\n");
        }

        AppendIf(text, "DOMAIN=", nic.SearchDomains is { Count: > 0 } sd ? $"\"{string.Join(' ', sd)}\"" : null);
        AppendIf(text, "MTU=", nic.Mtu?.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static void AppendKeyfileFamily(StringBuilder text, string family, List<IpPrefix> prefixes, string? gateway, bool dhcp, string off, IEnumerable<string> dns, List<string>? search)
    {
        text.Append(CultureInfo.InvariantCulture, $"\n[{family}]\n");
        text.Append(prefixes.Count > 0 ? "method=manual\n" : dhcp ? "method=auto\n" : $"method={off}\n");
        for (var i = 0; i < prefixes.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"address{i + 1}={prefixes[i]}{(i == 0 && gateway is not null ? "," + gateway : string.Empty)}\n");
        }

        var servers = dns.ToList();
        AppendIf(text, "dns=", servers.Count > 0 ? string.Join(';', servers) + ";" : null);
        AppendIf(text, "dns-search=", search is { Count: > 0 } ? string.Join(';', search) + ";" : null);
    }

    private static IEnumerable<IpPrefix> Prefixes(NetworkInterfaceSpec nic) => (nic.Addresses ?? []).Select(IpPrefix.Parse);

    private static void AppendIf(StringBuilder text, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.Append(key).Append(value).Append('\n');
        }
    }

    // A name-based UUID (version 5 layout over SHA-256 instead of SHA-1; NetworkManager only needs it unique and stable).
    private static Guid StableUuid(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
