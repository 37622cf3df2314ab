using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Imprint.Testing.FakeApiServer;

/// <summary>The OpenAPI string formats the API server checks on custom resources (unknown formats pass, as there).</summary>
public static partial class StringFormats
{
    public static bool Matches(string format, string text) => format switch
    {
        "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "ipv4" => IPAddress.TryParse(text, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') == 3,
        "ipv6" => IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6,
        "cidr" => IPNetwork.TryParse(text, out _) || IsHostCidr(text),
        "mac" => Mac().IsMatch(text),
        _ => true,
    };

    // Kubernetes' cidr format accepts host bits (192.0.2.10/24); IPNetwork.TryParse does not.
    private static bool IsHostCidr(string text) =>
        text.Split('/') is [var address, var bits] && IPAddress.TryParse(address, out var ip)
        && int.TryParse(bits, CultureInfo.InvariantCulture, out var prefix)
        && prefix >= 0 && prefix <= (ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);

    [GeneratedRegex("^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$")]
    private static partial Regex Mac();
}
