using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// Checks a whole spec before anything is written and reports every problem at once, each with its field path
/// (e.g. <c>network.interfaces[0].addresses[1]</c>), so a user fixes the spec in one go.
/// </summary>
public static partial class CustomizationSpecValidator
{
    public static void Validate(CustomizationSpec spec)
    {
        var errors = Errors(spec);
        if (errors.Count > 0)
        {
            throw ImprintException.Usage("invalid customization:\n  " + string.Join("\n  ", errors));
        }
    }

    public static IReadOnlyList<string> Errors(CustomizationSpec spec)
    {
        var errors = new List<string>();
        if (spec.Hostname is { } hostname && HostnameProblem(hostname) is { } problem)
        {
            errors.Add($"hostname: {problem}");
        }

        for (var i = 0; i < (spec.Hosts?.Count ?? 0); i++)
        {
            var entry = spec.Hosts![i];
            if (!IPAddress.TryParse(entry.Ip ?? string.Empty, out _))
            {
                errors.Add($"hosts[{i}].ip: '{entry.Ip}' is not an IP address");
            }

            if (entry.Hostnames is not { Count: > 0 })
            {
                errors.Add($"hosts[{i}].hostnames: at least one name is required");
            }

            for (var j = 0; j < (entry.Hostnames?.Count ?? 0); j++)
            {
                if (HostnameProblem(entry.Hostnames![j]) is { } p)
                {
                    errors.Add($"hosts[{i}].hostnames[{j}]: {p}");
                }
            }
        }

        for (var i = 0; i < (spec.Dns?.Nameservers?.Count ?? 0); i++)
        {
            if (!IPAddress.TryParse(spec.Dns!.Nameservers![i], out _))
            {
                errors.Add($"dns.nameservers[{i}]: '{spec.Dns.Nameservers[i]}' is not an IP address");
            }
        }

        if (spec.RootPassword is { } password)
        {
            var sources = (password.File is null ? 0 : 1) + (password.Hash is null ? 0 : 1);
            if (sources > 1)
            {
                errors.Add("rootPassword: give either file or hash, not both");
            }

            if (password.Hash is { } hash && !hash.StartsWith('$'))
            {
                errors.Add("rootPassword.hash: expected a crypt(3) hash such as $6$salt$…");
            }

            if (sources == 0 && !password.Lock)
            {
                errors.Add("rootPassword: set file, hash or lock");
            }
        }

        for (var i = 0; i < (spec.Users?.Count ?? 0); i++)
        {
            var user = spec.Users![i];
            if (string.IsNullOrWhiteSpace(user.Name) || !UserNamePattern().IsMatch(user.Name))
            {
                errors.Add($"users[{i}].name: '{user.Name}' is not a valid user name");
            }

            for (var j = 0; j < (user.SshAuthorizedKeys?.Count ?? 0); j++)
            {
                if (!Ssh.AuthorizedKeys.IsValidLine(user.SshAuthorizedKeys![j]))
                {
                    errors.Add($"users[{i}].sshAuthorizedKeys[{j}]: not an OpenSSH public key line");
                }
            }
        }

        foreach (var (field, value) in new[] { ("sshHostKeys", spec.SshHostKeys), ("machineId", spec.MachineId) })
        {
            if (value is not null && value is not ("Regenerate" or "Keep"))
            {
                errors.Add($"{field}: '{value}' must be Regenerate or Keep");
            }
        }

        if (spec.Timezone is { } zone && !TimezonePattern().IsMatch(zone))
        {
            errors.Add($"timezone: '{zone}' is not an IANA zone name like Europe/Berlin");
        }

        ValidateNetwork(spec.Network, errors);
        ValidateFiles(spec.Files, errors);
        for (var i = 0; i < (spec.FirstBootCommands?.Count ?? 0); i++)
        {
            if (string.IsNullOrWhiteSpace(spec.FirstBootCommands![i]) || spec.FirstBootCommands[i].Contains('\n', StringComparison.Ordinal))
            {
                errors.Add($"firstBootCommands[{i}]: must be one non-empty line");
            }
        }

        return errors;
    }

    /// <summary>Null when <paramref name="name"/> is a valid RFC 1123 host name (lowercase, like Kubernetes names).</summary>
    public static string? HostnameProblem(string name)
    {
        if (name.Length is 0 or > 253)
        {
            return $"'{name}' must be 1 to 253 characters";
        }

        foreach (var label in name.Split('.'))
        {
            if (!LabelPattern().IsMatch(label))
            {
                return $"'{name}' is not an RFC 1123 host name (labels of 1–63 lowercase letters, digits or '-', not starting or ending with '-')";
            }
        }

        return null;
    }

