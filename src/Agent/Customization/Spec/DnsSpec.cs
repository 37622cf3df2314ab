namespace Imprint.Agent.Customization.Spec;

/// <summary>Resolver settings: servers (IPv4 or IPv6), search domains and resolv.conf options (e.g. "edns0").</summary>
public sealed record DnsSpec
{
    public List<string>? Nameservers { get; set; }

    public List<string>? Searches { get; set; }

    public List<string>? Options { get; set; }
}
