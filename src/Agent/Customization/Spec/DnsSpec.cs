namespace Imprint.Agent.Customization.Spec;

/// <summary>Resolver settings.</summary>
public sealed class DnsSpec
{
    public List<string>? Nameservers { get; set; }

    public List<string>? Searches { get; set; }

    public List<string>? Options { get; set; }
}
