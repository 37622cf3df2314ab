using System.Text;
using Imprint.Agent.Customization.Spec;

namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// Resolver configuration. When /etc/resolv.conf is systemd-resolved's stub symlink, writing it would be undone at
/// boot, so a resolved.conf.d drop-in carries the servers instead.
/// </summary>
public static class DnsFiles
{
    public const string ResolvedDropIn = "/etc/systemd/resolved.conf.d/90-imprint.conf";

    public static GuestFile Render(DnsSpec dns, bool resolvConfIsResolvedStub)
    {
        var text = new StringBuilder("# Written by imprint.\n");
        if (resolvConfIsResolvedStub)
        {
            text.Append("[Resolve]\n");
            if (dns.Nameservers is { Count: > 0 } servers)
            {
                text.Append("DNS=").Append(string.Join(' ', servers)).Append('\n');
            }

            if (dns.Searches is { Count: > 0 } searches)
            {
                text.Append("Domains=").Append(string.Join(' ', searches)).Append('\n');
            }

            return new GuestFile(ResolvedDropIn, text.ToString(), 0b110_100_100);
        }

        foreach (var server in dns.Nameservers ?? [])
        {
            text.Append("nameserver ").Append(server).Append('\n');
        }

        if (dns.Searches is { Count: > 0 } search)
        {
            text.Append("search ").Append(string.Join(' ', search)).Append('\n');
        }

        if (dns.Options is { Count: > 0 } options)
        {
            text.Append("options ").Append(string.Join(' ', options)).Append('\n');
        }

        return new GuestFile("/etc/resolv.conf", text.ToString(), 0b110_100_100);
    }
}
