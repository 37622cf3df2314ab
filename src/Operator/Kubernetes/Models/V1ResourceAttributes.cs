using System.Text.Json.Serialization;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>The action a SubjectAccessReview asks about.</summary>
public sealed class V1ResourceAttributes
{
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    public string? Verb { get; set; }

    public string? Group { get; set; }

    public string? Resource { get; set; }

    public string? Subresource { get; set; }

    public string? Name { get; set; }
}
