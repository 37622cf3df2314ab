using System.ComponentModel;
using System.Text.Json.Serialization;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>A GoldenImage by name and namespace, optionally pinned to one of its revisions.</summary>
[Description("A GoldenImage by name and, optionally, namespace and revision.")]
public sealed class GoldenImageReference
{
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(SchemaPatterns.DnsSubdomain)]
    [Description("Name of the GoldenImage.")]
    public string Name { get; set; } = string.Empty;

    [MaxLength(63)]
    [Pattern(SchemaPatterns.DnsLabel)]
    [JsonPropertyName("namespace")]
    [Description("Namespace of the GoldenImage; defaults to the namespace of the object that holds this reference.")]
    public string? Namespace { get; set; }

    [MaxLength(16)]
    [Pattern(GoldenImageRevision.NamePattern)]
    [Description("A revision of the image to use (r1, r2, ... from its status.revisions) instead of its current one. "
        + "A pinned revision is kept while clones in progress use it; one already removed makes the clone wait.")]
    public string? Revision { get; set; }
}
