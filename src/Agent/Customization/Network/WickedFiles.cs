using System.Globalization;
using System.Text;
using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Customization.Spec;

namespace Imprint.Agent.Customization.Network;

/// <summary>
/// SUSE's wicked configuration (openSUSE Leap ≤ 15, SLES ≤ 15): one <c>/etc/sysconfig/network/ifcfg-NAME</c> per NIC
/// (single-quoted values, addresses in CIDR form as IPADDR, IPADDR_1…), its default routes in <c>ifroute-NAME</c>, and
/// the static resolvers in <c>/etc/sysconfig/network/config</c> (netconfig's NETCONFIG_DNS_STATIC_*), which netconfig
/// writes into /etc/resolv.conf at boot.
/// </summary>
public static class WickedFiles
{
    public const string Folder = "/etc/sysconfig/network";

    public const string NetconfigPath = Folder + "/config";

    public static string IfcfgPath(string interfaceName) => $"{Folder}/ifcfg-{interfaceName}";

    public static string IfroutePath(string interfaceName) => $"{Folder}/ifroute-{interfaceName}";

    /// <summary>
    /// The files for these NICs; <paramref name="existingNetconfig"/> is the guest's current netconfig file (its other
    /// settings are kept; it is only written when a NIC names resolvers or search domains).
    /// </summary>
    public static IReadOnlyList<GuestFile> Render(IReadOnlyList<NetworkInterfaceSpec> nics, string? existingNetconfig)
    {
        var files = new List<GuestFile>();
        foreach (var nic in nics)
        {
            files.Add(new GuestFile(IfcfgPath(nic.InterfaceName), Ifcfg(nic), GuestFile.PrivateMode));
            if (Ifroute(nic) is { } routes)
            {
                files.Add(new GuestFile(IfroutePath(nic.InterfaceName), routes, GuestFile.PrivateMode));
            }
        }

        var servers = nics.SelectMany(n => n.Nameservers ?? []).Distinct(StringComparer.Ordinal).ToList();
        var search = nics.SelectMany(n => n.SearchDomains ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (servers.Count > 0 || search.Count > 0)
        {
            var config = existingNetconfig;
            if (servers.Count > 0)
            {
                config = SysconfigVariables.With(config, "NETCONFIG_DNS_STATIC_SERVERS", string.Join(' ', servers));
            }

            if (search.Count > 0)
            {
                config = SysconfigVariables.With(config, "NETCONFIG_DNS_STATIC_SEARCHLIST", string.Join(' ', search));
            }

            files.Add(new GuestFile(NetconfigPath, config!));
        }

        return files;
    }

    /// <summary>An ifcfg file as wicked reads it (mode 0600 like YaST writes them).</summary>
    public static string Ifcfg(NetworkInterfaceSpec nic)
    {
        var text = new StringBuilder("# Written by imprint.\n");
        var bootproto = (nic.Dhcp4, nic.Dhcp6) switch
        {
            (true, true) => "dhcp",
            (true, false) => "dhcp4",
            (false, true) => "dhcp6",
            _ => "static",
        };
        text.Append(CultureInfo.InvariantCulture, $"STARTMODE='auto'\nBOOTPROTO='{bootproto}'\n");
        var prefixes = (nic.Addresses ?? []).Select(IpPrefix.Parse).ToList();
        for (var i = 0; i < prefixes.Count; i++)
        {
            var suffix = i == 0 ? string.Empty : "_" + i.ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"IPADDR{suffix}='{prefixes[i]}'\n");
        }

        if (nic.Mtu is { } mtu)
        {
            text.Append(CultureInfo.InvariantCulture, $"MTU='{mtu}'\n");
        }

        if (nic.MacAddress is { } mac)
        {
            // wicked names no NIC by MAC in ifcfg; LLADDR would *set* the address, so it is only recorded.
            text.Append(CultureInfo.InvariantCulture, $"# MAC address in the spec: {mac.ToLowerInvariant()}\n");
        }

        return text.ToString();
    }

    /// <summary>The NIC's default routes (<c>default GATEWAY - NAME</c> per family), or null when it names no gateway.</summary>
    public static string? Ifroute(NetworkInterfaceSpec nic)
    {
        var gateways = new[] { nic.Gateway4, nic.Gateway6 }.Where(g => !string.IsNullOrEmpty(g)).ToList();
        return gateways.Count == 0
            ? null
            : "# Written by imprint.\n" + string.Concat(gateways.Select(g => $"default {g} - {nic.InterfaceName}\n"));
    }
}
