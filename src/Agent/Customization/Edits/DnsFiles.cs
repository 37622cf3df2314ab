using System.Text;
using Imprint.Agent.Customization.Spec;

namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// Resolver configuration. When /etc/resolv.conf is systemd-resolved's stub symlink, writing through it would be
/// undone at boot (the target lives in /run), so a resolved.conf.d drop-in carries the servers instead.
/// </summary>
public static class DnsFiles
{
    public const string ResolvConfPath = "/etc/resolv.conf";
    public const string ResolvedDropInPath = "/etc/systemd/resolved.conf.d/90-imprint.conf";

    /// <summary>
    /// True when a /etc/resolv.conf symlink target points into systemd-resolved's runtime folder
    /// (<c>../run/systemd/resolve/stub-resolv.conf</c>, <c>/run/systemd/resolve/resolv.conf</c>, …).
    /// </summary>
    public static bool IsResolvedStubTarget(string? symlinkTarget)
    {
        if (string.IsNullOrEmpty(symlinkTarget))
        {
            return false;
        }

        var target = symlinkTarget;
        while (target.StartsWith("../", StringComparison.Ordinal) || target.StartsWith("./", StringComparison.Ordinal))
        {
            target = target[(target.IndexOf('/', StringComparison.Ordinal) + 1)..];
        }

        return target.TrimStart('/').StartsWith("run/systemd/resolve/", StringComparison.Ordinal);
    }

    /// <summary>
    /// The file to write: /etc/resolv.conf (0644) normally, or the resolved drop-in (0644) on a stub guest. The drop-in
    /// carries DNS= and Domains=; resolv.conf options have no resolved equivalent and are left out there.
    /// </summary>
    public static IReadOnlyList<GuestFile> Render(DnsSpec dns, bool resolvConfIsResolvedStub)
    {
        var text = new StringBuilder("# Written by imprint.\n");
        if (resolvConfIsResolvedStub)
        {
            text.Append("[Resolve]\n");
            if (dns.Nameservers is { Count: > 0 } servers)
            {
                text.Append("DNS=").AppendJoin(' ', servers).Append('\n');
            }

            if (dns.Searches is { Count: > 0 } searches)
            {
                text.Append("Domains=").AppendJoin(' ', searches).Append('\n');
            }

            return [new GuestFile(ResolvedDropInPath, text.ToString(), GuestFile.PublicMode)];
        }

        foreach (var server in dns.Nameservers ?? [])
        {
            text.Append("nameserver ").Append(server).Append('\n');
        }

        if (dns.Searches is { Count: > 0 } search)
        {
            text.Append("search ").AppendJoin(' ', search).Append('\n');
        }

        if (dns.Options is { Count: > 0 } options)
        {
            text.Append("options ").AppendJoin(' ', options).Append('\n');
        }

        return [new GuestFile(ResolvConfPath, text.ToString(), GuestFile.PublicMode)];
    }
}
