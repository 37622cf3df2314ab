namespace Imprint.Agent.Customization.Spec;

/// <summary>An /etc/hosts line: one address and its names.</summary>
public sealed record HostEntrySpec
{
    public string? Ip { get; set; }

    public List<string>? Hostnames { get; set; }
}
