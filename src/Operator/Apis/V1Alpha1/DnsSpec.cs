using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>Resolver settings written to the guest.</summary>
[Description("Resolver settings (resolv.conf, or the guest's network configuration where it owns DNS).")]
public sealed class DnsSpec
{
    [MaxItems(3)]
    [MaxLength(45)]
    [Pattern("^[0-9a-fA-F:.]+$")]
    [Description("Name server addresses (at most 3, like resolv.conf).")]
    public IList<string>? Nameservers { get; set; }

    [MaxItems(6)]
    [MaxLength(253)]
    [Description("Search domains.")]
    public IList<string>? Searches { get; set; }

    [MaxItems(16)]
    [MaxLength(64)]
    [Description("resolv.conf options, e.g. ndots:2.")]
    public IList<string>? Options { get; set; }
}
