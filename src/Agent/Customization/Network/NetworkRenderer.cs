using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Customization.Network;

/// <summary>
/// Renders a <see cref="NetworkSpec"/> in the guest's own configuration style. Output is deterministic (same spec,
/// same bytes), so customizing twice changes nothing.
/// </summary>
public static class NetworkRenderer
{
    public static NetworkStyle? StyleOf(string inspected) => inspected switch
    {
        "ifupdown" => NetworkStyle.Ifupdown,
        "netplan" => NetworkStyle.Netplan,
        "networkmanager" => NetworkStyle.NetworkManager,
        "systemd-networkd" => NetworkStyle.SystemdNetworkd,
        "ifcfg" => NetworkStyle.Ifcfg,
        "alpine-interfaces" => NetworkStyle.AlpineInterfaces,
        _ => null,
    };

    public static IReadOnlyList<GuestFile> Render(NetworkStyle style, NetworkSpec spec)
    {
        var nics = spec.Interfaces ?? [];
        return style switch
        {
            NetworkStyle.Ifupdown or NetworkStyle.AlpineInterfaces => [new GuestFile("/etc/network/interfaces", Interfaces(nics), 0b110_100_100)],
            NetworkStyle.Netplan => [new GuestFile("/etc/netplan/90-imprint.yaml", Netplan(nics), 0b110_000_000)],
            NetworkStyle.NetworkManager => nics.Select(n => new GuestFile($"/etc/NetworkManager/system-connections/imprint-{n.InterfaceName}.nmconnection", Keyfile(n), 0b110_000_000)).ToList(),
            NetworkStyle.SystemdNetworkd => nics.Select(n => new GuestFile($"/etc/systemd/network/10-imprint-{n.InterfaceName}.network", Networkd(n), 0b110_100_100)).ToList(),
            NetworkStyle.Ifcfg => nics.Select(n => new GuestFile($"/etc/sysconfig/network-scripts/ifcfg-{n.InterfaceName}", Ifcfg(n), 0b110_100_100)).ToList(),
            _ => throw ImprintException.Unsupported($"network style {style} is not supported"),
        };
    }

    /// <summary>Debian ifupdown and Alpine's ifupdown-ng share this syntax.</summary>
    public static string Interfaces(IReadOnlyList<NetworkInterfaceSpec> nics)
    {
        var text = new StringBuilder("# Written by imprint.\nauto lo\niface lo inet loopback\n");
        foreach (var nic in nics)
        {
            var name = nic.InterfaceName;
            text.Append(CultureInfo.InvariantCulture, $"\nauto {name}\n");
            var v4 = Prefixes(nic).Where(p => !p.IsIPv6).ToList();
            var v6 = Prefixes(nic).Where(p => p.IsIPv6).ToList();
            if (nic.Dhcp4 || v4.Count == 0 && v6.Count == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"iface {name} inet dhcp\n");
            }

            for (var i = 0; i < v4.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"iface {name} inet static\n    address {v4[i]}\n");
                if (i == 0)
                {
                    AppendIf(text, "    gateway ", nic.Gateway4);
                    AppendIf(text, "    dns-nameservers ", Join(nic.Nameservers, " "));
                    AppendIf(text, "    dns-search ", Join(nic.SearchDomains, " "));
                    AppendIf(text, "    mtu ", nic.Mtu?.ToString(CultureInfo.InvariantCulture));
                    AppendIf(text, "    hwaddress ether ", nic.MacAddress?.ToLowerInvariant());
                }
            }

            if (nic.Dhcp6)
            {
                text.Append(CultureInfo.InvariantCulture, $"iface {name} inet6 auto\n");
            }

