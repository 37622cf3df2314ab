using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>One key of a Secret or ConfigMap in the same namespace.</summary>
[Description("One key of a Secret or ConfigMap in the same namespace.")]
public sealed class KeySelector
{
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(SchemaPatterns.DnsSubdomain)]
    [Description("Name of the Secret or ConfigMap.")]
    public string Name { get; set; } = string.Empty;

    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern("^[-._a-zA-Z0-9]+$")]
    [Description("Key within its data.")]
    public string Key { get; set; } = string.Empty;
}
