using System.Net;
using System.Net.Sockets;

namespace Imprint.Agent.Customization.Network;

/// <summary>
/// Strict IP address parsing for spec values. <see cref="IPAddress.TryParse(string, out IPAddress)"/> accepts
/// inet_aton shorthands ("10.1" = 10.0.0.1, "010.0.0.1" as octal) and scope ids, which guest config files do not;
/// here IPv4 must be four decimal octets without leading zeros and IPv6 must carry no "%scope".
/// </summary>
public static class IpAddressText
{
    public static bool TryParse(string? text, out IPAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(text) || text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetwork)
        {
            var octets = text.Split('.');
            if (octets.Length != 4 || octets.Any(o => o.Length is 0 or > 3 || !o.All(char.IsAsciiDigit) || (o.Length > 1 && o[0] == '0')))
            {
                return false;
            }
        }
        else if (parsed.AddressFamily != AddressFamily.InterNetworkV6 || !text.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    public static bool IsIPv4(string? text) => TryParse(text, out var a) && a!.AddressFamily == AddressFamily.InterNetwork;

    public static bool IsIPv6(string? text) => TryParse(text, out var a) && a!.AddressFamily == AddressFamily.InterNetworkV6;
}
