namespace Imprint.Agent.Customization.Spec;

/// <summary>An /etc/hosts line: one address, its names.</summary>
public sealed class HostEntrySpec
{
    public string? Ip { get; set; }

    public List<string>? Hostnames { get; set; }
}
