using System.ComponentModel;
using System.Text.Json.Serialization;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>One ancestor of a derived golden, as it was when this golden was built from it.</summary>
[Description("An ancestor GoldenImage and the revision and digest this golden was built from.")]
public sealed class ParentRevision
{
    [Required]
    [Description("Name of the ancestor GoldenImage.")]
    public string Name { get; set; } = string.Empty;

    [Required]
    [JsonPropertyName("namespace")]
    [Description("Namespace of the ancestor GoldenImage.")]
    public string Namespace { get; set; } = string.Empty;

    [Description("The ancestor's revision that was copied (absent for an image without revisions).")]
    public string? Revision { get; set; }

    [Pattern("^sha256:[0-9a-f]{64}$")]
    [Description("The ancestor's status.digest when it was copied.")]
    public string? Digest { get; set; }
}