            foreach (var prefix in v6)
            {
                text.Append(CultureInfo.InvariantCulture, $"iface {name} inet6 static\n    address {prefix}\n");
                AppendIf(text, "    gateway ", nic.Gateway6);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// A netplan file that sorts after cloud-init's 50-cloud-init.yaml, so for the same NIC its keys win (netplan
    /// merges files in lexical order).
    /// </summary>
    public static string Netplan(IReadOnlyList<NetworkInterfaceSpec> nics)
    {
        var text = new StringBuilder("# Written by imprint.\nnetwork:\n  version: 2\n  ethernets:\n");
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

            var routes = new List<(string To, string Via)>();
            if (nic.Gateway4 is { } gw4)
            {
                routes.Add(("default", gw4));
            }

            if (nic.Gateway6 is { } gw6)
            {
                routes.Add(("\"::/0\"", gw6));
            }

            if (routes.Count > 0)
            {
                text.Append("      routes:\n");
                foreach (var (to, via) in routes)
                {
                    text.Append(CultureInfo.InvariantCulture, $"        - to: {to}\n          via: \"{via}\"\n");
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
                    text.Append(CultureInfo.InvariantCulture, $"        search: [{string.Join(", ", search)}]\n");
                }
            }

            if (nic.Mtu is { } mtu)
            {
                text.Append(CultureInfo.InvariantCulture, $"      mtu: {mtu}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>A NetworkManager keyfile; its uuid derives from the interface name so re-runs write the same bytes.</summary>
    public static string Keyfile(NetworkInterfaceSpec nic)
    {
        var name = nic.InterfaceName;
        var text = new StringBuilder("# Written by imprint.\n[connection]\n");
        text.Append(CultureInfo.InvariantCulture, $"id=imprint-{name}\nuuid={StableUuid("nm:" + name)}\ntype=ethernet\ninterface-name={name}\nautoconnect=true\n\n[ethernet]\n");
        AppendIf(text, "mac-address=", nic.MacAddress?.ToUpperInvariant());
        AppendIf(text, "mtu=", nic.Mtu?.ToString(CultureInfo.InvariantCulture));
        var v4 = Prefixes(nic).Where(p => !p.IsIPv6).ToList();
        var v6 = Prefixes(nic).Where(p => p.IsIPv6).ToList();
        text.Append("\n[ipv4]\n");
        if (v4.Count > 0)
        {
            text.Append("method=manual\n");
            for (var i = 0; i < v4.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"address{i + 1}={v4[i]}{(i == 0 && nic.Gateway4 is { } gw ? "," + gw : string.Empty)}\n");
            }
        }
        else
        {
            text.Append(nic.Dhcp4 ? "method=auto\n" : "method=disabled\n");
        }

        AppendIf(text, "dns=", Join(nic.Nameservers?.Where(n => !n.Contains(':', StringComparison.Ordinal)), ";", trailing: true));
        AppendIf(text, "dns-search=", Join(nic.SearchDomains, ";", trailing: true));
        text.Append("\n[ipv6]\n");
        if (v6.Count > 0)
        {
            text.Append("method=manual\n");
            for (var i = 0; i < v6.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"address{i + 1}={v6[i]}{(i == 0 && nic.Gateway6 is { } gw ? "," + gw : string.Empty)}\n");
            }
        }
        else
        {
            text.Append(nic.Dhcp6 ? "method=auto\n" : "method=ignore\n");
        }

        return text.ToString();
    }

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
            _ => null,
        };
        AppendIf(text, "DHCP=", dhcp);
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

        AppendIf(text, "Domains=", Join(nic.SearchDomains, " "));
        return text.ToString();
    }

    public static string Ifcfg(NetworkInterfaceSpec nic)
    {
        var text = new StringBuilder("# Written by imprint.\n");
        text.Append(CultureInfo.InvariantCulture, $"DEVICE={nic.InterfaceName}\nTYPE=Ethernet\nONBOOT=yes\n");
        var v4 = Prefixes(nic).Where(p => !p.IsIPv6).ToList();
        var v6 = Prefixes(nic).Where(p => p.IsIPv6).ToList();
        text.Append(v4.Count > 0 ? "BOOTPROTO=none\n" : nic.Dhcp4 ? "BOOTPROTO=dhcp\n" : "BOOTPROTO=none\n");
        for (var i = 0; i < v4.Count; i++)
        {
            var suffix = i == 0 ? string.Empty : i.ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"IPADDR{suffix}={v4[i].Address}\nPREFIX{suffix}={v4[i].PrefixLength}\n");
        }

        AppendIf(text, "GATEWAY=", nic.Gateway4);
        if (v6.Count > 0 || nic.Dhcp6)
        {
            text.Append("IPV6INIT=yes\n");
            text.Append(nic.Dhcp6 ? "DHCPV6C=yes\n" : string.Empty);
            AppendIf(text, "IPV6ADDR=", v6.FirstOrDefault()?.ToString());
            AppendIf(text, "IPV6ADDR_SECONDARIES=", Join(v6.Skip(1).Select(p => p.ToString()), " "));
            AppendIf(text, "IPV6_DEFAULTGW=", nic.Gateway6);
        }

        var dns = nic.Nameservers ?? [];
        for (var i = 0; i < dns.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"DNS{i + 1}={dns[i]}\n");
        }

        AppendIf(text, "DOMAIN=\"", Join(nic.SearchDomains, " ") is { } domains ? domains + "\"" : null);
        AppendIf(text, "HWADDR=", nic.MacAddress?.ToUpperInvariant());
        AppendIf(text, "MTU=", nic.Mtu?.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static IEnumerable<IpPrefix> Prefixes(NetworkInterfaceSpec nic) => (nic.Addresses ?? []).Select(IpPrefix.Parse);

    private static void AppendIf(StringBuilder text, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.Append(key).Append(value).Append('\n');
        }
    }

    private static string? Join(IEnumerable<string>? values, string separator, bool trailing = false)
    {
        var list = values?.ToList();
        return list is { Count: > 0 } ? string.Join(separator, list) + (trailing ? separator : string.Empty) : null;
    }

    private static Guid StableUuid(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
