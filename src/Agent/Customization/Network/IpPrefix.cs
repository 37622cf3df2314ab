using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Imprint.Agent.Customization.Network;

/// <summary>An interface address with its prefix length, "10.0.0.5/24" or "fd00::5/64".</summary>
public sealed record IpPrefix(IPAddress Address, int PrefixLength)
{
    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>The dotted netmask of an IPv4 prefix (ifcfg NETMASK, busybox ifupdown).</summary>
    public string Netmask
    {
        get
        {
            var mask = PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);
            return string.Join('.', new[] { mask >> 24, (mask >> 16) & 0xff, (mask >> 8) & 0xff, mask & 0xff });
        }
    }

    public override string ToString() => $"{Address}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string? text, out IpPrefix? prefix)
    {
        prefix = null;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash <= 0 || !IpAddressText.TryParse(text![..slash], out var address)
            || text.Length - slash - 1 is < 1 or > 3
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return false;
        }

        var max = address!.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (length > max)
        {
            return false;
        }

        prefix = new IpPrefix(address, length);
        return true;
    }

    public static IpPrefix Parse(string text) =>
        TryParse(text, out var prefix) ? prefix! : throw new FormatException($"'{text}' is not an IP/prefix");
}