    private static void ValidateNetwork(NetworkSpec? network, List<string> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (network?.Interfaces?.Count ?? 0); i++)
        {
            var nic = network!.Interfaces![i];
            var path = $"network.interfaces[{i}]";
            if (!names.Add(nic.InterfaceName))
            {
                errors.Add($"{path}.name: '{nic.InterfaceName}' is listed twice");
            }

            if (!InterfaceNamePattern().IsMatch(nic.InterfaceName))
            {
                errors.Add($"{path}.name: '{nic.InterfaceName}' is not an interface name");
            }

            if (nic.MacAddress is { } mac && !MacPattern().IsMatch(mac))
            {
                errors.Add($"{path}.macAddress: '{mac}' is not a MAC address like 52:54:00:12:34:56");
            }

            for (var j = 0; j < (nic.Addresses?.Count ?? 0); j++)
            {
                if (!Network.IpPrefix.TryParse(nic.Addresses![j], out _))
                {
                    errors.Add($"{path}.addresses[{j}]: '{nic.Addresses[j]}' is not an IP/prefix such as 10.0.0.5/24");
                }
            }

            if (!nic.Dhcp4 && !nic.Dhcp6 && nic.Addresses is not { Count: > 0 })
            {
                errors.Add($"{path}: give addresses or enable dhcp4/dhcp6");
            }

            if (nic.Gateway4 is { } gw4 && !(IPAddress.TryParse(gw4, out var g4) && g4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
            {
                errors.Add($"{path}.gateway4: '{gw4}' is not an IPv4 address");
            }

            if (nic.Gateway6 is { } gw6 && !(IPAddress.TryParse(gw6, out var g6) && g6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6))
            {
                errors.Add($"{path}.gateway6: '{gw6}' is not an IPv6 address");
            }

            for (var j = 0; j < (nic.Nameservers?.Count ?? 0); j++)
            {
                if (!IPAddress.TryParse(nic.Nameservers![j], out _))
                {
                    errors.Add($"{path}.nameservers[{j}]: '{nic.Nameservers[j]}' is not an IP address");
                }
            }

            if (nic.Mtu is { } mtu && mtu is < 576 or > 65535)
            {
                errors.Add($"{path}.mtu: {mtu} is outside 576–65535");
            }
        }
    }

    private static void ValidateFiles(List<FileSpec>? files, List<string> errors)
    {
        for (var i = 0; i < (files?.Count ?? 0); i++)
        {
            var file = files![i];
            var path = $"files[{i}]";
            if (string.IsNullOrEmpty(file.Path) || !file.Path.StartsWith('/') || file.Path.Split('/').Contains(".."))
            {
                errors.Add($"{path}.path: '{file.Path}' must be an absolute guest path without '..'");
            }

            var sources = (file.Content is null ? 0 : 1) + (file.ContentFile is null ? 0 : 1) + (file.Base64 is null ? 0 : 1);
            if (sources != 1)
            {
                errors.Add($"{path}: give exactly one of content, contentFile, base64");
            }

            if (file.Mode is { } mode && !(mode.Length is >= 3 and <= 4 && int.TryParse(mode, NumberStyles.None, CultureInfo.InvariantCulture, out _) && mode.All(c => c is >= '0' and <= '7')))
            {
                errors.Add($"{path}.mode: '{mode}' is not an octal mode such as 0644");
            }

            if (file.Base64 is { } b64 && !Convert.TryFromBase64String(b64, new byte[b64.Length], out _))
            {
                errors.Add($"{path}.base64: not valid base64");
            }

            if (file.Owner is { } owner && owner.Split(':').Length != 2)
            {
                errors.Add($"{path}.owner: '{owner}' must be uid:gid or user:group");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex LabelPattern();

    [GeneratedRegex("^[a-z_][a-z0-9_.-]{0,31}\\$?$")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex("^(?:[A-Za-z][A-Za-z0-9_+-]*)(?:/[A-Za-z0-9_+-]+)*$")]
    private static partial Regex TimezonePattern();

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,15}$")]
    private static partial Regex InterfaceNamePattern();

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")]
    private static partial Regex MacPattern();
}
