using System.ComponentModel;
using System.Text.Json.Serialization;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>The GoldenImage a derived (layered) golden is built from.</summary>
[Description("The GoldenImage this one is built from: by name, optionally in another namespace (which must share it "
    + "with this one's namespace through its spec.sharing), optionally pinned to one of its revisions.")]
public sealed class ParentImageReference
{
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(SchemaPatterns.DnsSubdomain)]
    [Description("Name of the parent GoldenImage.")]
    public string Name { get; set; } = string.Empty;

    [MaxLength(63)]
    [Pattern(SchemaPatterns.DnsLabel)]
    [JsonPropertyName("namespace")]
    [Description("Namespace of the parent; defaults to this GoldenImage's namespace.")]
    public string? Namespace { get; set; }

    [MaxLength(63)]
    [Pattern(SchemaPatterns.DnsLabel)]
    [Description("A revision of the parent (an entry of its status.revisions) to build from; absent: its current revision.")]
    public string? Revision { get; set; }
}
