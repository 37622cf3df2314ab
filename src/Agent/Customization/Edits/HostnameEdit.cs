using Imprint.Agent.Guest;

namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// Every file that names the host, per distribution family, as pure functions of the old contents:
/// <c>/etc/hostname</c> everywhere; the Debian <c>127.0.1.1</c> line in /etc/hosts; old RHEL's
/// <c>HOSTNAME=</c> in /etc/sysconfig/network (only when the file already sets it); SUSE's <c>/etc/HOSTNAME</c>.
/// </summary>
public static class HostnameEdit
{
    public const string HostnamePath = "/etc/hostname";
    public const string SysconfigNetworkPath = "/etc/sysconfig/network";
    public const string SuseHostnamePath = "/etc/HOSTNAME";

    /// <summary>
    /// The files to write. <paramref name="etcHosts"/> and <paramref name="sysconfigNetwork"/> are the guest's current
    /// contents (null when missing). Files whose content would not change are left out, so a re-run writes nothing.
    /// On SUSE /etc/HOSTNAME is often a symlink to /etc/hostname; writing it through the link writes the same bytes.
    /// </summary>
    public static IReadOnlyList<GuestFile> Render(string hostname, GuestFamily family, string? etcHosts, string? sysconfigNetwork, string? etcHostname = null)
    {
        var files = new List<GuestFile>();
        Add(files, HostnamePath, etcHostname, HostnameFile(hostname));
        if (family == GuestFamily.Debian)
        {
            var hosts = etcHosts ?? "127.0.0.1\tlocalhost\n";
            Add(files, HostsFile.Path, etcHosts, HostsFile.WithDebianHostname(hosts, hostname));
        }

        if (sysconfigNetwork is not null && WithSysconfigHostname(sysconfigNetwork, hostname) is var updated && updated != sysconfigNetwork)
        {
            files.Add(new GuestFile(SysconfigNetworkPath, updated));
        }

        if (family == GuestFamily.Suse)
        {
            files.Add(new GuestFile(SuseHostnamePath, HostnameFile(hostname)));
        }

        return files;
    }

    /// <summary>/etc/hostname holds the name as given (short or fully qualified) and a newline.</summary>
    public static string HostnameFile(string hostname) => hostname + "\n";

    /// <summary>Replaces every <c>HOSTNAME=</c> assignment; a file without one is returned unchanged.</summary>
    public static string WithSysconfigHostname(string content, string hostname)
    {
        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("HOSTNAME=", StringComparison.Ordinal))
            {
                lines[i] = $"HOSTNAME={hostname}" + (lines[i].EndsWith('\r') ? "\r" : string.Empty);
            }
        }

        return string.Join('\n', lines);
    }

    private static void Add(List<GuestFile> files, string path, string? current, string content)
    {
        if (current != content)
        {
            files.Add(new GuestFile(path, content));
        }
    }
}
