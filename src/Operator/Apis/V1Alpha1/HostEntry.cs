using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>One /etc/hosts line.</summary>
[Description("One /etc/hosts line.")]
public sealed class HostEntry
{
    [Required]
    [MaxLength(45)]
    [Pattern("^[0-9a-fA-F:.]+$")]
    [Description("IPv4 or IPv6 address.")]
    public string Ip { get; set; } = string.Empty;

    [Required]
    [MinItems(1)]
    [MaxItems(16)]
    [MaxLength(253)]
    [Pattern(SchemaPatterns.Rfc1123Hostname)]
    [Description("Host names for the address.")]
    public IList<string> Hostnames { get; set; } = [];
}
