using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>A reference to an object in the same namespace.</summary>
[Description("A reference to an object in the same namespace.")]
public sealed class LocalObjectReference
{
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(SchemaPatterns.DnsSubdomain)]
    [Description("Name of the object.")]
    public string Name { get; set; } = string.Empty;
}
