using System.Globalization;
using System.Text;
using Imprint.Agent.Customization.Spec;

namespace Imprint.Agent.Customization.Network;

/// <summary>
/// /etc/network/interfaces for Debian ifupdown and Alpine ifupdown-ng. The spec's interfaces go in a marked block at
/// the end; stanzas elsewhere in the file for the same interfaces (and their names on auto/allow-* lines) are removed
/// so they cannot conflict; everything else — <c>lo</c>, other NICs, <c>source</c> lines, comments — is kept.
/// Re-rendering over the output gives the same text.
/// </summary>
public static class InterfacesFile
{
    public const string Path = "/etc/network/interfaces";
    public const string BeginMarker = "# BEGIN imprint";
    public const string EndMarker = "# END imprint";

    private const string Loopback = "auto lo\niface lo inet loopback\n";

    private static readonly string[] StanzaKeywords = ["iface", "mapping", "auto", "source", "source-directory", "rename", "no-auto-down", "no-scripts"];

    /// <summary>
    /// Renders over <paramref name="existing"/> (null or empty: a new file with just <c>lo</c>).
    /// <paramref name="withResolverOptions"/> adds dns-nameservers/dns-search (Debian's resolvconf hooks read them;
    /// ifupdown-ng on Alpine has no such hook, so Alpine leaves them out and uses the top-level dns settings).
    /// ifupdown cannot match a NIC by MAC address: a given macAddress is noted in a comment, not applied.
    /// </summary>
    public static string Render(IReadOnlyList<NetworkInterfaceSpec> nics, string? existing, bool withResolverOptions)
    {
        var ours = nics.Select(n => n.InterfaceName).ToHashSet(StringComparer.Ordinal);
        var kept = string.IsNullOrEmpty(existing) ? Loopback : WithoutInterfaces(WithoutBlock(existing), ours);
        var text = new StringBuilder(kept.TrimEnd('\n'));
        if (text.Length > 0)
        {
            text.Append("\n\n");
        }

        text.Append(BeginMarker).Append("\n# Written by imprint.\n");
        var first = true;
        foreach (var nic in nics)
        {
            if (!first)
            {
                text.Append('\n');
            }

            first = false;
            AppendInterface(text, nic, withResolverOptions);
        }

        return text.Append(EndMarker).Append('\n').ToString();
    }

    private static void AppendInterface(StringBuilder text, NetworkInterfaceSpec nic, bool withResolverOptions)
    {
        var name = nic.InterfaceName;
        var prefixes = (nic.Addresses ?? []).Select(IpPrefix.Parse).ToList();
        var v4 = prefixes.Where(p => !p.IsIPv6).ToList();
        var v6 = prefixes.Where(p => p.IsIPv6).ToList();
        if (nic.MacAddress is { } mac)
        {
            text.Append(CultureInfo.InvariantCulture, $"# macAddress {mac.ToLowerInvariant()}: ifupdown matches by name only\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"auto {name}\n");
        var stanzas = 0;
        void Stanza(string family, string method, IpPrefix? address, string? gateway)
        {
            text.Append(CultureInfo.InvariantCulture, $"iface {name} {family} {method}\n");
            Option(text, "address", address?.ToString());
            Option(text, "gateway", gateway);
            if (stanzas++ == 0)
            {
                // Interface-wide options go on the first stanza only.
                Option(text, "mtu", nic.Mtu?.ToString(CultureInfo.InvariantCulture));
                if (withResolverOptions)
                {
                    Option(text, "dns-nameservers", nic.Nameservers is { Count: > 0 } ns ? string.Join(' ', ns) : null);
                    Option(text, "dns-search", nic.SearchDomains is { Count: > 0 } sd ? string.Join(' ', sd) : null);
                }
            }
        }

        if (nic.Dhcp4)
        {
            Stanza("inet", "dhcp", null, null);
        }

        for (var i = 0; i < v4.Count; i++)
        {
            Stanza("inet", "static", v4[i], i == 0 ? nic.Gateway4 : null);
        }

        if (nic.Dhcp6)
        {
            Stanza("inet6", "dhcp", null, null);
        }

        for (var i = 0; i < v6.Count; i++)
        {
            Stanza("inet6", "static", v6[i], i == 0 ? nic.Gateway6 : null);
        }
    }

    private static void Option(StringBuilder text, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.Append("    ").Append(key).Append(' ').Append(value).Append('\n');
        }
    }

    private static string WithoutBlock(string content)
    {
        var lines = content.Split('\n').ToList();
        var begin = lines.FindIndex(l => l.TrimEnd() == BeginMarker);
        var end = begin < 0 ? -1 : lines.FindIndex(begin, l => l.TrimEnd() == EndMarker);
        if (begin >= 0)
        {
            // A block without its end marker runs to the end of the file (only imprint writes after the marker).
            lines.RemoveRange(begin, (end < 0 ? lines.Count - 1 : end) - begin + 1);
        }

        return string.Join('\n', lines);
    }

    private static string WithoutInterfaces(string content, HashSet<string> names)
    {
        var result = new List<string>();
        var dropping = false;
        foreach (var line in content.Split('\n'))
        {
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var keyword = fields.Length > 0 ? fields[0] : string.Empty;
            var isStanza = StanzaKeywords.Contains(keyword) || keyword.StartsWith("allow-", StringComparison.Ordinal);
            if (isStanza)
            {
                dropping = false;
                if (keyword == "iface" && fields.Length > 1 && names.Contains(fields[1]))
                {
                    dropping = true;
                    continue;
                }

                if (keyword == "auto" || keyword.StartsWith("allow-", StringComparison.Ordinal))
                {
                    var remaining = fields.Skip(1).Where(n => !names.Contains(n)).ToList();
                    if (remaining.Count == 0)
                    {
                        continue;
                    }

                    if (remaining.Count != fields.Length - 1)
                    {
                        result.Add(keyword + " " + string.Join(' ', remaining));
                        continue;
                    }
                }
            }
            else if (dropping && keyword.Length > 0 && keyword[0] != '#')
            {
                continue; // an option line of a removed stanza
            }

            result.Add(line);
        }

        return string.Join('\n', result);
    }
}
