using System.ComponentModel;
using System.Text.Json.Serialization;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>A reference to an object that may live in another namespace.</summary>
[Description("A reference to an object by name and, optionally, namespace.")]
public sealed class NamespacedObjectReference
{
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(SchemaPatterns.DnsSubdomain)]
    [Description("Name of the object.")]
    public string Name { get; set; } = string.Empty;

    [MaxLength(63)]
    [Pattern(SchemaPatterns.DnsLabel)]
    [JsonPropertyName("namespace")]
    [Description("Namespace of the object; defaults to the namespace of the object that holds this reference.")]
    public string? Namespace { get; set; }
}
