using System.Text.RegularExpressions;
using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Customization.Network;
using Imprint.Agent.Customization.Ssh;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// Checks a whole spec before anything is read or written and reports every problem at once, each with its field
/// path (e.g. <c>network.interfaces[0].addresses[1]</c>), so a user fixes the spec in one go.
/// </summary>
public static partial class CustomizationSpecValidator
{
    /// <summary>The kernel's HOST_NAME_MAX: sethostname(2) refuses longer names, so the clone's own name must fit.</summary>
    public const int MaxHostnameLength = 64;

    /// <summary>Throws <see cref="ImprintException.Usage"/> listing every problem, one per line.</summary>
    public static void Validate(CustomizationSpec spec)
    {
        var errors = Errors(spec);
        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }
    }

    /// <summary>The Usage error listing <paramref name="errors"/> ("path: problem"), one per line.</summary>
    public static ImprintException Invalid(IReadOnlyList<string> errors) =>
        ImprintException.Usage($"invalid customization ({errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")}):\n  " + string.Join("\n  ", errors));

    public static IReadOnlyList<string> Errors(CustomizationSpec spec)
    {
        var errors = new List<string>();
        if (spec.Hostname is { } hostname)
        {
            if (HostnameProblem(hostname) is { } problem)
            {
                errors.Add($"hostname: {problem}");
            }
            else if (hostname.Length > MaxHostnameLength)
            {
                errors.Add($"hostname: '{hostname}' is longer than {MaxHostnameLength} characters, the Linux limit for the system host name");
            }
        }

        ValidateHosts(spec.Hosts, errors);
        ValidateDns(spec.Dns, errors);
        ValidateRootPassword(spec.RootPassword, errors);
        ValidateUsers(spec.Users, errors);
        foreach (var (field, value) in new[] { ("sshHostKeys", spec.SshHostKeys), ("machineId", spec.MachineId) })
        {
            if (value is not (null or CustomizationSpec.Regenerate or CustomizationSpec.Keep))
            {
                errors.Add($"{field}: '{value}' must be {CustomizationSpec.Regenerate} or {CustomizationSpec.Keep} (case-sensitive)");
            }
        }

        if (spec.Timezone is { } zone && TimezoneEdit.SyntaxProblem(zone) is { } zoneProblem)
        {
            errors.Add($"timezone: {zoneProblem}");
        }

        ValidateNetwork(spec.Network, errors);
        ValidateFiles(spec.Files, errors);
        for (var i = 0; i < (spec.FirstBootCommands?.Count ?? 0); i++)
        {
            var command = spec.FirstBootCommands![i];
            if (string.IsNullOrWhiteSpace(command) || command.AsSpan().IndexOfAny('\n', '\r', '\0') >= 0 || command.TrimEnd().EndsWith('\\'))
            {
                errors.Add($"firstBootCommands[{i}]: must be one non-empty line not ending in '\\' (use a files entry for a longer script)");
            }
            else if (ShellSyntax.Problem(command) is { } syntax)
            {
                // A command that does not parse breaks the whole generated script: it and every later one never run.
                errors.Add($"firstBootCommands[{i}]: {syntax}");
            }
        }

        return errors;
    }

    /// <summary>
    /// Null when <paramref name="name"/> is a valid RFC 1123 host name: dot-separated labels of 1–63 characters from
    /// [a-z0-9-], not starting or ending with '-', 253 characters at most. Uppercase is refused (not folded) because
    /// Kubernetes object names and most distributions' tooling use lowercase, and a silently changed name surprises.
    /// </summary>
    public static string? HostnameProblem(string name)
    {
        if (name.Length is 0 or > 253)
        {
            return $"'{name}' must be 1 to 253 characters";
        }

        if (name.Any(char.IsAsciiLetterUpper))
        {
            return $"'{name}' has uppercase letters; use '{name.ToLowerInvariant()}' (host names are lowercase, as Kubernetes names are)";
        }

        foreach (var label in name.Split('.'))
        {
            if (!LabelPattern().IsMatch(label))
            {
                return $"'{name}' is not an RFC 1123 host name (dot-separated labels of 1–63 characters from a-z, 0-9 and '-', not starting or ending with '-')";
            }
        }

        return null;
    }

    /// <summary>Null when <paramref name="domain"/> is a DNS domain usable in a search list (case-insensitive).</summary>
    public static string? DomainProblem(string domain) =>
        domain.Length is > 0 and <= 253 && domain.TrimEnd('.').Split('.').All(l => LabelPattern().IsMatch(l.ToLowerInvariant()))
            ? null
            : $"'{domain}' is not a DNS domain name";

    private static void ValidateHosts(List<HostEntrySpec>? hosts, List<string> errors)
    {
        for (var i = 0; i < (hosts?.Count ?? 0); i++)
        {
            var entry = hosts![i];
            if (entry.Ip is null)
            {
                errors.Add($"hosts[{i}].ip: required");
            }
            else if (!IpAddressText.TryParse(entry.Ip, out _))
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
    }

    private static void ValidateDns(DnsSpec? dns, List<string> errors)
    {
        for (var i = 0; i < (dns?.Nameservers?.Count ?? 0); i++)
        {
            if (!IpAddressText.TryParse(dns!.Nameservers![i], out _))
            {
                errors.Add($"dns.nameservers[{i}]: '{dns.Nameservers[i]}' is not an IP address");
            }
        }

        for (var i = 0; i < (dns?.Searches?.Count ?? 0); i++)
        {
            if (DomainProblem(dns!.Searches![i]) is { } p)
            {
                errors.Add($"dns.searches[{i}]: {p}");
            }
        }

        for (var i = 0; i < (dns?.Options?.Count ?? 0); i++)
        {
            if (!ResolverOptionPattern().IsMatch(dns!.Options![i]))
            {
                errors.Add($"dns.options[{i}]: '{dns.Options[i]}' is not a resolv.conf option such as edns0 or ndots:2");
            }
        }
    }

    private static void ValidateRootPassword(RootPasswordSpec? password, List<string> errors)
    {
        if (password is null)
        {
            return;
        }

        if (password.File is not null && password.Hash is not null)
        {
            errors.Add("rootPassword: give either file or hash, not both");
        }

        if (password.File is { Length: 0 })
        {
            errors.Add("rootPassword.file: must not be empty");
        }

        if (password.Hash is { } hash && !CryptHashPattern().IsMatch(hash))
        {
            errors.Add("rootPassword.hash: expected a crypt(3) hash such as $6$salt$… (the value is not shown)");
        }

        if (password.File is null && password.Hash is null && !password.Lock)
        {
            errors.Add("rootPassword: set file, hash or lock");
        }
    }

    private static void ValidateUsers(List<UserSpec>? users, List<string> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (users?.Count ?? 0); i++)
        {
            var user = users![i];
            if (user.Name is null)
            {
                errors.Add($"users[{i}].name: required");
            }
            else if (!UserNamePattern().IsMatch(user.Name))
            {
                errors.Add($"users[{i}].name: '{user.Name}' is not a valid user name");
            }
            else if (!names.Add(user.Name))
            {
                errors.Add($"users[{i}].name: '{user.Name}' is listed twice");
            }

            if (user.SshAuthorizedKeys is not { Count: > 0 } && string.IsNullOrEmpty(user.SshAuthorizedKeysFile) && user.Groups is not { Count: > 0 })
            {
                errors.Add($"users[{i}]: give sshAuthorizedKeys, sshAuthorizedKeysFile or groups");
            }

            ValidateUserAccount(user, $"users[{i}]", errors);

            for (var j = 0; j < (user.SshAuthorizedKeys?.Count ?? 0); j++)
            {
                if (AuthorizedKeys.Problem(user.SshAuthorizedKeys![j]) is { } p)
                {
                    errors.Add($"users[{i}].sshAuthorizedKeys[{j}]: {p}");
                }
            }
        }
    }

    private static void ValidateUserAccount(UserSpec user, string path, List<string> errors)
    {
        var groups = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < (user.Groups?.Count ?? 0); j++)
        {
            var group = user.Groups![j];
            if (string.IsNullOrEmpty(group) || !UserNamePattern().IsMatch(group))
            {
                errors.Add($"{path}.groups[{j}]: '{group}' is not a valid group name");
            }
            else if (!groups.Add(group))
            {
                errors.Add($"{path}.groups[{j}]: '{group}' is listed twice");
            }
        }

        if (user.Shell is { } shell && !ShellPattern().IsMatch(shell))
        {
            errors.Add($"{path}.shell: '{shell}' must be an absolute path without ':' or white space");
        }

        // 0 would alias root; 4294967295 is (uid_t)-1, which chown and setuid treat as "no change".
        if (user.Uid is 0 or uint.MaxValue)
        {
            errors.Add($"{path}.uid: {user.Uid} is reserved (0 is root, 4294967295 means none)");
        }
    }

    private static void ValidateNetwork(NetworkSpec? network, List<string> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (network?.Interfaces?.Count ?? 0); i++)
        {
            var nic = network!.Interfaces![i];
            var path = $"network.interfaces[{i}]";
            if (!InterfaceNamePattern().IsMatch(nic.InterfaceName) || nic.InterfaceName is "." or "..")
            {
                errors.Add($"{path}.name: '{nic.InterfaceName}' is not an interface name (1–15 characters, no '/', ':' or spaces)");
            }
            else if (!names.Add(nic.InterfaceName))
            {
                errors.Add($"{path}.name: '{nic.InterfaceName}' is listed twice");
            }

            if (nic.MacAddress is { } mac && !MacPattern().IsMatch(mac))
            {
                errors.Add($"{path}.macAddress: '{mac}' is not a MAC address like 52:54:00:12:34:56");
            }

            var prefixes = new List<IpPrefix>();
            for (var j = 0; j < (nic.Addresses?.Count ?? 0); j++)
            {
                if (IpPrefix.TryParse(nic.Addresses![j], out var prefix))
                {
                    prefixes.Add(prefix!);
                }
                else
                {
                    errors.Add($"{path}.addresses[{j}]: '{nic.Addresses[j]}' is not an IP/prefix such as 10.0.0.5/24 or fd00::5/64");
                }
            }

            if (!nic.Dhcp4 && !nic.Dhcp6 && nic.Addresses is not { Count: > 0 })
            {
                errors.Add($"{path}: give addresses or enable dhcp4/dhcp6");
            }

            if (nic.Gateway4 is { } gw4)
            {
                if (!IpAddressText.IsIPv4(gw4))
                {
                    errors.Add($"{path}.gateway4: '{gw4}' is not an IPv4 address");
                }
                else if (!prefixes.Any(p => !p.IsIPv6))
                {
                    errors.Add($"{path}.gateway4: needs a static IPv4 address in addresses");
                }
            }

            if (nic.Gateway6 is { } gw6)
            {
                if (!IpAddressText.IsIPv6(gw6))
                {
                    errors.Add($"{path}.gateway6: '{gw6}' is not an IPv6 address");
                }
                else if (!prefixes.Any(p => p.IsIPv6))
                {
                    errors.Add($"{path}.gateway6: needs a static IPv6 address in addresses");
                }
            }

            for (var j = 0; j < (nic.Nameservers?.Count ?? 0); j++)
            {
                if (!IpAddressText.TryParse(nic.Nameservers![j], out _))
                {
                    errors.Add($"{path}.nameservers[{j}]: '{nic.Nameservers[j]}' is not an IP address");
                }
            }

            for (var j = 0; j < (nic.SearchDomains?.Count ?? 0); j++)
            {
                if (DomainProblem(nic.SearchDomains![j]) is { } p)
                {
                    errors.Add($"{path}.searchDomains[{j}]: {p}");
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
        var paths = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (files?.Count ?? 0); i++)
        {
            var file = files![i];
            var path = $"files[{i}]";
            if (file.Path is null)
            {
                errors.Add($"{path}.path: required");
            }
            else if (!file.Path.StartsWith('/') || file.Path.EndsWith('/')
                || file.Path[1..].Split('/').Any(part => part is "" or "." or "..") || file.Path.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add($"{path}.path: '{file.Path}' must be an absolute guest file path without '.', '..' or empty parts");
            }
            else if (!paths.Add(file.Path))
            {
                errors.Add($"{path}.path: '{file.Path}' is listed twice");
            }

            var sources = (file.Content is null ? 0 : 1) + (file.ContentFile is null ? 0 : 1) + (file.Base64 is null ? 0 : 1);
            if (sources != 1)
            {
                errors.Add($"{path}: give exactly one of content, contentFile, base64");
            }

            if (file.Mode is { } mode && mode.Bits is null)
            {
                errors.Add(mode.IsNumber
                    ? $"{path}.mode: {mode.Text} is read as a decimal number and is not within 0–511 (0777); write an octal string such as \"0644\""
                    : $"{path}.mode: '{mode.Text}' is not an octal mode such as \"0644\" (at most 07777)");
            }

            if (file.Base64 is { } b64)
            {
                if (Base64Content.DecodedLength(b64) is not { } decoded)
                {
                    errors.Add($"{path}.base64: not valid base64");
                }
                else if (decoded > FileContentLimits.MaxFileBytes)
                {
                    errors.Add($"{path}.base64: {FileContentLimits.FileProblem("the decoded content", decoded)}");
                }
            }

            if (file.Content is { } inline && System.Text.Encoding.UTF8.GetByteCount(inline) is var utf8 && utf8 > FileContentLimits.MaxFileBytes)
            {
                errors.Add($"{path}.content: {FileContentLimits.FileProblem("the content", utf8)}");
            }

            if (file.Owner is { } owner && !OwnerPattern().IsMatch(owner))
            {
                errors.Add($"{path}.owner: '{owner}' must be user, uid, user:group or uid:gid");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex LabelPattern();

    [GeneratedRegex("^[a-z_][a-z0-9_.-]{0,31}\\$?$")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex("^/[^:\\s]{0,255}$")]
    private static partial Regex ShellPattern();

    [GeneratedRegex("^[^/:\\s]{1,15}$")]
    private static partial Regex InterfaceNamePattern();

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")]
    private static partial Regex MacPattern();

    [GeneratedRegex("^[a-z][a-z0-9_-]*(:[0-9]{1,3})?$")]
    private static partial Regex ResolverOptionPattern();

    // $id$ then salt/params/hash from the crypt alphabet; never ':' or a newline, which would corrupt /etc/shadow.
    [GeneratedRegex("^\\$[0-9a-z]{1,4}\\$[./0-9A-Za-z$=,]+$")]
    private static partial Regex CryptHashPattern();

    [GeneratedRegex("^([0-9]+|[a-z_][a-z0-9_.-]{0,31}\\$?)(:([0-9]+|[a-z_][a-z0-9_.-]{0,31}\\$?))?$")]
    private static partial Regex OwnerPattern();
}
